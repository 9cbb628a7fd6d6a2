"""Autocomplete answers, the vacancy form's script and markup under the CSP, and an edit that tries
to move a vacancy to another contract."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from sqlalchemy import select

from hansyn.tenants.vacancies.models import Extent, Vacancy
from tests.fixtures.platform import unique


def test_the_form_suggests_occupations_skills_languages_and_places(
    login, create_supplier_with_contract
):
    setup = create_supplier_with_contract("alfa")
    client = login(alfa=[("supplier", setup.supplier_id)])
    found = client.get("/alfa/vacancies/suggest/occupations?q=städ").get_json()
    assert "Städare/Lokalvårdare" in [s["label"] for s in found]
    assert all(s["kind"] == "occupation" for s in found)
    assert client.get("/alfa/vacancies/suggest/occupations?q=%20").get_json() == []
    form = client.get("/alfa/vacancies/new").text
    # Skills, languages and places come from the endpoints the candidate form uses too.
    targets = re.findall(r'data-suggest-url="([^"]+)" data-suggest-for="([^"]+)"', form)
    assert targets == [
        ("/alfa/vacancies/suggest/occupations", "occupation"),
        ("/alfa/candidates/suggest/skills", "required_skills"),
        ("/alfa/candidates/suggest/skills", "desired_skills"),
        ("/alfa/candidates/suggest/languages", "required_languages"),
        ("/alfa/candidates/suggest/places", "locality"),
    ]
    for url, _field in targets:
        assert client.get(f"{url}?q=sv").status_code == 200
    assert 'data-suggest-id="locality_id"' in form


def test_the_place_chosen_in_the_autocomplete_wins_over_the_text(
    app, login, create_supplier_with_contract
):
    setup = create_supplier_with_contract("alfa")
    client = login(alfa=[("supplier", setup.supplier_id)])
    backa = client.get("/alfa/candidates/suggest/places?q=Backa").get_json()[0]
    title = unique("Vald ort ")
    data = {
        "contract_id": str(setup.contract_id),
        "title": title,
        "occupation": "Städare/Lokalvårdare",
        "locality": backa["label"],
        "locality_id": backa["id"],
        "positions": "1",
        "start_date": "2027-03-01",
        "extent": "heltid",
        "hours_per_week": "40",
    }
    assert client.post_form("/alfa/vacancies/new", data).status_code == 302
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa") as session:
        vacancy = session.scalar(select(Vacancy).where(Vacancy.title == title))
        assert vacancy.locality_id == backa["id"]
        assert vacancy.locality_name == backa["label"]


def test_form_uses_only_a_static_script_and_no_inline_styles(login, create_supplier_with_contract):
    setup = create_supplier_with_contract("alfa")
    client = login(alfa=[("supplier", setup.supplier_id)])
    page = client.get("/alfa/vacancies/new").text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts
    assert all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)
    assert " style=" not in page
    assert not re.search(r"\son[a-z]+=", page)
    with client.get("/static/autocomplete.js") as script:
        assert script.status_code == 200
    assert "suggest-target" in page


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


class _FormValues(HTMLParser):
    """The values a browser would submit from the vacancy form."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._inside = "vacancy-form" in a.get("class", "")
        if not self._inside:
            return
        if tag == "input" and a.get("name") and a.get("type") != "submit":
            self.values[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


def test_the_edit_form_as_rendered_saves_the_same_vacancy(
    app, login, create_supplier_with_contract, create_vacancy_row
):
    setup = create_supplier_with_contract("alfa")
    vacancy_id = create_vacancy_row(
        "alfa",
        setup.contract_id,
        occupation="Parkarbetare",
        locality="Olofstorp",
        required_languages=["Svenska B1", "Engelska bra"],
        driving_licence="BE",
        desired_skills=["Trädgårdsskötsel", "Röjsågning"],
        duration_months=None,
    )
    client = login(alfa=[("supplier", setup.supplier_id)])
    url = f"/alfa/vacancies/{setup.contract_id}/{vacancy_id}/edit"
    databases = app.extensions["hansyn_databases"]

    def stored() -> dict[str, object]:
        with app.app_context(), databases.tenant_session("alfa") as session:
            vacancy = session.get(Vacancy, vacancy_id)
            columns = Vacancy.__table__.columns.keys()
            return {c: getattr(vacancy, c) for c in columns if c != "updated_at"}

    before = stored()
    parser = _FormValues()
    parser.feed(client.get(url).text)
    assert parser.values["occupation"] == "Parkarbetare/Utemiljöarbetare/Miljövärd"
    assert parser.values["driving_licence"] == "BE"
    response = client.post(url, data=parser.values)
    assert response.status_code == 302
    assert stored() == before


def test_one_month_and_one_hour_are_singular_in_both_languages(
    login, create_supplier_with_contract, create_vacancy_row
):
    setup = create_supplier_with_contract("alfa")
    vacancy = create_vacancy_row(
        "alfa", setup.contract_id, duration_months=1, extent=Extent.PART_TIME, hours_per_week=1
    )
    client = login(alfa=[("supplier", setup.supplier_id)])
    url = f"/alfa/vacancies/{setup.contract_id}/{vacancy}"
    page = client.get(url).text
    assert "1 månad<" in page
    assert "1 timme per vecka" in page
    assert "1 månader" not in page
    assert "1 timmar" not in page
    client.post_form("/language", {"language": "en", "next": url})
    page = client.get(url).text
    assert "1 month<" in page
    assert "1 hour per week" in page
    assert "1 months" not in page
    assert "1 hours" not in page
