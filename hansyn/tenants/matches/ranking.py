"""Ranked candidates for a vacancy, as the supplier may see them: pseudonymised, coarse distance."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from hansyn.matching import Engine, Match
from hansyn.tenants.labels import display_text
from hansyn.tenants.matches.index import TenantIndex
from hansyn.tenants.matches.models import Case
from hansyn.tenants.matches.pseudonyms import pseudonyms_for
from hansyn.tenants.matches.wanted import vacancy_profile
from hansyn.tenants.vacancies.models import Vacancy

CANDIDATE_LIMIT = 25
#: Dashboard counts stop here ("100+"): ranking deeper only to count would be wasted work.
COUNT_CAP = 100
#: Vacancy counts kept per process (see `count_candidates`), by engine and vacancy id.
COUNT_CACHE_SIZE = 20_000
_counts: dict[tuple[int, int], tuple[tuple[object, str], int]] = {}
#: Rankings kept per process and engine (see `ranked_matches`): about 25 KB each.
RANKING_CACHE_SIZE = 2_000
_rankings: WeakKeyDictionary[Engine, dict[int, tuple[tuple[object, str, int], list[Match]]]] = (
    WeakKeyDictionary()
)
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
    #: Why the job fits beyond skills, as the engine named it: `FitReason`s.
    reasons: list[FitReason] = field(default_factory=list)

    def as_json(self, label: Callable[[str], str] = display_text) -> dict[str, object]:
        """The supplier list as JSON, terms shown as on the page (`hansyn.tenants.labels`;
        `label`: `text_labeler()` for a whole list)."""
        return {
            "pseudonym": self.pseudonym,
            "score": round(self.score, 3),
            "distance_km": self.distance_km,
            "skills": [label(s) for s in self.skills],
            "languages": [label(s) for s in self.languages],
            "driving_licences": [label(s) for s in self.driving_licences],
            "matched": [
                {"wanted": label(w), "offered": label(o), "similarity": round(s, 2)}
                for w, o, s in self.matched
            ],
            "missing": [label(s) for s in self.missing],
            "meeting_requested": self.meeting_requested,
            "reasons": [{"reason": r.kind, "text": r.supplier_text()} for r in self.reasons],
        }


@dataclass(frozen=True)
class FitReason:
    """Why the job fits beyond skills: the candidate belongs to one of the contract's target
    groups (`programme_id`), can work the vacancy's hours, or can start on time (or
    `days_late` after the start date).

    Suppliers are only ever told that a candidate belongs to the contract's target groups,
    never which one: a programme's name may say something sensitive about a person (a wage
    subsidy for a disability). Staff see the programme (`staff_text`).
    """

    kind: str  # TARGET_GROUP, HOURS or AVAILABLE
    programme_id: int | None = None
    days_late: int = 0

    def supplier_text(self) -> str:
        if self.kind == TARGET_GROUP:
            return _("Tillhör avtalets målgrupper")
        if self.kind == HOURS:
            return _("Arbetstiden passar")
        if self.days_late <= 0:
            return _("Kan börja i tid")
        return ngettext(
            "Kan börja %(num)s dag efter startdagen",
            "Kan börja %(num)s dagar efter startdagen",
            self.days_late,
        )

    def staff_text(self, programme_names: dict[int, str]) -> str:
        if self.kind == TARGET_GROUP and self.programme_id in programme_names:
            return _("Målgrupp: %(name)s", name=programme_names[self.programme_id])
        return self.supplier_text()


TARGET_GROUP, HOURS, AVAILABLE = "target_group", "hours", "available"


def fit_reasons(match: Match) -> list[FitReason]:
    """The engine's reasons (`Match.reasons`) as the app shows them."""
    out = []
    for kind, value in match.reasons:
        if kind == TARGET_GROUP:
            out.append(FitReason(kind, programme_id=int(value) if value.isdigit() else None))
        elif kind == HOURS:
            out.append(FitReason(kind))
        elif kind == AVAILABLE:
            late = value.split()[0]
            out.append(FitReason(kind, days_late=int(float(late)) if late[0].isdigit() else 0))
    return out


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
    matches = ranked_matches(index, vacancy, limit)
    ids = [int(m.candidate_id) for m in matches]
    names = name(ids) if name is not None else pseudonyms_for(session, supplier_id, ids)
    return ranked_from(index, matches, names, requested_candidates(session, vacancy.id))


def requested_candidates(session: Session, vacancy_id: int) -> set[int]:
    """The candidates who already have a case on the vacancy (Core: plain ids, no ORM rows)."""
    return set(session.connection().scalars(_REQUESTED, {"vacancy_id": vacancy_id}))


_REQUESTED = select(Case.candidate_id).where(Case.vacancy_id == bindparam("vacancy_id"))


def ranked_from(
    index: TenantIndex, matches: list[Match], names: dict[int, str], requested: set[int]
) -> list[RankedCandidate]:
    """The engine's `matches` as cards' data: `names` by candidate id, `requested` marked."""
    return [_ranked(index, m, names[int(m.candidate_id)], requested) for m in matches]


def ranked_matches(index: TenantIndex, vacancy: Vacancy, limit: int) -> list[Match]:
    """The engine's ranking of the vacancy, kept in this process per engine and vacancy until
    the tenant's change counter moves (the index's fingerprint) or the vacancy changes.

    A supplier's list is read far more often than candidates change: a repeated read is then a
    dictionary lookup instead of a ranking (about a fifth of the page's CPU time at 100,000
    candidates). Any candidate edit anywhere in the tenant moves the counter and retires every
    kept ranking of that tenant, so nobody who left the index is ever shown from here.
    """
    profile = vacancy_profile(vacancy)
    signature = (index.fingerprint, repr(profile), limit)
    kept = _rankings.setdefault(index.engine, {})
    cached = kept.get(vacancy.id)
    if cached is not None and cached[0] == signature:
        return cached[1]
    matches = index.engine.rank(profile, limit=limit)
    if len(kept) >= RANKING_CACHE_SIZE:
        kept.clear()
    kept[vacancy.id] = (signature, matches)
    return matches


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
        reasons=fit_reasons(match),
    )
