"""The procurement register: the admin keeps it, analysts read it, and it feeds the share of
procurements with an employment requirement."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from hansyn.tenants.procurements.models import Procurement
from tests.fixtures.platform import unique
from tests.fixtures.statistics import procure_in


def _form(**overrides):
    values = {"reference": "", "title": "Lokalvård skolor", "category": "cleaning",
              "value_band": "1m_5m", "decided_on": "2026-02-10", "contract_id": ""}
    values.update(overrides)
    return values


def _id_of(app, title: str) -> int:
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa") as session:
        return session.scalar(select(Procurement.id).where(Procurement.title == title))


def test_the_admin_registers_edits_and_removes_a_procurement(app, login):
    client = login(alfa=["admin"])
    title = unique("Snöröjning ")
    created = client.post_form("/alfa/procurements/new",
                               _form(title=title, employment_requirement="y"))
    assert created.status_code == 302
    assert title in client.get("/alfa/procurements/").text
    procurement_id = _id_of(app, title)
    edit = client.get(f"/alfa/procurements/{procurement_id}/edit")
    assert title in edit.text
    renamed = unique("Vinterväghållning ")
    saved = client.post_form(f"/alfa/procurements/{procurement_id}/edit",
                             _form(title=renamed, value_band="5m_20m"))
    assert saved.status_code == 302
    listing = client.get("/alfa/procurements/").text
    assert renamed in listing
    assert "5–20 Mkr" in listing
    removed = client.post_form(f"/alfa/procurements/{procurement_id}/delete")
    assert removed.status_code == 302
    assert renamed not in client.get("/alfa/procurements/").text


def test_a_procurement_decided_in_the_future_is_refused(login):
    client = login(alfa=["admin"])
    future = (date.today() + timedelta(days=3)).isoformat()
    refused = client.post_form("/alfa/procurements/new", _form(decided_on=future))
    assert refused.status_code == 200
    assert "kan inte ligga i framtiden" in refused.text


def test_an_analyst_reads_the_register_but_cannot_change_it(app, login):
    [procurement_id] = procure_in(app, "alfa", date(2021, 3, 3), requirement=False)
    analyst = login(alfa=["analyst"])
    assert analyst.get("/alfa/procurements/").status_code == 200
    assert analyst.get("/alfa/procurements/register.csv").status_code == 200
    assert analyst.get("/alfa/procurements/new").status_code == 403
    assert analyst.post_form(f"/alfa/procurements/{procurement_id}/delete").status_code == 403


def test_the_share_with_a_requirement_is_set_against_the_target(app, login, quarter):
    procure_in(app, "alfa", quarter.first_day, requirement=True, count=3)
    procure_in(app, "alfa", quarter.first_day, requirement=False, count=1)
    client = login(alfa=["analyst"])
    csv = client.get(f"/alfa/statistics/figures/procurements.csv?period={quarter.code}").text
    last = csv.strip().splitlines()[-1]
    assert last.endswith('"75";"50"')


def test_a_procurement_tied_to_a_contract_carries_a_requirement(app, login, create_contract):
    contract = create_contract("alfa")
    client = login(alfa=["admin"])
    created = client.post_form("/alfa/procurements/new",
                               _form(title="Avtalad lokalvård", contract_id=str(contract.id)))
    assert created.status_code == 302
    listing = client.get("/alfa/procurements/").text
    row = listing[listing.index("Avtalad lokalvård"):].split("</tr>")[0]
    assert contract.title in row
    again = client.post_form("/alfa/procurements/new",
                             _form(title="Samma avtal igen", contract_id=str(contract.id)))
    assert "Välj ett avtal som inte redan hör till en annan upphandling" in again.text


def test_an_analyst_sees_the_contract_named_but_not_linked(login, create_contract):
    """Analysts may read the register but not open contracts: the name, never a link to a 403."""
    contract = create_contract("alfa")
    admin = login(alfa=["admin"])
    admin.post_form("/alfa/procurements/new",
                    _form(title="Länkad lokalvård", contract_id=str(contract.id)))
    link = f"/alfa/contracts/{contract.id}"
    assert link in admin.get("/alfa/procurements/").text
    analyst = login(alfa=["analyst"])
    listing = analyst.get("/alfa/procurements/").text
    row = listing[listing.index("Länkad lokalvård"):].split("</tr>")[0]
    assert contract.title in row
    assert link not in row
    assert analyst.get(link).status_code == 403


def test_the_register_pages_and_searches_title_and_reference(app, login):
    from hansyn.tenants.contracts.models import ServiceCategory
    from hansyn.tenants.procurements.models import ValueBand

    word = unique("Fönsterputs")
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa", write=True) as session:
        rows = [
            Procurement(title=f"{word} {n}", reference=f"{word}-DNR-{n}" if n == 7 else None,
                        category=ServiceCategory.CLEANING, value_band=ValueBand.UNDER_1M,
                        decided_on=date(2026, 3, 1), employment_requirement=False)
            for n in range(52)
        ]
        session.add_all(rows)
    client = login(alfa=["analyst"])

    first = client.get(f"/alfa/procurements/?q={word.lower()}")
    assert first.status_code == 200
    assert first.text.count(f"{word} ") == 50
    assert f"{word} 51<" in first.text  # newest registered first
    following = re.search(r'<a href="([^"]+)"[^>]*>Nästa sida', first.text)
    assert following is not None
    second = client.get(following[1].replace("&amp;", "&"))
    assert second.text.count(f"{word} ") == 2
    assert f"{word} 0<" in second.text

    by_reference = client.get(f"/alfa/procurements/?q={word}-DNR")
    assert by_reference.text.count(f"{word} ") == 1
    nothing = client.get("/alfa/procurements/?q=finns-inte-i-registret")
    assert "Ingen upphandling matchar sökningen." in nothing.text
