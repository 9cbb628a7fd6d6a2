"""The matching engine's vocabulary of types: the profiles it is given, the matches it returns,
the array types and the constants of the score. The bottom of the package: it imports no other
module of it, so every other module can import it without a cycle.

The score is documented in ``docs/matching.md`` ("Ranking and allocation").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

__all__ = [
    "AVAILABILITY_HALF_DAYS",
    "AVAILABILITY_WEIGHT",
    "COMMUTE_TIERS_KM",
    "DESIRED_WEIGHT",
    "DISTANCE_HALF_KM",
    "DISTANCE_WEIGHT",
    "EARTH_RADIUS_KM",
    "JOB_COLUMNS",
    "REQUIRED_WEIGHT",
    "BoolArray",
    "CandidateProfile",
    "FloatArray",
    "IntArray",
    "Match",
    "RowArray",
    "Sims",
    "StaleIndexError",
    "VacancyProfile",
    "VocabularyLike",
    "availability_factor",
    "day_number",
    "distance_factor",
    "haversine_km",
    "job_columns",
    "place",
]

IntArray = npt.NDArray[np.int64]
RowArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Sims = FloatArray | float  # per row, or one value for all rows

EARTH_RADIUS_KM = 6371.0088
REQUIRED_WEIGHT = 2.0
DESIRED_WEIGHT = 1.0
DISTANCE_WEIGHT = 0.3
DISTANCE_HALF_KM = 20.0
AVAILABILITY_WEIGHT = 0.2
AVAILABILITY_HALF_DAYS = 30.0
COMMUTE_TIERS_KM = (15.0, 30.0, 60.0, 120.0, math.inf)


class VocabularyLike(Protocol):
    """The part of ``hansyn.matching.vocabulary.Vocabulary`` the engine uses."""

    def normalize(self, text: str) -> Any: ...

    def related(self, term: Any) -> list[tuple[str, float]]: ...



class StaleIndexError(ValueError):
    """A saved index is missing, unreadable or was built from other data."""


@dataclass(frozen=True, slots=True)
class CandidateProfile:
    """A job seeker as the matcher sees it: what they offer and how far they can travel."""

    id: str
    skills: Sequence[str] = ()
    location: tuple[float, float] | None = None
    max_commute_km: float | None = None
    languages: Sequence[str] = ()
    driving_licences: Sequence[str] = ()
    target_groups: Sequence[str] = ()  # codes of the contracts' target groups they belong to
    available_from: date | None = None  # can start work on this day (None: at once)
    hours_per_week: tuple[float, float] | None = None  # the least and most they want to work
    registered: date | datetime | None = None  # first in line among equal scores


@dataclass(frozen=True, slots=True)
class VacancyProfile:
    """A vacancy: wanted skills, where it is and the hard requirements."""

    id: str
    required_skills: Sequence[str] = ()
    desired_skills: Sequence[str] = ()
    location: tuple[float, float] | None = None
    radius_km: float | None = None
    required_languages: Sequence[str] = ()
    required_licences: Sequence[str] = ()
    target_groups: Sequence[str] = ()  # the contract's: a candidate must belong to one
    hours_per_week: float | None = None  # must lie in the candidate's range, when both known
    start_date: date | None = None  # a candidate available later scores lower
    desired_languages: Sequence[str] = ()  # weigh like desired skills


@dataclass(frozen=True, slots=True)
class Match:
    """One ranked candidate, with the evidence for its score."""

    candidate_id: str
    score: float
    distance_km: float | None
    matched: list[tuple[str, str, float]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    # why the job fits beyond skills: ("target_group", code), ("hours", "20-40"),
    # ("available", "on time") or ("available", "<days> days late")
    reasons: list[tuple[str, str]] = field(default_factory=list)


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Great-circle distance in km; works on floats and numpy arrays (degrees)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(lon2) - np.radians(lon1)
    h = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))


def distance_factor(distance_km: Any) -> Any:
    """1 at the workplace, falling smoothly towards ``1 - DISTANCE_WEIGHT`` far away."""
    return 1.0 - DISTANCE_WEIGHT * distance_km / (distance_km + DISTANCE_HALF_KM)


JOB_COLUMNS = ("seniority", "available", "hours_min", "hours_max")
_EPOCH = datetime(2000, 1, 1)
_LAST_IN_LINE = float((1 << 32) - 1)


def availability_factor(days_late: Any) -> Any:
    """1 when the candidate can start by the start date, falling smoothly towards
    ``1 - AVAILABILITY_WEIGHT`` the later they can (0.9 at a month late)."""
    late = np.maximum(days_late, 0.0)
    return 1.0 - AVAILABILITY_WEIGHT * late / (late + AVAILABILITY_HALF_DAYS)


def day_number(when: date) -> float:
    return float((when - _EPOCH.date()).days)


def job_columns(p: CandidateProfile) -> tuple[float, float, float, float]:
    """The per-row job columns: minutes registered since 2000 (ties: the earliest first; none
    is last), the first day available (NaN: at once), the hours range (NaN: unknown)."""
    seniority = _LAST_IN_LINE
    if p.registered is not None:
        when = p.registered if isinstance(p.registered, datetime) else datetime(
            p.registered.year, p.registered.month, p.registered.day)
        minutes = (when.replace(tzinfo=None) - _EPOCH).total_seconds() // 60
        seniority = min(max(float(minutes), 0.0), _LAST_IN_LINE - 1)
    available = math.nan if p.available_from is None else day_number(p.available_from)
    low, high = p.hours_per_week if p.hours_per_week is not None else (math.nan, math.nan)
    return seniority, available, float(low), float(high)



def place(p: CandidateProfile) -> tuple[float, float, float]:
    """Latitude, longitude (NaN when unknown) and commute limit (inf when none)."""
    lat, lon = p.location if p.location is not None else (math.nan, math.nan)
    commute = math.inf if p.max_commute_km is None else float(p.max_commute_km)
    return float(lat), float(lon), commute
