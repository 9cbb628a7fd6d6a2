"""Demo contracts: each demo municipality's supplier gets a contract with a social clause, and a
second supplier with its own contract shows that suppliers only see their own. Idempotent: a
contract is looked up by its diarienummer, a supplier by its organisationsnummer."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from hansyn.tenants.audit.operations import DEMO_ACTOR
from hansyn.tenants.contracts.models import ClauseType, Contract, ServiceCategory
from hansyn.tenants.contracts.operations import ClauseData, ContractData, save_contract
from hansyn.tenants.programmes.models import Programme
from hansyn.tenants.suppliers.models import Supplier
from hansyn.tenants.suppliers.operations import SupplierData, create_supplier


@dataclass(frozen=True)
class DemoContract:
    reference: str
    title: str
    category: ServiceCategory
    start: date
    end: date
    clause: ClauseData
    target_codes: tuple[str, ...]


#: The second demo supplier of each municipality (fictitious; valid Luhn check digits).
SECOND_SUPPLIERS = {
    "goteborg": SupplierData(
        "Hisingens Måltidspartner AB", "5569123457", "Sara Lindqvist",
        "sara.lindqvist@maltidspartner.example", "031-700 12 34",
    ),
    "boras": SupplierData(
        "Viskadalens Fastighetsservice AB", "5590012349", "Jonas Bergström",
        "jonas@viskadalen-fastighet.example", "033-41 22 00",
    ),
}

FIRST_CONTRACTS = {
    "goteborg": DemoContract(
        "SK-2025-0412", "Lokalvård skolor Hisingen", ServiceCategory.CLEANING,
        date(2026, 1, 1), date(2028, 12, 31),
        ClauseData(
            ClauseType.REQUIREMENT, persons=3, months_per_person=12,
            description="Leverantören ska under avtalstiden anställa tre personer ur "
            "målgrupperna i minst tolv månader vardera, på minst 75 % av heltid.",
        ),
        ("etablering", "jobbtorg", "forsorjningsstod"),
    ),
    "boras": DemoContract(
        "KS 2025/318", "Skötsel av parker och grönytor, centrala Borås", ServiceCategory.GROUNDS,
        date(2026, 4, 1), date(2029, 3, 31),
        ClauseData(
            ClauseType.REQUIREMENT, persons=2, months_per_person=12,
            description="Två anställningar om tolv månader vardera, varav en säsongsanställning "
            "som förlängs till helår.",
        ),
        ("jobbgaranti", "ungdomsgaranti"),
    ),
}

SECOND_CONTRACTS = {
    "goteborg": DemoContract(
        "SK-2025-0977", "Måltidsleveranser äldreboenden Hisingen", ServiceCategory.MEALS,
        date(2026, 3, 1), date(2029, 2, 28),
        ClauseData(ClauseType.BONUS, full_time_months=18),
        ("etablering", "jobbgaranti"),
    ),
    "boras": DemoContract(
        "KS 2025/402", "Fastighetsskötsel förskolor", ServiceCategory.PROPERTY,
        date(2026, 2, 1), date(2028, 1, 31),
        ClauseData(ClauseType.DIALOGUE),
        (),
    ),
}


def _ensure_supplier(session: Session, data: SupplierData) -> Supplier:
    found = session.scalar(select(Supplier).where(Supplier.org_number == data.org_number))
    return found or create_supplier(session, data, DEMO_ACTOR)


def _ensure_contract(session: Session, demo: DemoContract, supplier_id: int) -> Contract:
    found = session.scalar(select(Contract).where(Contract.reference == demo.reference))
    if found is not None:
        return found
    groups = session.scalars(select(Programme.id).where(Programme.code.in_(demo.target_codes)))
    clause = replace(demo.clause, target_group_ids=tuple(groups))
    data = ContractData(
        demo.reference, demo.title, demo.category, supplier_id, demo.start, demo.end, clause
    )
    return save_contract(session, data, DEMO_ACTOR)


def load_contracts_demo(session: Session, slug: str, supplier_id: int) -> None:
    """Contracts for the demo supplier `supplier_id`, and a second supplier with its own."""
    if slug not in FIRST_CONTRACTS:
        return
    _ensure_contract(session, FIRST_CONTRACTS[slug], supplier_id)
    second = _ensure_supplier(session, SECOND_SUPPLIERS[slug])
    _ensure_contract(session, SECOND_CONTRACTS[slug], second.id)
