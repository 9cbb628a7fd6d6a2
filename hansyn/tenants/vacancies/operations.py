"""Vacancies on a supplier's own contracts, ranked pseudonymised candidates, meeting requests.

A vacancy is always reached through its contract, and a supplier's contract through the
supplier: `get_vacancy(session, contract_id, vacancy_id, supplier_id)` answers None for a
vacancy of any other supplier, exactly as for one that does not exist.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from hansyn.errors import InvalidInput
from hansyn.matching import Match, VacancyProfile
from hansyn.matching.vocabulary import Vocabulary
from hansyn.tenants.audit.operations import SystemActor, record
from hansyn.tenants.candidates.models import Candidate
from hansyn.tenants.candidates.operations import candidates_visible_to_suppliers
from hansyn.tenants.candidates.parsing import resolve_place
from hansyn.tenants.contracts.models import Contract
from hansyn.tenants.contracts.operations import contracts_of_supplier
from hansyn.tenants.localities import Gazetteer, Place
from hansyn.tenants.matching_index import TenantIndex
from hansyn.tenants.pseudonyms.operations import candidate_of, pseudonyms_for
from hansyn.tenants.vacancies.models import (
    MAX_HOURS_PER_WEEK,
    Extent,
    MeetingRequest,
    MeetingStatus,
    Vacancy,
    VacancyStatus,
)

MAX_LIST_ITEMS = 20
MAX_ITEM_LENGTH = 200
CANDIDATE_LIMIT = 25
#: Dashboard counts stop here ("100+"): ranking deeper only to count would be wasted work.
COUNT_CAP = 100


@dataclass(frozen=True)
class VacancyData:
    """What the supplier typed, after the form's own checks."""

    title: str
    occupation: str
    required_skills: list[str]
    desired_skills: list[str]
    required_languages: list[str]
    driving_licence: str | None
    locality: str
    positions: int
    start_date: date
    duration_months: int | None
    extent: Extent
    hours_per_week: int
    status: VacancyStatus = VacancyStatus.OPEN
    locality_id: str = ""


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
    """What a supplier may see of a candidate: a pseudonym and the profile, never who it is."""

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
        return {
            "pseudonym": self.pseudonym,
            "score": round(self.score, 3),
            "distance_km": self.distance_km,
            "skills": self.skills,
            "languages": self.languages,
            "driving_licences": self.driving_licences,
            "matched": [
                {"wanted": w, "offered": o, "similarity": round(s, 2)} for w, o, s in self.matched
            ],
            "missing": self.missing,
            "meeting_requested": self.meeting_requested,
        }


# ---------------------------------------------------------------- loading


def contracts_of(session: Session, supplier_id: int | None) -> list[Contract]:
    """The supplier's own contracts (none for a member without a supplier)."""
    return contracts_of_supplier(session, supplier_id) if supplier_id is not None else []


def get_vacancy(
    session: Session, contract_id: int, vacancy_id: int, supplier_id: int | None
) -> Vacancy | None:
    """Vacancy `vacancy_id` of contract `contract_id` of this supplier (None: any supplier)."""
    query = (
        select(Vacancy)
        .join(Contract)
        .where(Vacancy.id == vacancy_id, Vacancy.contract_id == contract_id)
        .options(joinedload(Vacancy.contract).joinedload(Contract.supplier))
    )
    if supplier_id is not None:
        query = query.where(Contract.supplier_id == supplier_id)
    return session.scalar(query)


def list_vacancies(
    session: Session, supplier_id: int | None = None, status: VacancyStatus | None = None
) -> list[Vacancy]:
    """A supplier's vacancies, or every vacancy of the tenant when `supplier_id` is None."""
    query = (
        select(Vacancy)
        .join(Contract)
        .options(joinedload(Vacancy.contract).joinedload(Contract.supplier))
    )
    if supplier_id is not None:
        query = query.where(Contract.supplier_id == supplier_id)
    if status is not None:
        query = query.where(Vacancy.status == status)
    return list(session.scalars(query.order_by(Vacancy.start_date, Vacancy.id)))


