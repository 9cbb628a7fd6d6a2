"""Demo content inside one municipality (idempotent). Each domain adds its part here."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hansyn.tenants.candidates.demo import load_candidates_demo
from hansyn.tenants.contracts.demo import load_contracts_demo
from hansyn.tenants.matches.demo import load_cases_demo
from hansyn.tenants.placements.demo import load_placements_demo
from hansyn.tenants.suppliers.models import Supplier
from hansyn.tenants.vacancies.demo import load_vacancies_demo

#: (name, organisationsnummer) — fictitious companies with valid Luhn check digits.
DEMO_SUPPLIERS = {
    "goteborg": ("Västkust Städ & Service AB", "5566778899"),
    "boras": ("Sjuhärads Bygg och Mark AB", "5561234567"),
}


@dataclass(frozen=True)
class TenantDemo:
    supplier_id: int


def _ensure_supplier(session: Session, name: str, org_number: str) -> Supplier:
    supplier = session.scalar(select(Supplier).where(Supplier.org_number == org_number))
    if supplier is None:
        supplier = Supplier(name=name, org_number=org_number, contact_name="Demo Kontakt")
        session.add(supplier)
        session.flush()
    return supplier


def load_tenant_demo(session: Session, slug: str) -> TenantDemo:
    name, org_number = DEMO_SUPPLIERS[slug]
    supplier = _ensure_supplier(session, name, org_number)
    load_contracts_demo(session, slug, supplier.id)
    load_candidates_demo(session, slug)
    load_vacancies_demo(session, slug)
    load_cases_demo(session, slug)
    load_placements_demo(session, slug, supplier.id)
    return TenantDemo(supplier_id=supplier.id)
