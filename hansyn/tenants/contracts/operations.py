"""Write and read logic for contracts and their social clause. Functions take a session and only
flush; the request commits.

For other domains: `contracts_of_supplier(session, supplier_id)` lists one supplier's contracts,
and `get_contract_for_member(session, contract_id, member)` loads a contract the current member
may see, or answers 404 (a supplier never learns that another supplier's contract exists).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from hansyn.db import TenantBase
from hansyn.errors import InvalidInput, Problems
from hansyn.platform.models import Role
from hansyn.platform.pagination import contains_text
from hansyn.tenants.audit.operations import Actor, record
from hansyn.tenants.context import Member
from hansyn.tenants.contracts.followup import add_months, required_full_time_months
from hansyn.tenants.contracts.labels import clause_type_label
from hansyn.tenants.contracts.models import (
    DEFAULT_EARLY_END_SHARE,
    DEFAULT_FIRST_HIRE_MONTHS,
    ClauseType,
    Contract,
    ServiceCategory,
    SocialClause,
)
from hansyn.tenants.programmes.models import Programme
from hansyn.tenants.suppliers.models import Supplier

#: Roles that see every contract of the tenant; a supplier sees only its own.
ROLES_SEEING_ALL = (Role.ADMIN, Role.COORDINATOR)


@dataclass(frozen=True)
class ClauseData:
    clause_type: ClauseType
    full_time_months: int | None = None
    persons: int | None = None
    months_per_person: int | None = None
    #: None: DEFAULT_FIRST_HIRE_MONTHS after the contract starts.
    first_hire_deadline: date | None = None
    early_end_share: int = DEFAULT_EARLY_END_SHARE
    target_group_ids: Sequence[int] = field(default_factory=tuple)
    description: str | None = None


@dataclass(frozen=True)
class ContractData:
    reference: str
    title: str
    category: ServiceCategory
    supplier_id: int | None
    start_date: date
    end_date: date
    clause: ClauseData


# Reading ------------------------------------------------------------------------------------


def _with_details() -> tuple[ExecutableOption, ...]:
    return (
        selectinload(Contract.supplier),
        selectinload(Contract.clause).selectinload(SocialClause.target_groups),
    )


def search_contracts(supplier_id: int | None = None, words: str = "") -> Select[tuple[Contract]]:
    """Contracts (one supplier's, or all) whose reference or title contains `words`."""
    query = select(Contract).options(*_with_details())
    if supplier_id is not None:
        query = query.where(Contract.supplier_id == supplier_id)
    if words:
        query = query.where(
            or_(contains_text(Contract.reference, words), contains_text(Contract.title, words))
        )
    return query


def list_contracts(session: Session) -> list[Contract]:
    query = (
        select(Contract).options(*_with_details()).order_by(Contract.start_date.desc(), Contract.id)
    )
    return list(session.scalars(query))


def contracts_of_supplier(session: Session, supplier_id: int) -> list[Contract]:
    """One supplier's contracts, newest first."""
    query = (
        select(Contract)
        .options(*_with_details())
        .where(Contract.supplier_id == supplier_id)
        .order_by(Contract.start_date.desc(), Contract.id)
    )
    return list(session.scalars(query))


def contract_counts(session: Session) -> dict[int, int]:
    """Number of contracts per supplier id (suppliers without contracts are absent)."""
    query = select(Contract.supplier_id, func.count(Contract.id)).group_by(Contract.supplier_id)
    return {row.supplier_id: row[1] for row in session.execute(query)}


def may_see(contract: Contract, member: Member) -> bool:
    if member.has(*ROLES_SEEING_ALL):
        return True
    return member.has(Role.SUPPLIER) and contract.supplier_id == member.supplier_id


def get_contract_for_member(session: Session, contract_id: int, member: Member) -> Contract:
    """The contract, if this member may see it; 404 otherwise (also for another supplier's)."""
    contract = session.get(Contract, contract_id)
    if contract is None or not may_see(contract, member):
        abort(404)
    return contract


# Writing ------------------------------------------------------------------------------------


def _check_contract(session: Session, data: ContractData, contract: Contract | None) -> str:
    problems = Problems()
    reference = (data.reference or "").strip()
    with problems.check():
        _check_reference(session, reference, contract)
    if not (data.title or "").strip():
        problems.found.append(InvalidInput(_l("Ange avtalets benämning."), "title"))
    if data.supplier_id is None or session.get(Supplier, data.supplier_id) is None:
        problems.found.append(InvalidInput(_l("Välj en leverantör."), "supplier_id"))
    if data.end_date <= data.start_date:
        problems.found.append(
            InvalidInput(_l("Slutdatum måste vara efter startdatum."), "end_date")
        )
    problems.raise_any()
    return reference


def _check_reference(session: Session, reference: str, contract: Contract | None) -> None:
    if not reference:
        raise InvalidInput(_l("Ange upphandlingens diarienummer."), "reference")
    taken = session.scalar(select(Contract).where(Contract.reference == reference))
    if taken is not None and taken is not contract:
        raise InvalidInput(
            _l("Det finns redan ett avtal med diarienumret %(reference)s.", reference=reference),
            "reference",
        )


def _check_months(clause: ClauseData) -> int:
    given = (clause.full_time_months, clause.persons, clause.months_per_person)
    names = ("full_time_months", "persons", "months_per_person")
    for name, value in zip(names, given, strict=True):
        if value is not None and value <= 0:
            raise InvalidInput(_l("Ange ett tal större än noll."), name)
    if (clause.persons is None) != (clause.months_per_person is None):
        missing = "months_per_person" if clause.months_per_person is None else "persons"
        raise InvalidInput(_l("Ange både antal personer och månader per person."), missing)
    total = required_full_time_months(*given)
    if (
        clause.full_time_months is not None
        and clause.persons is not None
        and (clause.full_time_months != clause.persons * (clause.months_per_person or 0))
    ):
        raise InvalidInput(
            _l(
                "Heltidsmånaderna stämmer inte med personer × månader; ange det ena eller se till "
                "att de stämmer."
            ),
            "full_time_months",
        )
    if clause.clause_type is not ClauseType.DIALOGUE and total == 0:
        raise InvalidInput(
            _l("Ange antal heltidsmånader, eller antal personer och månader per person."),
            "full_time_months",
        )
    return total


def _check_clause(session: Session, clause: ClauseData, start: date, end: date) -> list[Programme]:
    if not 0 <= clause.early_end_share <= 100:
        raise InvalidInput(_l("Andelen ska vara mellan 0 och 100 procent."), "early_end_share")
    deadline = clause.first_hire_deadline
    if deadline is not None and not start <= deadline <= end:
        raise InvalidInput(
            _l("Första anställningen ska ske under avtalstiden (mellan start- och slutdatum)."),
            "first_hire_deadline",
        )
    ids = set(clause.target_group_ids)
    groups = list(session.scalars(select(Programme).where(Programme.id.in_(ids)))) if ids else []
    if len(groups) != len(ids):
        raise InvalidInput(_l("Välj målgrupper ur kommunens katalog."), "target_groups")
    return groups


def has_dependents(session: Session, contract: Contract) -> bool:
    """Whether rows of other domains (vacancies and what hangs on them) refer to the contract.

    Found through the schema's foreign keys, so this domain need not import the ones built on it.
    """
    for table in TenantBase.metadata.tables.values():
        if table.name == SocialClause.__tablename__:
            continue
        for key in table.foreign_keys:
            if key.column.table.name == Contract.__tablename__:
                query = select(key.parent).where(key.parent == contract.id).limit(1)
                if session.execute(query).first() is not None:
                    return True
    return False


def _check_supplier_change(session: Session, data: ContractData, contract: Contract) -> None:
    """A contract with vacancies stays with its supplier: moving it would hand the vacancies and
    their meeting requests (with what candidates shared) to another company."""
    if data.supplier_id != contract.supplier_id and has_dependents(session, contract):
        raise InvalidInput(
            _l(
                "Leverantören kan inte bytas på ett avtal som har annonser. Registrera ett nytt "
                "avtal för den nya leverantören."
            ),
            "supplier_id",
        )


def default_first_hire_deadline(start: date, end: date) -> date:
    return min(add_months(start, DEFAULT_FIRST_HIRE_MONTHS), end)


def save_contract(
    session: Session, data: ContractData, actor: Actor, contract: Contract | None = None
) -> Contract:
    """Create (contract=None) or update a contract together with its social clause.

    Every mistake in `data` is reported at once (InvalidInput.problems)."""
    problems = Problems()
    with problems.check():
        reference = _check_contract(session, data, contract)
    with problems.check():
        total = _check_months(data.clause)
    with problems.check():
        groups = _check_clause(session, data.clause, data.start_date, data.end_date)
    if contract is not None:
        with problems.check():
            _check_supplier_change(session, data, contract)
    problems.raise_any()
    action = "update" if contract is not None else "create"
    if contract is None:
        contract = Contract()
        session.add(contract)
    contract.reference, contract.title = reference, data.title.strip()
    contract.category, contract.supplier_id = data.category, data.supplier_id  # type: ignore[assignment]
    contract.start_date, contract.end_date = data.start_date, data.end_date
    clause = contract.clause or SocialClause()
    contract.clause = clause
    _apply_clause(clause, data, total, groups)
    session.flush()
    record(session, actor, action, "contract", contract.id, "contracts")
    return contract


def _apply_clause(
    clause: SocialClause, data: ContractData, total: int, groups: list[Programme]
) -> None:
    given = data.clause
    clause.clause_type = given.clause_type
    clause.full_time_months, clause.persons = given.full_time_months, given.persons
    clause.months_per_person, clause.total_months = given.months_per_person, total
    clause.first_hire_deadline = given.first_hire_deadline or default_first_hire_deadline(
        data.start_date, data.end_date
    )
    clause.early_end_share = given.early_end_share
    clause.target_groups = groups
    clause.description = (given.description or "").strip() or None


# Summaries for lists and the dashboard ------------------------------------------------------


def contract_phase(contract: Contract, today: date) -> str:
    if today < contract.start_date:
        return _("kommande")
    if today > contract.end_date:
        return _("avslutat")
    return _("pågående")


def clause_scope(clause: SocialClause) -> str:
    """The size of the requirement, e.g. "36 heltidsmånader (3 personer × 12 månader)"."""
    months = clause.total_months
    if not months:
        return ""
    text = ngettext("%(num)d heltidsmånad", "%(num)d heltidsmånader", months)
    if clause.persons and clause.months_per_person:
        text += " " + _(
            "(%(persons)s × %(months)s)",
            persons=ngettext("%(num)d person", "%(num)d personer", clause.persons),
            months=ngettext("%(num)d månad", "%(num)d månader", clause.months_per_person),
        )
    return text


def clause_summary(clause: SocialClause | None) -> str:
    """One line about the requirement, e.g. "Sysselsättningskrav med antal: 36 heltidsmånader
    (3 personer × 12 månader)"."""
    if clause is None:
        return _("Inget sysselsättningskrav")
    scope = clause_scope(clause)
    label = clause_type_label(clause.clause_type)
    return f"{label}: {scope}" if scope else label
