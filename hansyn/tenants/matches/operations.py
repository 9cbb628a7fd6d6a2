"""Write logic of matching: a supplier's request to meet a candidate it knows by pseudonym."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from hansyn.errors import InvalidInput
from hansyn.tenants.audit.operations import Actor, record
from hansyn.tenants.candidates.models import Candidate
from hansyn.tenants.candidates.operations import candidates_visible_to_suppliers
from hansyn.tenants.contracts.models import Contract
from hansyn.tenants.matches.models import MeetingRequest, MeetingStatus
from hansyn.tenants.matches.pseudonyms import candidate_of
from hansyn.tenants.vacancies.models import Vacancy, VacancyStatus


def request_meeting(
    session: Session, vacancy: Vacancy, supplier_id: int, pseudonym: str, actor: Actor
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
        requested_by=actor.user_id,
        status=MeetingStatus.REQUESTED,
    )
    session.add(meeting)
    session.flush()
    record(session, actor, "create", "meeting_request", meeting.id, "matches")
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
