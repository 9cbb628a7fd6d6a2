"""Vacancies on a supplier's own contracts: posting and editing them.

A vacancy is always reached through its contract, and a supplier's contract through the
supplier: `get_vacancy(session, contract_id, vacancy_id, supplier_id)` answers None for a
vacancy of any other supplier, exactly as for one that does not exist.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, func, select, update
from sqlalchemy.orm import Session, contains_eager, joinedload

from hansyn.errors import InvalidInput
from hansyn.matching.vocabulary import Vocabulary
from hansyn.platform.models import utcnow
from hansyn.tenants.audit.operations import Actor, SystemActor, record
from hansyn.tenants.contracts.models import Contract, SocialClause
from hansyn.tenants.contracts.operations import contracts_of_supplier
from hansyn.tenants.localities import Gazetteer, Place, resolve_place
from hansyn.tenants.vacancies.models import MAX_HOURS_PER_WEEK, Extent, Vacancy, VacancyStatus

MAX_LIST_ITEMS = 20
MAX_ITEM_LENGTH = 200


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


# ---------------------------------------------------------------- loading


def contracts_of(session: Session, supplier_id: int | None) -> list[Contract]:
    """The supplier's own contracts (none for a member without a supplier)."""
    return contracts_of_supplier(session, supplier_id) if supplier_id is not None else []


def get_vacancy(
    session: Session,
    contract_id: int,
    vacancy_id: int,
    supplier_id: int | None,
    with_clause: bool = False,
) -> Vacancy | None:
    """Vacancy `vacancy_id` of contract `contract_id` of this supplier (None: any supplier),
    with its contract and the contract's supplier.

    `with_clause`: with the contract's social clause and its target groups instead of the
    supplier, in the same query (what the ranking needs: the supplier's ranked list saves two
    lazy loads)."""
    query = _vacancy_query(with_clause, supplier_id is not None)
    params = {"vacancy_id": vacancy_id, "contract_id": contract_id, "supplier_id": supplier_id}
    return session.execute(query, params).unique().scalar_one_or_none()


@functools.cache
def _vacancy_query(with_clause: bool, of_supplier: bool) -> Select[tuple[Vacancy]]:
    """`get_vacancy`'s query, built once per shape with bound parameters: the supplier's ranked
    page reads a vacancy on every request, and building the joined query cost as much as
    running it."""
    contract = contains_eager(Vacancy.contract)
    query = (
        select(Vacancy)
        .join(Contract)
        .where(
            Vacancy.id == bindparam("vacancy_id"),
            Vacancy.contract_id == bindparam("contract_id"),
        )
        .options(
            contract.joinedload(Contract.clause).joinedload(SocialClause.target_groups)
            if with_clause
            else contract.joinedload(Contract.supplier)
        )
    )
    if of_supplier:
        query = query.where(Contract.supplier_id == bindparam("supplier_id"))
    return query


def _vacancy_filters(supplier_id: int | None, status: VacancyStatus | None) -> list[Any]:
    filters: list[Any] = []
    if supplier_id is not None:
        filters.append(Contract.supplier_id == supplier_id)
    if status is not None:
        filters.append(Vacancy.status == status)
    return filters


def vacancies_query(
    supplier_id: int | None = None, status: VacancyStatus | None = None
) -> Select[tuple[Vacancy]]:
    """A supplier's vacancies, or every vacancy of the tenant when `supplier_id` is None."""
    return (
        select(Vacancy)
        .join(Contract)
        .where(*_vacancy_filters(supplier_id, status))
        .options(joinedload(Vacancy.contract).joinedload(Contract.supplier))
    )


def list_vacancies(
    session: Session,
    supplier_id: int | None = None,
    status: VacancyStatus | None = None,
    limit: int | None = None,
) -> list[Vacancy]:
    """A supplier's vacancies, or every vacancy of the tenant, by start date (the first `limit`)."""
    query = vacancies_query(supplier_id, status).order_by(Vacancy.start_date, Vacancy.id)
    return list(session.scalars(query.limit(limit)))


def count_vacancies(
    session: Session, supplier_id: int | None = None, status: VacancyStatus | None = None
) -> int:
    query = select(func.count(Vacancy.id)).join(Contract)
    return int(session.scalar(query.where(*_vacancy_filters(supplier_id, status))) or 0)


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
    place = resolve_place(text, place_id, field="locality")
    if place is None:
        raise InvalidInput(_l("Ange orten där arbetsplatsen ligger."), "locality")
    return place


