"""Published figures of every municipality side by side: per municipality, FA-region, county
and size class. Reads published snapshots only — never a tenant's database — so it costs the
same whichever municipality asks, with 2 municipalities or 290.

A hidden value stays hidden: a group's figure is the sum of the values its municipalities
showed, with the number of municipalities that showed one, and a rate per 10,000 inhabitants
only over municipalities that also stated their population.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from hansyn.platform.statistics.models import StatisticsSnapshot
from hansyn.tenants.statistics.regions import region_of, size_class, size_order

PER = 10_000
MEASURES: dict[str, LazyString] = {
    "registered": _l("Nyinskrivna arbetssökande"),
    "enrolled": _l("Inskrivna arbetssökande vid kvartalets slut"),
    "hired": _l("Ärenden som ledde till anställning"),
    "placements": _l("Anställningar som började"),
    "clauses_met": _l("Avtal vars sysselsättningskrav är uppfyllt"),
    "procurement_share": _l("Andel tjänsteupphandlingar med sysselsättningskrav"),
}
#: Where each count measure is found among a snapshot's totals.
MEASURE_KEYS = {"registered": "registered", "enrolled": "enrolled", "hired": "cases/hired",
                "placements": "placements", "clauses_met": "clauses/met"}
#: One-way tables whose categories are measures too (the rest give their total only).
BY_CATEGORY = frozenset({"clauses"})
GROUPINGS: dict[str, LazyString] = {
    "county": _l("Län"),
    "fa": _l("FA-region"),
    "size": _l("Storleksklass"),
    "municipality": _l("Kommun"),
}


@dataclass(frozen=True)
class Published:
    """One municipality's snapshot in force, read for comparison."""

    kommunkod: str
    name: str
    county: str
    fa_name: str
    size_code: str
    size_label: str
    population: int | None
    population_year: int | None
    version: int
    published_at: datetime
    min_count: int
    totals: dict[str, int | None]
    target_percent: int | None


def _totals(figures: dict[str, Any]) -> dict[str, int | None]:
    totals: dict[str, int | None] = {}
    for table in figures.get("tables", []):
        values = table["values"]
        if table["kind"] == "two_way":
            totals[table["name"]] = values.get("*/*")
            totals[f"{table['name']}/with"] = values.get("*/with")
        elif table["kind"] == "singles":
            totals.update({f"{table['name']}/{key}": value for key, value in values.items()})
        else:
            totals[table["name"]] = values.get("*")
            if table["name"] in BY_CATEGORY:
                totals.update({f"{table['name']}/{key}": value for key, value in values.items()
                               if key != "*"})
    return totals


def read(snapshot: StatisticsSnapshot) -> Published:
    region = region_of(snapshot.kommunkod)
    code, label = size_class(snapshot.population)
    return Published(
        kommunkod=snapshot.kommunkod, name=snapshot.municipality,
        county=region.county if region else "", fa_name=region.fa_name if region else "",
        size_code=code, size_label=label, population=snapshot.population,
        population_year=snapshot.population_year, version=snapshot.version,
        published_at=snapshot.published_at, min_count=snapshot.min_count,
        totals=_totals(snapshot.figures),
        target_percent=snapshot.figures.get("procurement_target_percent"),
    )


@dataclass(frozen=True)
class Row:
    """A municipality or a group: the measure's count over its base.

    For a count measure the base is the population (a rate per 10,000); for the procurement
    share it is the number of procurements (a percentage)."""

    key: str
    label: str
    count: int | None
    base: int | None
    #: The part of `count` from members that also showed a base: what the rate divides.
    rated: int | None
    reporting: int
    members: int
    share: bool

    @property
    def value(self) -> float | None:
        if self.rated is None or not self.base:
            return None
        return 100 * self.rated / self.base if self.share else PER * self.rated / self.base


def _numbers(item: Published, measure: str) -> tuple[int | None, int | None]:
    if measure == "procurement_share":
        return item.totals.get("procurements/with"), item.totals.get("procurements")
    return item.totals.get(MEASURE_KEYS[measure]), item.population


def municipality_rows(items: Iterable[Published], measure: str) -> list[Row]:
    rows = []
    for item in items:
        count, base = _numbers(item, measure)
        rated = count if base else None
        rows.append(Row(item.kommunkod, item.name, count, base, rated, int(count is not None), 1,
                        measure == "procurement_share"))
    return rows


def _group_key(item: Published, by: str) -> tuple[str, str]:
    if by == "county":
        return item.county, item.county
    if by == "fa":
        return item.fa_name, item.fa_name
    return item.size_code, item.size_label


def group_rows(items: Sequence[Published], measure: str, by: str) -> list[Row]:
    """Sums over the municipalities of each group that showed the figure (and its base)."""
    groups: dict[tuple[str, str], list[Published]] = defaultdict(list)
    for item in items:
        groups[_group_key(item, by)].append(item)
    rows = []
    for (key, label), members in groups.items():
        pairs = [_numbers(m, measure) for m in members]
        shown = [(count, base) for count, base in pairs if count is not None]
        with_base = [(count, base) for count, base in shown if base]
        rows.append(Row(
            key, label,
            sum(count for count, _b in shown) if shown else None,
            sum(base for _c, base in with_base if base) if with_base else None,
            sum(count for count, _b in with_base) if with_base else None,
            len(shown), len(members), measure == "procurement_share",
        ))
    if by == "size":
        return sorted(rows, key=lambda r: size_order(r.key))
    return sorted(rows, key=lambda r: r.label)
