"""Swedish localities, municipalities and FA-regions (commuting zones), shipped with the package."""

from hansyn.tenants.localities.gazetteer import (
    ATTRIBUTION,
    Gazetteer,
    Municipality,
    Place,
    fold,
    haversine_km,
    municipality_title,
)
from hansyn.tenants.localities.resolving import resolve_place

__all__ = [
    "ATTRIBUTION",
    "Gazetteer",
    "Municipality",
    "Place",
    "fold",
    "haversine_km",
    "municipality_title",
    "resolve_place",
]
