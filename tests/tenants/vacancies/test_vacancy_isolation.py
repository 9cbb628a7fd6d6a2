"""Supplier isolation: another supplier's contracts, vacancies and pseudonyms are invisible, and
the same candidate carries a different pseudonym for every supplier. Admins and coordinators read
every vacancy."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hansyn.tenants.matches.models import CandidatePseudonym, Case
from hansyn.tenants.vacancies.models import Vacancy
from tests.fixtures.candidates import free_skill
from tests.fixtures.platform import unique
from tests.fixtures.vacancies import new_contract_row


def _rows(app, query) -> list:
    with app.app_context(), app.extensions["hansyn_databases"].tenant_session("alfa") as session:
        return list(session.scalars(query))


@pytest.fixture
def two_suppliers(login, create_supplier_with_contract, create_vacancy_row, create_candidate):
    special = free_skill()
    candidate = create_candidate("alfa", consent=True, skills=["Städning", special])
    x = create_supplier_with_contract("alfa")
    y = create_supplier_with_contract("alfa")
    x_title, y_title = unique("X-annons "), unique("Y-annons ")
    x_vacancy = create_vacancy_row("alfa", x.contract_id, title=x_title, required_skills=[special])
    y_vacancy = create_vacancy_row("alfa", y.contract_id, title=y_title, required_skills=[special])
    return {
        "candidate": candidate,
        "x": (x, login(alfa=[("supplier", x.supplier_id)]), x_vacancy, x_title),
        "y": (y, login(alfa=[("supplier", y.supplier_id)]), y_vacancy, y_title),
    }


def _urls(setup, vacancy_id: int) -> list[str]:
    base = f"/alfa/vacancies/{setup.contract_id}/{vacancy_id}"
    return [base, f"{base}/edit", f"{base}/candidates", f"{base}/candidates.json"]


def test_supplier_gets_404_on_another_suppliers_vacancy(two_suppliers, app):
    (x, x_client, _xv, x_title), (y, _yc, y_vacancy, y_title) = (
        two_suppliers["x"],
        two_suppliers["y"],
    )
    for url in _urls(y, y_vacancy):
        assert x_client.get(url).status_code == 404, url
    # Its own contract id with the other's vacancy id is no way round.
    for url in _urls(x, y_vacancy):
        assert x_client.get(url).status_code == 404, url
    base = f"/alfa/vacancies/{y.contract_id}/{y_vacancy}"
    assert x_client.post_form(f"{base}/meet", {"pseudonym": "K-000000"}).status_code == 404
    edit = x_client.post_form(f"{base}/edit", {"title": "Kapad", "status": "closed"})
    assert edit.status_code == 404
    assert _rows(app, select(Vacancy.title).where(Vacancy.id == y_vacancy)) == [y_title]
    listing = x_client.get("/alfa/vacancies/")
    assert x_title in listing.text
    assert y_title not in listing.text
    dashboard = x_client.get("/alfa/")
    assert x_title in dashboard.text
    assert y_title not in dashboard.text


def test_supplier_cannot_post_on_another_suppliers_contract(two_suppliers, app):
    (_x, x_client, _xv, _xt), (y, _yc, _yv, _yt) = two_suppliers["x"], two_suppliers["y"]
    form = x_client.get("/alfa/vacancies/new")
    assert f'value="{y.contract_id}"' not in form.text
    title = unique("Smuggel ")
    data = {
        "contract_id": str(y.contract_id),
        "title": title,
        "occupation": "Städare/Lokalvårdare",
        "locality": "Angered",
        "positions": "1",
        "start_date": "2027-03-01",
        "extent": "heltid",
        "hours_per_week": "40",
    }
    response = x_client.post_form("/alfa/vacancies/new", data)
    assert response.status_code == 200
    assert "Inte ett giltigt val" in response.text
    assert _rows(app, select(Vacancy).where(Vacancy.title == title)) == []


def test_same_candidate_has_a_different_stable_pseudonym_per_supplier(two_suppliers, app):
    (x, x_client, x_vacancy, _xt) = two_suppliers["x"]
    (y, y_client, y_vacancy, _yt) = two_suppliers["y"]
    candidate = two_suppliers["candidate"]
    x_url = f"/alfa/vacancies/{x.contract_id}/{x_vacancy}/candidates.json"
    y_url = f"/alfa/vacancies/{y.contract_id}/{y_vacancy}/candidates.json"
    x_names = {c["pseudonym"] for c in x_client.get(x_url).get_json()["candidates"]}
    y_names = {c["pseudonym"] for c in y_client.get(y_url).get_json()["candidates"]}
    pseudonyms = {
        p.supplier_id: p.pseudonym
        for p in _rows(
            app, select(CandidatePseudonym).where(CandidatePseudonym.candidate_id == candidate)
        )
    }
    x_name, y_name = pseudonyms[x.supplier_id], pseudonyms[y.supplier_id]
    assert x_name != y_name
    assert x_name in x_names
    assert y_name in y_names
    assert y_name not in x_names
    # Stable: showing the list again gives the same name, and no new row.
    again = {c["pseudonym"] for c in x_client.get(x_url).get_json()["candidates"]}
    assert x_name in again
    rows = _rows(
        app, select(CandidatePseudonym).where(CandidatePseudonym.candidate_id == candidate)
    )
    assert len(rows) == 2
    # Y's name for the candidate opens nothing for X.
    meet = x_client.post_form(
        f"/alfa/vacancies/{x.contract_id}/{x_vacancy}/meet",
        {"pseudonym": y_name},
        follow_redirects=True,
    )
    assert "Kandidaten finns inte längre i listan." in meet.text
    assert _rows(app, select(Case).where(Case.vacancy_id == x_vacancy)) == []


def test_vacancy_on_a_second_contract_of_the_same_supplier(app, two_suppliers, create_vacancy_row):
    (x, x_client, _xv, _xt) = two_suppliers["x"]
    second = new_contract_row(app, "alfa", x.supplier_id)
    vacancy = create_vacancy_row("alfa", second)
    assert x_client.get(f"/alfa/vacancies/{second}/{vacancy}").status_code == 200
    # The vacancy is reached only through its own contract.
    assert x_client.get(f"/alfa/vacancies/{x.contract_id}/{vacancy}").status_code == 404


@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_admins_and_coordinators_read_every_vacancy_but_change_none(two_suppliers, login, role):
    (x, _xc, x_vacancy, x_title), (y, _yc, y_vacancy, y_title) = (
        two_suppliers["x"],
        two_suppliers["y"],
    )
    client = login(alfa=[role])
    listing = client.get("/alfa/vacancies/")
    assert listing.status_code == 200
    assert x_title in listing.text
    assert y_title in listing.text
    shown = client.get(f"/alfa/vacancies/{y.contract_id}/{y_vacancy}")
    assert shown.status_code == 200
    assert y_title in shown.text
    assert "Ändra annonsen" not in shown.text
    base = f"/alfa/vacancies/{x.contract_id}/{x_vacancy}"
    for url in (
        f"{base}/edit",
        f"{base}/candidates",
        f"{base}/candidates.json",
        "/alfa/vacancies/new",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post_form(f"{base}/meet", {"pseudonym": "K-000000"}).status_code == 403


def test_analyst_does_not_see_cases(login, two_suppliers):
    assert login(alfa=["analyst"]).get("/alfa/cases/").status_code == 403
    assert login(alfa=["analyst"]).get("/alfa/vacancies/").status_code == 403


def test_coordinator_dashboard_lists_open_vacancies(
    login, create_supplier_with_contract, create_vacancy_row
):
    from datetime import date, timedelta

    setup = create_supplier_with_contract("alfa")
    title = unique("Tidig start ")
    tomorrow = date.today() + timedelta(days=1)  # before every other test's vacancy
    create_vacancy_row("alfa", setup.contract_id, title=title, start_date=tomorrow)
    dashboard = login(alfa=["coordinator"]).get("/alfa/")
    assert "Annonser och ärenden" in dashboard.text
    assert title in dashboard.text
    assert "Alla öppna annonser (" in dashboard.text
