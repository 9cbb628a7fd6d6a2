"""Writing and reading the procurement register. Functions take a session and only flush."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from hansyn.errors import InvalidInput, Problems
from hansyn.platform.pagination import contains_text
from hansyn.tenants.audit.operations import Actor, record
from hansyn.tenants.contracts.models import Contract, ServiceCategory
from hansyn.tenants.procurements.models import Procurement, ValueBand

FIRST_DAY = date(2000, 1, 1)


@dataclass(frozen=True)
class ProcurementData:
    reference: str | None
    title: str
    category: ServiceCategory
    value_band: ValueBand
    decided_on: date | None
    employment_requirement: bool
    contract_id: int | None = None


def list_procurements(session: Session) -> list[Procurement]:
    query = (
        select(Procurement)
        .options(selectinload(Procurement.contract))
        .order_by(Procurement.decided_on.desc(), Procurement.id.desc())
    )
    return list(session.scalars(query))


def search_procurements(words: str = "") -> Select[tuple[Procurement]]:
    """The register's procurements whose title or reference contains `words` (all without);
    unordered: the register's page orders them by id, newest registered first."""
    query = select(Procurement).options(selectinload(Procurement.contract))
    if words:
        title, reference = Procurement.title, Procurement.reference
        query = query.where(or_(contains_text(title, words), contains_text(reference, words)))
    return query


def unregistered_contracts(session: Session, procurement: Procurement | None) -> list[Contract]:
    """Contracts no other procurement of the register points to (for the form's choice)."""
    taken = select(Procurement.contract_id).where(Procurement.contract_id.is_not(None))
    if procurement is not None:
        taken = taken.where(Procurement.id != procurement.id)
    query = select(Contract).where(Contract.id.not_in(taken)).order_by(Contract.title)
    return list(session.scalars(query))


def _check(session: Session, data: ProcurementData, procurement: Procurement | None,
           today: date) -> tuple[str | None, str, date, Contract | None]:
    problems = Problems()
    reference = (data.reference or "").strip() or None
    title = (data.title or "").strip()
    with problems.check():
        if reference is not None and _reference_taken(session, reference, procurement):
            raise InvalidInput(_l("Diarienumret finns redan i registret."), "reference")
    with problems.check():
        if not title:
            raise InvalidInput(_l("Ange upphandlingens benämning."), "title")
    with problems.check():
        if data.decided_on is None or not FIRST_DAY <= data.decided_on <= today:
            raise InvalidInput(_l("Ange datumet för tilldelningsbeslutet; det kan inte ligga i "
                                  "framtiden."), "decided_on")
    contract = None
    with problems.check():
        contract = _contract(session, data, procurement)
    problems.raise_any()
    assert data.decided_on is not None  # noqa: S101 (checked above)
    return reference, title, data.decided_on, contract


def _reference_taken(session: Session, reference: str, procurement: Procurement | None) -> bool:
    query = select(Procurement.id).where(Procurement.reference == reference)
    if procurement is not None:
        query = query.where(Procurement.id != procurement.id)
    return session.scalar(query) is not None


def _contract(session: Session, data: ProcurementData,
              procurement: Procurement | None) -> Contract | None:
    if data.contract_id is None:
        return None
    allowed = {c.id: c for c in unregistered_contracts(session, procurement)}
    contract = allowed.get(data.contract_id)
    if contract is None:
        raise InvalidInput(_l("Välj ett avtal som inte redan hör till en annan upphandling."),
                           "contract_id")
    return contract


def save_procurement(session: Session, data: ProcurementData, actor: Actor, today: date,
                     procurement: Procurement | None = None) -> Procurement:
    """Create or update; a procurement tied to a contract with a clause carries a requirement."""
    reference, title, decided_on, contract = _check(session, data, procurement, today)
    created = procurement is None
    procurement = procurement or Procurement()
    procurement.reference = reference
    procurement.title = title
    procurement.category = data.category
    procurement.value_band = data.value_band
    procurement.decided_on = decided_on
    procurement.contract_id = contract.id if contract is not None else None
    procurement.employment_requirement = data.employment_requirement or contract is not None
    session.add(procurement)
    session.flush()
    record(session, actor, "create" if created else "update", "procurement", procurement.id,
           "procurements")
    return procurement


def delete_procurement(session: Session, procurement: Procurement, actor: Actor) -> None:
    record(session, actor, "delete", "procurement", procurement.id, "procurements")
    session.delete(procurement)
    session.flush()