# ---------------------------------------------------------------- checking what was typed


def _occupation(text: str) -> tuple[str, str]:
    vocabulary = Vocabulary.default()
    term = vocabulary.normalize(text)
    if term.kind != "occupation":
        near = [t.label for t in vocabulary.suggest(text, kinds=["occupation"], limit=3)]
        if near:
            message = _l(
                "Okänt yrke: ”%(text)s”. Menade du %(names)s?", text=text, names=" / ".join(near)
            )
        else:
            message = _l("Okänt yrke: ”%(text)s”. Välj ett yrke ur listan.", text=text)
        raise InvalidInput(message, "occupation")
    return term.key, term.label


def _list(values: list[str], field: str) -> list[str]:
    if len(values) > MAX_LIST_ITEMS:
        raise InvalidInput(_l("Högst %(max)d rader.", max=MAX_LIST_ITEMS), field)
    for value in values:
        if len(value) > MAX_ITEM_LENGTH:
            raise InvalidInput(_l("Högst %(max)d tecken per rad.", max=MAX_ITEM_LENGTH), field)
    return values


def _languages(values: list[str]) -> list[str]:
    vocabulary = Vocabulary.default()
    for text in _list(values, "required_languages"):
        if vocabulary.normalize(text).kind != "language":
            raise InvalidInput(
                _l("Okänt språk: ”%(text)s”. Skriv t.ex. ”svenska B1”.", text=text),
                "required_languages",
            )
    return values


def resolve_locality(text: str, place_id: str = "") -> Place:
    """The place chosen in the autocomplete, else the one the text means (as for candidates)."""
    try:
        place = resolve_place(text, place_id)
    except InvalidInput as error:
        raise InvalidInput(error.message, "locality") from error
    if place is None:
        raise InvalidInput(_l("Ange orten där arbetsplatsen ligger."), "locality")
    return place


def _check_dates(data: VacancyData, contract: Contract) -> None:
    if data.start_date >= contract.end_date:
        raise InvalidInput(
            _l(
                "Startdatumet måste ligga före avtalets slutdatum (%(end)s).", end=contract.end_date
            ),
            "start_date",
        )


def _check_extent(data: VacancyData) -> None:
    if data.extent is Extent.PART_TIME and data.hours_per_week >= MAX_HOURS_PER_WEEK:
        raise InvalidInput(
            _l("Deltid är färre än %(max)d timmar per vecka.", max=MAX_HOURS_PER_WEEK),
            "hours_per_week",
        )


def _apply(vacancy: Vacancy, data: VacancyData, contract: Contract) -> None:
    # An unchanged text keeps what it was resolved to: a few labels name two concepts.
    if vacancy.occupation_key and data.occupation == vacancy.occupation_label:
        occupation_key, occupation_label = vacancy.occupation_key, vacancy.occupation_label
    else:
        occupation_key, occupation_label = _occupation(data.occupation)
    place = Gazetteer.default().get(vacancy.locality_id) if vacancy.locality_id else None
    if place is None or data.locality != vacancy.locality_name:
        place = resolve_locality(data.locality, data.locality_id)
    _check_dates(data, contract)
    _check_extent(data)
    vacancy.title = data.title.strip()
    vacancy.occupation_key, vacancy.occupation_label = occupation_key, occupation_label
    vacancy.required_skills = _list(data.required_skills, "required_skills")
    vacancy.desired_skills = _list(data.desired_skills, "desired_skills")
    vacancy.required_languages = _languages(data.required_languages)
    vacancy.driving_licence = data.driving_licence or None
    vacancy.locality_id, vacancy.locality_name = place.id, place.display_name
    vacancy.positions, vacancy.start_date = data.positions, data.start_date
    vacancy.duration_months = data.duration_months
    vacancy.extent, vacancy.hours_per_week = data.extent, data.hours_per_week
    vacancy.status = data.status


def _audit(
    session: Session,
    user_id: int | None,
    email: str | None,
    action: str,
    subject: str,
    subject_id: int,
) -> None:
    record(session, SystemActor(user_id, email), action, subject, subject_id, "vacancies")


