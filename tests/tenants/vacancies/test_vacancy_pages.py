"""Autocomplete answers, the vacancy form's script and markup under the CSP, and an edit that tries
to move a vacancy to another contract."""

from __future__ import annotations

import re

from sqlalchemy import select

from hansyn.tenants.vacancies.models import Vacancy
from tests.fixtures.platform import unique


def test_occupation_skill_and_language_suggestions(login, create_supplier_with_contract):
    setup = create_supplier_with_contract("alfa")
    client = login(alfa=[("supplier", setup.supplier_id)])
    found = client.get("/alfa/vacancies/suggest/terms?kind=occupation&q=städ").get_json()
    labels = [s["label"] for s in found["suggestions"]]
    assert "Städare/Lokalvårdare" in labels
    assert all(s["key"].startswith("occupation:") for s in found["suggestions"])
    languages = client.get("/alfa/vacancies/suggest/terms?kind=language&q=svens").get_json()
    assert [s["label"] for s in languages["suggestions"]] == ["Svenska"]
    places = client.get("/alfa/vacancies/suggest/places?q=Angered").get_json()["suggestions"]
    assert places[0]["label"].startswith("Angered")
    for query in ("kind=person&q=Anna", "kind=occupation&q=", "kind=skill&q=%20"):
        assert client.get(f"/alfa/vacancies/suggest/terms?{query}").get_json() == {
            "suggestions": []
        }
    assert client.get("/alfa/vacancies/suggest/places?q=").get_json() == {"suggestions": []}


def test_form_uses_only_a_static_script_and_no_inline_styles(login, create_supplier_with_contract):
    setup = create_supplier_with_contract("alfa")
    client = login(alfa=[("supplier", setup.supplier_id)])
    page = client.get("/alfa/vacancies/new").text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts
    assert all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)
    assert " style=" not in page
    assert not re.search(r"\son[a-z]+=", page)
    with client.get("/static/vacancies.js") as script:
        assert script.status_code == 200
    assert "data-suggest" in page


def test_an_edit_cannot_move_a_vacancy_to_another_contract(
    app, login, create_supplier_with_contract, create_vacancy_row
):
    mine, other = create_supplier_with_contract("alfa"), create_supplier_with_contract("alfa")
    vacancy_id = create_vacancy_row("alfa", mine.contract_id)
    client = login(alfa=[("supplier", mine.supplier_id)])
    title = unique("Flyttad ")
    data = {
        "contract_id": str(other.contract_id),
        "title": title,
        "occupation": "Städare/Lokalvårdare",
        "locality": "Angered",
        "positions": "1",
        "start_date": "2027-03-01",
        "extent": "heltid",
        "hours_per_week": "40",
        "status": "open",
    }
    response = client.post_form(f"/alfa/vacancies/{mine.contract_id}/{vacancy_id}/edit", data)
    assert response.status_code == 302, re.findall(r'class="error"[^>]*>([^<]*)', response.text)
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa") as session:
        vacancy = session.scalar(select(Vacancy).where(Vacancy.id == vacancy_id))
        assert vacancy.title == title
        assert vacancy.contract_id == mine.contract_id
