"""Ranked candidates for a vacancy, as the supplier may see them: pseudonymised, coarse distance."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hansyn.matching import Match, VacancyProfile
from hansyn.tenants.labels import display_text
from hansyn.tenants.localities import Gazetteer
from hansyn.tenants.matches.index import TenantIndex
from hansyn.tenants.matches.models import Case
from hansyn.tenants.matches.pseudonyms import pseudonyms_for
from hansyn.tenants.vacancies.models import Vacancy

CANDIDATE_LIMIT = 25
#: Dashboard counts stop here ("100+"): ranking deeper only to count would be wasted work.
COUNT_CAP = 100
#: Vacancy counts kept per process (see `count_candidates`), by engine and vacancy id.
COUNT_CACHE_SIZE = 20_000
_counts: dict[tuple[int, int], tuple[tuple[object, str], int]] = {}
#: Suppliers see distances in steps of this many km: a supplier that posts vacancies in several
#: places cannot triangulate a candidate's home from exact distances.
DISTANCE_STEP_KM = 5


def coarse_distance(distance_km: float | None) -> int | None:
    """The distance a supplier is shown: rounded up to the next step (never 0, never exact)."""
    if distance_km is None:
        return None
    return max(1, math.ceil(distance_km / DISTANCE_STEP_KM)) * DISTANCE_STEP_KM


@dataclass(frozen=True)
class RankedCandidate:
    """What a supplier may see of a candidate: a pseudonym and the profile, never who it is.

    `candidate_id` never leaves the server: it is there for the audit of who was shown to whom.
    """

    candidate_id: int
    pseudonym: str
    score: float
    distance_km: int | None  # coarse: see `coarse_distance`
    skills: list[str]
    languages: list[str]
    driving_licences: list[str]
    matched: list[tuple[str, str, float]]
    missing: list[str]
    meeting_requested: bool

    def as_json(self) -> dict[str, object]:
        """The supplier list as JSON, terms shown as on the page (`hansyn.tenants.labels`)."""
        return {
            "pseudonym": self.pseudonym,
            "score": round(self.score, 3),
            "distance_km": self.distance_km,
            "skills": [display_text(s) for s in self.skills],
            "languages": [display_text(s) for s in self.languages],
            "driving_licences": [display_text(s) for s in self.driving_licences],
            "matched": [
                {"wanted": display_text(w), "offered": display_text(o), "similarity": round(s, 2)}
                for w, o, s in self.matched
            ],
            "missing": [display_text(s) for s in self.missing],
            "meeting_requested": self.meeting_requested,
        }


def vacancy_profile(vacancy: Vacancy) -> VacancyProfile:
    place = Gazetteer.default().get(vacancy.locality_id)
    return VacancyProfile(
        id=f"vacancy:{vacancy.id}",
        required_skills=list(vacancy.required_skills),
        # the occupation itself counts like a desired skill: who has done the job ranks higher
        desired_skills=[vacancy.occupation_label, *vacancy.desired_skills],
        location=place.point if place is not None else None,
        required_languages=list(vacancy.required_languages),
        required_licences=[f"körkort {vacancy.driving_licence}"] if vacancy.driving_licence else [],
    )


def rank_candidates(
    session: Session,
    index: TenantIndex,
    vacancy: Vacancy,
    supplier_id: int,
    limit: int = CANDIDATE_LIMIT,
    name: Callable[[list[int]], dict[int, str]] | None = None,
) -> list[RankedCandidate]:
    """The best candidates for the vacancy as the supplier may see them (pseudonymised).

    `name` hands out the supplier's pseudonyms for candidate ids; by default in `session`.
    """
    matches = index.engine.rank(vacancy_profile(vacancy), limit=limit)
    ids = [int(m.candidate_id) for m in matches]
    names = name(ids) if name is not None else pseudonyms_for(session, supplier_id, ids)
    requested = set(session.scalars(select(Case.candidate_id).where(Case.vacancy_id == vacancy.id)))
    return [_ranked(index, m, names[int(m.candidate_id)], requested) for m in matches]


def count_candidates(index: TenantIndex, vacancy: Vacancy) -> int:
    """How many candidates match the vacancy, counted up to `COUNT_CAP` + 1 ("more than").

    Counted once per vacancy and state of the candidate data: the count is kept in this process
    until the tenant's change counter moves (the index's fingerprint) or the vacancy changes.
    """
    profile = vacancy_profile(vacancy)
    key, signature = (id(index.engine), vacancy.id), (index.fingerprint, repr(profile))
    cached = _counts.get(key)
    if cached is not None and cached[0] == signature:
        return cached[1]
    count = len(index.engine.rank(profile, limit=COUNT_CAP + 1))
    if len(_counts) >= COUNT_CACHE_SIZE:
        _counts.clear()
    _counts[key] = (signature, count)
    return count


def _ranked(
    index: TenantIndex, match: Match, pseudonym: str, requested: set[int]
) -> RankedCandidate:
    profile = index.profile(match.candidate_id)
    return RankedCandidate(
        candidate_id=int(match.candidate_id),
        pseudonym=pseudonym,
        score=match.score,
        distance_km=coarse_distance(match.distance_km),
        skills=list(profile.skills) if profile else [],
        languages=list(profile.languages) if profile else [],
        driving_licences=list(profile.driving_licences) if profile else [],
        matched=list(match.matched),
        missing=list(match.missing),
        meeting_requested=int(match.candidate_id) in requested,
    )