def _check_dates(
    data: VacancyData, contract: Contract, previous: date | None, today: date
) -> None:
    """Within the contract, and not in the past — unless the date is the one already saved (a
    vacancy that has started can still be edited)."""
    if data.start_date < contract.start_date:
        raise InvalidInput(
            _l(
                "Annonsen kan inte börja före avtalet. Avtalet börjar %(start)s.",
                start=contract.start_date,
            ),
            "start_date",
        )
    if data.start_date >= contract.end_date:
        raise InvalidInput(
            _l(
                "Startdatumet måste ligga före avtalets slutdatum (%(end)s).", end=contract.end_date
            ),
            "start_date",
        )
    if data.start_date < today and data.start_date != previous:
        raise InvalidInput(
            _l(
                "Startdatumet har redan passerat. Välj i dag (%(today)s) eller ett senare datum.",
                today=today,
            ),
            "start_date",
        )


def _check_extent(data: VacancyData) -> None:
    if data.extent is Extent.PART_TIME and data.hours_per_week >= MAX_HOURS_PER_WEEK:
        raise InvalidInput(
            _l("Deltid är färre än %(max)d timmar per vecka.", max=MAX_HOURS_PER_WEEK),
            "hours_per_week",
        )


def _apply(vacancy: Vacancy, data: VacancyData, contract: Contract, today: date) -> None:
    # An unchanged text keeps what it was resolved to: a few labels name two concepts.
    if vacancy.occupation_key and data.occupation == vacancy.occupation_label:
        occupation_key, occupation_label = vacancy.occupation_key, vacancy.occupation_label
    else:
        occupation_key, occupation_label = _occupation(data.occupation)
    place = Gazetteer.default().get(vacancy.locality_id) if vacancy.locality_id else None
    if place is None or data.locality != vacancy.locality_name:
        place = resolve_locality(data.locality, data.locality_id)
    _check_dates(data, contract, vacancy.start_date, today)
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


# ---------------------------------------------------------------- writing


def create_vacancy(
    session: Session,
    contract: Contract,
    data: VacancyData,
    actor: Actor,
    *,
    today: date | None = None,
) -> Vacancy:
    """A new vacancy; `today` is the day its start may not lie before (the demo and tests name
    another day)."""
    vacancy = Vacancy(contract=contract, created_by=actor.user_id)
    _apply(vacancy, data, contract, today or date.today())
    session.add(vacancy)
    session.flush()
    record(session, actor, "create", "vacancy", vacancy.id, "vacancies")
    return vacancy


def update_vacancy(
    session: Session,
    vacancy: Vacancy,
    data: VacancyData,
    actor: Actor,
    *,
    today: date | None = None,
) -> Vacancy:
    """Save an edit. Saving, even unchanged, says the vacancy is still current: its staleness
    clock starts again and a stale flag goes."""
    _apply(vacancy, data, vacancy.contract, today or date.today())
    vacancy.updated_at, vacancy.stale_flagged_at = utcnow(), None
    session.flush()
    record(session, actor, "update", "vacancy", vacancy.id, "vacancies")
    return vacancy


# ---------------------------------------------------------------- staleness (the deadline run)

#: An open vacancy nobody saved for this long is flagged; still unsaved this long after the flag,
#: it is closed.
STALE_AFTER = timedelta(days=90)
CLOSE_AFTER_FLAG = timedelta(days=30)


def flag_stale_vacancies(session: Session, now: datetime) -> list[Vacancy]:
    """Flag the open vacancies not saved for `STALE_AFTER`; the ones flagged now."""
    found = list(
        session.scalars(
            select(Vacancy)
            .where(
                Vacancy.status == VacancyStatus.OPEN,
                Vacancy.stale_flagged_at.is_(None),
                Vacancy.updated_at < now - STALE_AFTER,
            )
            .order_by(Vacancy.id)
        )
    )
    for vacancy in found:
        # updated_at named as itself: the flag is not a change by the supplier
        session.execute(
            update(Vacancy)
            .where(Vacancy.id == vacancy.id)
            .values(stale_flagged_at=now, updated_at=Vacancy.updated_at)
        )
        record(session, SystemActor(), "flag", "vacancy", vacancy.id, "stale")
    session.flush()
    for vacancy in found:
        session.refresh(vacancy)
    return found


def close_stale_vacancies(session: Session, now: datetime) -> list[Vacancy]:
    """Close the vacancies flagged `CLOSE_AFTER_FLAG` ago and not saved since; the ones closed."""
    found = list(
        session.scalars(
            select(Vacancy)
            .where(
                Vacancy.status == VacancyStatus.OPEN,
                Vacancy.stale_flagged_at < now - CLOSE_AFTER_FLAG,
            )
            .order_by(Vacancy.id)
        )
    )
    for vacancy in found:
        vacancy.status = VacancyStatus.CLOSED
        record(session, SystemActor(), "close", "vacancy", vacancy.id, "stale")
    session.flush()
    return found
