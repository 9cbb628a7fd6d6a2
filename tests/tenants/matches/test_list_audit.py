"""Every list that shows candidates to anyone writes one audit row per candidate shown, so the
municipality can answer "which suppliers saw this person" (and which staff listed them)."""

from __future__ import annotations

from sqlalchemy import select

from hansyn.tenants.audit.models import AuditEvent
from tests.fixtures.vacancies import new_vacancy_row


def _reads(app, purpose_prefix: str) -> list[AuditEvent]:
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa") as session:
        query = select(AuditEvent).where(
            AuditEvent.action == "view", AuditEvent.purpose.startswith(purpose_prefix)
        )
        return list(session.scalars(query))


def test_supplier_list_and_json_audit_each_candidate_shown_with_the_supplier(
    app, login, create_supplier_with_contract, create_candidate
):
    special = "Mönstermurning av kakelugnar"
    shown = {
        create_candidate("alfa", consent=True, skills=[special, "Städning"]) for _ in range(3)
    }
    setup = create_supplier_with_contract("alfa")
    vacancy = new_vacancy_row(app, "alfa", setup.contract_id, required_skills=[special])
    client = login(alfa=[("supplier", setup.supplier_id)])
    base = f"/alfa/vacancies/{setup.contract_id}/{vacancy}"

    assert client.get(f"{base}/candidates").status_code == 200
    page_rows = _reads(app, f"supplier list {vacancy}")
    assert {row.subject_id for row in page_rows} >= shown
    assert {(row.subject_type, row.supplier_id) for row in page_rows} == {
        ("candidate", setup.supplier_id)
    }
    listed = client.get(f"{base}/candidates.json").get_json()["candidates"]
    json_rows = _reads(app, f"supplier list json {vacancy}")
    assert len(json_rows) == len(listed) >= 3
    assert {row.subject_id for row in json_rows} >= shown


def test_the_read_log_names_the_supplier_that_saw_the_candidate(
    app, login, create_supplier_with_contract, create_candidate
):
    special = "Restaurering av blyinfattade fönster"
    candidate = create_candidate("alfa", consent=True, skills=[special])
    setup = create_supplier_with_contract("alfa")
    vacancy = new_vacancy_row(app, "alfa", setup.contract_id, required_skills=[special])
    supplier = login(alfa=[("supplier", setup.supplier_id)])
    supplier.get(f"/alfa/vacancies/{setup.contract_id}/{vacancy}/candidates")

    log = login(alfa=["admin"]).get(f"/alfa/candidates/{candidate}/log").text
    assert f"leverantörens kandidatlista, annons {vacancy}" in log
    assert "(leverantör Leverantör AB " in log


def test_coordinator_lists_audit_each_person_shown(app, login, create_candidate):
    candidate = create_candidate("alfa", consent=True)
    coordinator = login(alfa=["coordinator"])
    assert coordinator.get("/alfa/candidates/").status_code == 200
    assert candidate in {row.subject_id for row in _reads(app, "candidate list")}
    assert coordinator.get("/alfa/cases/").status_code == 200
    admin = login(alfa=["admin"])
    assert admin.get("/alfa/candidates/register").status_code == 200
    assert candidate in {row.subject_id for row in _reads(app, "register list")}