# ---------------------------------------------------------------- writing


def create_vacancy(
    session: Session,
    contract: Contract,
    data: VacancyData,
    user_id: int | None = None,
    email: str | None = None,
) -> Vacancy:
    vacancy = Vacancy(contract=contract, created_by=user_id)
    _apply(vacancy, data, contract)
    session.add(vacancy)
    session.flush()
    _audit(session, user_id, email, "create", "vacancy", vacancy.id)
    return vacancy


def update_vacancy(
    session: Session,
    vacancy: Vacancy,
    data: VacancyData,
    user_id: int | None = None,
    email: str | None = None,
) -> Vacancy:
    _apply(vacancy, data, vacancy.contract)
    session.flush()
    _audit(session, user_id, email, "update", "vacancy", vacancy.id)
    return vacancy


def request_meeting(
    session: Session,
    vacancy: Vacancy,
    supplier_id: int,
    pseudonym: str,
    user_id: int | None = None,
    email: str | None = None,
) -> MeetingRequest:
    """Record that the supplier wants to meet the candidate it knows as `pseudonym`.

    Only a pseudonym this supplier was shown, of a candidate suppliers may still see, counts;
    asking twice for the same vacancy returns the first request.
    """
    if vacancy.status is not VacancyStatus.OPEN:
        raise InvalidInput(_l("Annonsen är inte öppen."), "pseudonym")
    candidate_id = candidate_of(session, supplier_id, pseudonym)
    if candidate_id is None or not _visible(session, candidate_id):
        raise InvalidInput(_l("Kandidaten finns inte längre i listan."), "pseudonym")
    existing = session.scalar(
        select(MeetingRequest).where(
            MeetingRequest.vacancy_id == vacancy.id, MeetingRequest.candidate_id == candidate_id
        )
    )
    if existing is not None:
        return existing
    meeting = MeetingRequest(
        vacancy=vacancy,
        candidate_id=candidate_id,
        supplier_id=supplier_id,
        requested_by=user_id,
        status=MeetingStatus.REQUESTED,
    )
    session.add(meeting)
    session.flush()
    _audit(session, user_id, email, "create", "meeting_request", meeting.id)
    return meeting


def _visible(session: Session, candidate_id: int) -> bool:
    query = candidates_visible_to_suppliers(session).where(Candidate.id == candidate_id)
    return session.scalar(query) is not None


def meeting_requests(
    session: Session, supplier_id: int | None = None, vacancy_id: int | None = None
) -> list[MeetingRequest]:
    """Newest first: a supplier's own or a vacancy's, or every request of the tenant."""
    query = select(MeetingRequest).options(
        joinedload(MeetingRequest.vacancy)
        .joinedload(Vacancy.contract)
        .joinedload(Contract.supplier)
    )
    if supplier_id is not None:
        query = query.where(MeetingRequest.supplier_id == supplier_id)
    if vacancy_id is not None:
        query = query.where(MeetingRequest.vacancy_id == vacancy_id)
    return list(session.scalars(query.order_by(MeetingRequest.at.desc(), MeetingRequest.id.desc())))


def count_meeting_requests(session: Session) -> int:
    return session.scalar(select(func.count(MeetingRequest.id))) or 0


# ---------------------------------------------------------------- ranking


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
    requested = set(
        session.scalars(
            select(MeetingRequest.candidate_id).where(MeetingRequest.vacancy_id == vacancy.id)
        )
    )
    return [_ranked(index, m, names[int(m.candidate_id)], requested) for m in matches]


def count_candidates(index: TenantIndex, vacancy: Vacancy) -> int:
    """How many candidates match the vacancy, counted up to `COUNT_CAP` + 1 ("more than")."""
    return len(index.engine.rank(vacancy_profile(vacancy), limit=COUNT_CAP + 1))


def _ranked(
    index: TenantIndex, match: Match, pseudonym: str, requested: set[int]
) -> RankedCandidate:
    profile = index.profile(match.candidate_id)
    return RankedCandidate(
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
