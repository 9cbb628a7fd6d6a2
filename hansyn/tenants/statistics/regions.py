"""Counties, FA-regions and size classes of the 290 municipalities, from the package's own
`localities/data/municipalities.csv` (SCB and Tillväxtverket, see its SOURCES.md).

No source of municipal population could be shipped with the package (see docs/statistics.md),
so the size class comes from the population each municipality states when it publishes.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Region:
    kommunkod: str
    name: str
    county_code: str
    county: str
    fa_code: str
    fa_name: str


@functools.cache
def municipalities() -> dict[str, Region]:
    data = resources.files("hansyn.tenants.localities").joinpath("data/municipalities.csv")
    rows = csv.DictReader(data.read_text(encoding="utf-8").splitlines())
    return {
        r["kommunkod"]: Region(r["kommunkod"], r["name"], r["county_code"], r["county"],
                               r["fa_code"], r["fa_name"])
        for r in rows
    }


def region_of(kommunkod: str) -> Region | None:
    return municipalities().get(kommunkod)


#: (lowest population, code, label), largest first.
SIZE_CLASSES: tuple[tuple[int, str, LazyString], ...] = (
    (200_000, "200k", _l("200 000 invånare och fler")),
    (100_000, "100k", _l("100 000–199 999 invånare")),
    (50_000, "50k", _l("50 000–99 999 invånare")),
    (25_000, "25k", _l("25 000–49 999 invånare")),
    (10_000, "10k", _l("10 000–24 999 invånare")),
    (0, "0", _l("färre än 10 000 invånare")),
)
UNKNOWN_SIZE = ("unknown", _l("folkmängd okänd"))


def size_class(population: int | None) -> tuple[str, str]:
    """(code, label) of the size class; "unknown" without a population."""
    if population is None:
        return UNKNOWN_SIZE[0], str(UNKNOWN_SIZE[1])
    for lowest, code, label in SIZE_CLASSES:
        if population >= lowest:
            return code, str(label)
    return UNKNOWN_SIZE[0], str(UNKNOWN_SIZE[1])


def size_order(code: str) -> int:
    codes = [c for _l, c, _label in SIZE_CLASSES] + [UNKNOWN_SIZE[0]]
    return codes.index(code) if code in codes else len(codes)
