"""Write logic and queries of matching: a supplier's request to meet a candidate it knows by
pseudonym, a coordinator's proposal, and the lists of cases people work from.

Moving a case is `workflow.transition` (re-exported here with `obsolete_other_cases`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from hansyn.errors import InvalidInput
from hansyn.platform.models import utcnow
from hansyn.platform.pagination import contains_text
from hansyn.tenants.audit.operations import Actor, record
from hansyn.tenants.candidates.models import Candidate
from hansyn.tenants.contracts.models import Contract
from hansyn.tenants.matches.models import (
    DEFAULT_ANSWER_DAYS,
    OPEN_STATES,
    Case,
    CaseOrigin,
    CaseReason,
    CaseSettings,
    CaseState,
    ReasonKind,
)
from hansyn.tenants.matches.pseudonyms import candidate_of
from hansyn.tenants.matches.workflow import (
    candidate_visible,
    obsolete_other_cases,
    open_case,
    transition,
)
from hansyn.tenants.vacancies.models import Vacancy, VacancyStatus

__all__ = [
    "CaseFilter",
    "candidate_visible",
    "case_for",
    "list_cases",
    "obsolete_other_cases",
    "propose_candidate",
    "request_meeting",
    "transition",
]


def request_meeting(
    session: Session, vacancy: Vacancy, supplier_id: int, pseudonym: str, actor: Actor
) -> Case:
    """The supplier wants to meet the candidate it knows as `pseudonym`: a REQUESTED case.

    Only a pseudonym this supplier was shown, of a candidate suppliers may still see, counts;
    asking twice for the same vacancy returns the first case.
    """
    if vacancy.status is not VacancyStatus.OPEN:
        raise InvalidInput(_l("Annonsen är inte öppen."), "pseudonym")
    candidate_id = candidate_of(session, supplier_id, pseudonym)
    if candidate_id is None or not candidate_visible(session, candidate_id):
        raise InvalidInput(_l("Kandidaten finns inte längre i listan."), "pseudonym")
    existing = case_for(session, vacancy.id, candidate_id)
    if existing is not None:
        return existing
    return open_case(session, vacancy, candidate_id, actor, CaseOrigin.SUPPLIER)


def propose_candidate(
    session: Session,
    vacancy: Vacancy,
    candidate_id: int,
    actor: Actor,
    message: str | None = None,
    note: str | None = None,
) -> Case:
    """A coordinator proposes the candidate for the vacancy: a PROPOSED case."""
    if case_for(session, vacancy.id, candidate_id) is not None:
        raise InvalidInput(
            _l("Den arbetssökande har redan ett ärende för den här annonsen."), "vacancy_id"
        )
    return open_case(
        session, vacancy, candidate_id, actor, CaseOrigin.COORDINATOR, message=message, note=note
    )


def case_for(session: Session, vacancy_id: int, candidate_id: int) -> Case | None:
    return session.scalar(
        select(Case).where(Case.vacancy_id == vacancy_id, Case.candidate_id == candidate_id)
    )


def get_case(session: Session, case_id: int, supplier_id: int | None = None) -> Case | None:
    """Case `case_id`; with `supplier_id`, only if it is that supplier's (else None, as for a
    case that does not exist)."""
    query = _with_relations(select(Case).where(Case.id == case_id))
    if supplier_id is not None:
        query = query.where(Case.supplier_id == supplier_id)
    return session.scalar(query)


# ---------------------------------------------------------------- lists


@dataclass(frozen=True)
class CaseFilter:
    vacancy_id: int | None = None
    states: Collection[CaseState] = ()
    supplier_id: int | None = None
    candidate_id: int | None = None
    #: Part of the candidate's name (staff lists only).
    candidate_name: str = ""


def _with_relations(query: Select[tuple[Case]]) -> Select[tuple[Case]]:
    return query.options(
        joinedload(Case.vacancy).joinedload(Vacancy.contract).joinedload(Contract.supplier),
        joinedload(Case.candidate),
        joinedload(Case.supplier),
    )


def _filtered(query: Select[tuple[Case]], where: CaseFilter) -> Select[tuple[Case]]:
    if where.states:
        query = query.where(Case.state.in_(list(where.states)))
    if where.supplier_id is not None:
        query = query.where(Case.supplier_id == where.supplier_id)
    if where.vacancy_id is not None:
        query = query.where(Case.vacancy_id == where.vacancy_id)
    if where.candidate_id is not None:
        query = query.where(Case.candidate_id == where.candidate_id)
    if where.candidate_name:
        named = select(Candidate.id).where(contains_text(Candidate.name, where.candidate_name))
        query = query.where(Case.candidate_id.in_(named))
    return query


def cases_query(where: CaseFilter | None = None) -> Select[tuple[Case]]:
    """The select of the cases `where` asks for, for `platform.pagination.paginate`."""
    return _filtered(_with_relations(select(Case)), where or CaseFilter())


def list_cases(
    session: Session,
    where: CaseFilter | None = None,
    *,
    limit: int | None = None,
    before_id: int | None = None,
) -> list[Case]:
    """Cases, the newest first; `before_id` continues a list after its last case (a keyset
    page: as fast on the hundredth page as on the first)."""
    query = _filtered(_with_relations(select(Case)), where or CaseFilter())
    if before_id is not None:
        query = query.where(Case.id < before_id)
    query = query.order_by(Case.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def count_cases(session: Session, where: CaseFilter | None = None) -> int:
    query = _filtered(select(func.count(Case.id)), where or CaseFilter())  # type: ignore[arg-type]
    return session.scalar(query) or 0


def count_open_cases(session: Session, supplier_id: int | None = None) -> int:
    return count_cases(session, CaseFilter(states=OPEN_STATES, supplier_id=supplier_id))


def candidate_names(session: Session, candidate_ids: Collection[int]) -> dict[int, str]:
    """Names for the municipality's own pages (never for a supplier's)."""
    rows = session.execute(
        select(Candidate.id, Candidate.name).where(Candidate.id.in_(list(candidate_ids)))
    )
    return {int(row.id): row.name or "–" for row in rows}


# ---------------------------------------------------------------- settings


def get_settings(session: Session) -> CaseSettings:
    settings = session.scalar(select(CaseSettings).order_by(CaseSettings.id).limit(1))
    if settings is None:
        settings = CaseSettings(answer_days=DEFAULT_ANSWER_DAYS)
        session.add(settings)
        session.flush()
    return settings


def answer_days(session: Session) -> int:
    settings = session.scalar(select(CaseSettings).order_by(CaseSettings.id).limit(1))
    return settings.answer_days if settings else DEFAULT_ANSWER_DAYS


def set_answer_days(session: Session, days: int, actor: Actor) -> CaseSettings:
    settings = get_settings(session)
    if settings.answer_days != days:
        settings.answer_days, settings.updated_at = days, utcnow()
        session.flush()
        record(session, actor, "update", "case_settings", settings.id, f"answer_days={days}")
    return settings


# ---------------------------------------------------------------- reasons


def all_reasons(session: Session) -> list[CaseReason]:
    return list(session.scalars(select(CaseReason).order_by(CaseReason.sort_order)))


def usable_reasons(session: Session, kind: str) -> list[CaseReason]:
    """What people may choose: this kind, not Hänsyn's own, not retired."""
    return list(
        session.scalars(
            select(CaseReason)
            .where(
                CaseReason.kind == ReasonKind(kind),
                CaseReason.system.is_(False),
                CaseReason.retired_at.is_(None),
            )
            .order_by(CaseReason.sort_order)
        )
    )


def get_reason(session: Session, code: str) -> CaseReason | None:
    return session.get(CaseReason, code[:40])


def set_reason_retired(session: Session, reason: CaseReason, retired: bool, actor: Actor) -> None:
    """Hide a reason from the forms (or show it again); it is never deleted."""
    if retired == (reason.retired_at is not None):
        return
    reason.retired_at = utcnow() if retired else None
    session.flush()
    record(session, actor, "retire" if retired else "restore", "case_reason", None, reason.code)


# ---------------------------------------------------------------- vacancies to propose for


def open_vacancy(session: Session, vacancy_id: int) -> Vacancy | None:
    return session.scalar(
        select(Vacancy)
        .where(Vacancy.id == vacancy_id, Vacancy.status == VacancyStatus.OPEN)
        .options(joinedload(Vacancy.contract).joinedload(Contract.supplier))
    )


def open_vacancies(session: Session) -> list[Vacancy]:
    return list(
        session.scalars(
            select(Vacancy)
            .where(Vacancy.status == VacancyStatus.OPEN)
            .options(joinedload(Vacancy.contract).joinedload(Contract.supplier))
            .order_by(Vacancy.start_date, Vacancy.id)
        )
    )
