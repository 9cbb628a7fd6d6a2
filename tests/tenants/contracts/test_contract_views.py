"""Contracts with a social clause through the test client: the admin's journey, validation of
every field, and supplier isolation (a supplier sees its own contracts and nothing else)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hansyn.tenants.contracts.models import ClauseType, Contract, ServiceCategory, SocialClause
from hansyn.tenants.contracts.operations import ClauseData
from hansyn.tenants.programmes.models import Programme
from tests.fixtures.platform import HansynClient, unique

BASE = "/alfa/contracts"


def _alfa(app, query):
    """One query in a short session: a session held open would lock SQLite for the client."""
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa") as session:
        return session.scalars(query).all()


def _contract(app, reference: str) -> Contract | None:
    query = (
        select(Contract)
        .where(Contract.reference == reference)
        .options(
            selectinload(Contract.supplier),
            selectinload(Contract.clause).selectinload(SocialClause.target_groups),
        )
    )
    found = _alfa(app, query)
    return found[0] if found else None


def _programmes(app) -> list[Programme]:
    return list(_alfa(app, select(Programme).order_by(Programme.sort_order)))


def _form(supplier: int, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "reference": unique("SU 2026/"),
        "title": unique("Lokalvård skolor Hisingen "),
        "category": "cleaning",
        "supplier_id": str(supplier),
        "start_date": "2026-03-01",
        "end_date": "2029-02-28",
        "clause_type": "requirement",
        "full_time_months": "",
        "persons": "3",
        "months_per_person": "12",
        "first_hire_deadline": "",
        "early_end_share": "75",
        "description": "Leverantören ska anställa tre personer under avtalstiden.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin(login) -> HansynClient:
    return login(alfa=["admin"])


@pytest.fixture
def supplier(create_supplier_row):
    return create_supplier_row("alfa")


def test_admin_creates_and_edits_a_contract_with_a_numeric_clause(admin, app, supplier):
    groups = _programmes(app)[:2]
    data = _form(supplier.id, target_groups=[str(g.id) for g in groups])
    response = admin.post_form(f"{BASE}/new", data)
    assert response.status_code == 302, response.text
    contract = _contract(app, data["reference"])
    assert contract is not None
    assert contract.category is ServiceCategory.CLEANING
    assert contract.supplier_id == supplier.id
    clause = contract.clause
    assert clause.clause_type is ClauseType.REQUIREMENT
    assert (clause.persons, clause.months_per_person, clause.full_time_months) == (3, 12, None)
    assert clause.total_months == 36
    assert clause.first_hire_deadline == date(2026, 9, 1)  # six months after the start
    assert clause.early_end_share == 75
    assert {g.id for g in clause.target_groups} == {g.id for g in groups}

    detail = admin.get(response.headers["Location"])
    assert detail.status_code == 200
    assert "36 heltidsmånader" in detail.text
    assert "(3 personer × 12 månader)" in detail.text
    assert groups[0].name in detail.text
    listing = admin.get(f"{BASE}/")
    assert data["title"] in listing.text
    assert supplier.name in listing.text

    form = admin.get(f"{BASE}/{contract.id}/edit")
    assert 'value="12"' in form.text
    assert data["reference"] in form.text
    changed = _form(
        supplier.id, reference=data["reference"], clause_type="bonus", persons="",
        months_per_person="", full_time_months="24", first_hire_deadline="2026-06-01",
        early_end_share="80", target_groups=[str(groups[0].id)],
    )
    assert admin.post_form(f"{BASE}/{contract.id}/edit", changed).status_code == 302
    edited = _contract(app, data["reference"])
    assert edited.id == contract.id
    assert edited.clause.clause_type is ClauseType.BONUS
    assert (edited.clause.total_months, edited.clause.persons) == (24, None)
    assert edited.clause.first_hire_deadline == date(2026, 6, 1)
    assert edited.clause.early_end_share == 80
    assert [g.id for g in edited.clause.target_groups] == [groups[0].id]


def test_a_dialogue_clause_needs_no_months(admin, app, supplier):
    data = _form(supplier.id, clause_type="dialogue", persons="", months_per_person="")
    assert admin.post_form(f"{BASE}/new", data).status_code == 302
    contract = _contract(app, data["reference"])
    assert contract.clause.total_months == 0
    assert "Dialogkrav" in admin.get(f"{BASE}/{contract.id}").text


def test_full_time_months_and_persons_may_agree(admin, app, supplier):
    data = _form(supplier.id, full_time_months="36")
    assert admin.post_form(f"{BASE}/new", data).status_code == 302
    clause = _contract(app, data["reference"]).clause
    assert (clause.full_time_months, clause.persons, clause.total_months) == (36, 3, 36)


INVALID = [
    ({"reference": ""}, "Ange upphandlingens diarienummer."),
    ({"title": ""}, "Ange avtalets benämning."),
    ({"title": "x" * 201}, "Fältet får inte vara längre än 200 tecken."),
    ({"reference": "x" * 61}, "Fältet får inte vara längre än 60 tecken."),
    ({"description": "x" * 4001}, "Fältet får inte vara längre än 4000 tecken."),
    ({"category": "rymdfart"}, "Inte ett giltigt val"),
    ({"supplier_id": ""}, "Välj en leverantör."),
    ({"supplier_id": "999999"}, "Välj en leverantör."),
    ({"start_date": ""}, "Ange startdatum."),
    ({"end_date": ""}, "Ange slutdatum."),
    ({"start_date": "1 mars"}, "Ange datumet som ÅÅÅÅ-MM-DD."),
    ({"end_date": "2026-02-01"}, "Slutdatum måste vara efter startdatum."),
    ({"end_date": "2026-03-01"}, "Slutdatum måste vara efter startdatum."),
    ({"clause_type": "straff"}, "Inte ett giltigt val"),
    ({"persons": "0"}, "Ange ett heltal mellan 1 och 1000."),
    ({"months_per_person": "-3"}, "Ange ett heltal mellan 1 och 120."),
    ({"months_per_person": "tolv"}, "Ange ett heltal."),
    ({"full_time_months": "0"}, "Ange ett heltal mellan 1 och 10000."),
    ({"months_per_person": ""}, "Ange både antal personer och månader per person."),
    ({"persons": ""}, "Ange både antal personer och månader per person."),
    ({"full_time_months": "30"}, "Heltidsmånaderna stämmer inte med personer × månader"),
    ({"persons": "", "months_per_person": ""}, "Ange antal heltidsmånader, eller antal personer"),
    ({"early_end_share": "101"}, "Andelen ska vara mellan 0 och 100 procent."),
    ({"early_end_share": "-1"}, "Andelen ska vara mellan 0 och 100 procent."),
    ({"early_end_share": ""}, "Ange andelen i procent."),
    ({"first_hire_deadline": "2025-12-31"}, "Första anställningen ska ske under avtalstiden"),
    ({"first_hire_deadline": "2030-01-01"}, "Första anställningen ska ske under avtalstiden"),
    ({"target_groups": ["999999"]}, "Välj målgrupper ur kommunens katalog."),
    ({"target_groups": [str(2**63)]}, "Välj målgrupper ur kommunens katalog."),
    ({"supplier_id": str(2**63)}, "Välj en leverantör."),
    ({"supplier_id": str(2**64 + 1)}, "Välj en leverantör."),
]


@pytest.mark.parametrize(("overrides", "message"), INVALID)
def test_every_wrong_field_gets_its_message_and_nothing_is_saved(
    admin, app, supplier, overrides, message
):
    data = _form(supplier.id, **overrides)
    page = admin.post_form(f"{BASE}/new", data)
    assert page.status_code == 200
    assert message in page.text
    assert _contract(app, data["reference"]) is None


def test_text_in_a_date_or_number_field_gets_one_clear_message_in_either_language(admin, supplier):
    data = _form(supplier.id, start_date="1 mars", persons="tre")
    page = admin.post_form(f"{BASE}/new", data).text
    assert page.count('<p class="error"') == 2
    assert "Ange datumet som ÅÅÅÅ-MM-DD." in page
    assert "Ange ett heltal." in page
    assert "Ange ett heltal mellan" not in page
    assert 'value="tre"' in page
    admin.post_form("/language", {"language": "en", "next": f"{BASE}/new"})
    page = admin.post_form(f"{BASE}/new", data).text
    assert page.count('<p class="error"') == 2
    assert "Enter the date as YYYY-MM-DD." in page
    assert "Enter a whole number." in page
    assert "Not a valid" not in page


def test_diarienummer_is_unique(admin, app, supplier, create_contract):
    existing = create_contract("alfa", supplier_id=supplier.id)
    page = admin.post_form(f"{BASE}/new", _form(supplier.id, reference=existing.reference))
    assert "Det finns redan ett avtal med diarienumret" in page.text
    other = create_contract("alfa", supplier_id=supplier.id)
    taken = _form(supplier.id, reference=existing.reference)
    page = admin.post_form(f"{BASE}/{other.id}/edit", taken)
    assert "Det finns redan ett avtal med diarienumret" in page.text
    assert _contract(app, other.reference) is not None


def test_a_failed_edit_changes_nothing(admin, app, supplier, create_contract):
    contract = create_contract("alfa", supplier_id=supplier.id)
    data = _form(
        supplier.id, reference=contract.reference, title="Nytt namn", end_date="2020-01-01"
    )
    assert admin.post_form(f"{BASE}/{contract.id}/edit", data).status_code == 200
    assert _contract(app, contract.reference).title == contract.title


def test_a_supplier_sees_its_own_contracts_only(login, create_supplier_row, create_contract):
    mine, theirs = create_supplier_row("alfa"), create_supplier_row("alfa")
    own = create_contract("alfa", supplier_id=mine.id)
    foreign = create_contract("alfa", supplier_id=theirs.id)
    client = login(alfa=[("supplier", mine.id)])
    listing = client.get(f"{BASE}/")
    assert listing.status_code == 200
    assert own.title in listing.text
    assert foreign.title not in listing.text
    assert "Registrera avtal" not in listing.text
    detail = client.get(f"{BASE}/{own.id}")
    assert detail.status_code == 200
    assert "Ändra avtal" not in detail.text
    assert client.get(f"{BASE}/{foreign.id}").status_code == 404
    assert client.get(f"{BASE}/999999").status_code == 404
    assert client.get(f"{BASE}/{own.id}/edit").status_code == 403
    assert client.get(f"{BASE}/new").status_code == 403
    dashboard = client.get("/alfa/")
    assert own.title in dashboard.text
    assert foreign.title not in dashboard.text


@pytest.mark.parametrize("role", ["coordinator", "analyst"])
def test_contract_pages_are_forbidden_for_other_roles(login, create_contract, role):
    contract = create_contract("alfa")
    client = login(alfa=[role])
    for url in (f"{BASE}/", f"{BASE}/new", f"{BASE}/{contract.id}", f"{BASE}/{contract.id}/edit"):
        assert client.get(url).status_code == 403, url


def test_the_admin_dashboard_shows_suppliers_contracts_and_clause_status(
    admin, create_supplier_row, create_contract
):
    supplier = create_supplier_row("alfa", name=unique("Dashboard AB "))
    # Starting later than any other test's contract, it comes first on the dashboard.
    contract = create_contract(
        "alfa", supplier_id=supplier.id, start_date=date(2040, 1, 1), end_date=date(2042, 1, 1)
    )
    page = admin.get("/alfa/")
    assert "Leverantörer och avtal" in page.text
    assert "Leverantörer: " in page.text
    assert "Avtal: " in page.text
    assert contract.title in page.text
    assert supplier.name in page.text
    assert "36 heltidsmånader" in page.text
    # nobody is hired, so the planned months fall short
    assert "36 heltidsmånader (3 personer × 12 månader); Risk" in page.text
    assert f"/alfa/placements/contracts/{contract.id}" in page.text


def test_coordinators_and_analysts_see_no_contract_sections(login):
    page = login(alfa=["coordinator", "analyst"]).get("/alfa/")
    assert "Leverantörer och avtal" not in page.text
    assert "Våra avtal" not in page.text


@pytest.mark.parametrize(
    ("start", "end", "phase", "status"),
    [
        # nobody hired by the first-hire deadline (2020-07-01)
        (date(2020, 1, 1), date(2099, 1, 1), "pågående", "Ej uppfyllt"),
        (date(2020, 1, 1), date(2021, 1, 1), "avslutat", "Ej uppfyllt"),
        # nobody hired yet: the planned months fall short
        (date(2090, 1, 31), date(2099, 1, 1), "kommande", "Risk"),
    ],
)
def test_the_contract_page_says_where_the_clause_stands(
    admin, create_contract, start, end, phase, status
):
    contract = create_contract("alfa", start_date=start, end_date=end)
    page = admin.get(f"{BASE}/{contract.id}")
    assert phase in page.text
    assert '<span class="badge clause-' in page.text
    assert f">{status}</span>" in page.text
    assert f"/alfa/placements/contracts/{contract.id}" in page.text
    assert "36 heltidsmånader (3 personer × 12 månader)" in page.text


def test_one_person_and_one_month_are_singular_in_both_languages(admin, create_contract):
    clause = ClauseData(ClauseType.REQUIREMENT, persons=1, months_per_person=1)
    contract = create_contract("alfa", clause=clause)
    assert "1 heltidsmånad (1 person × 1 månad)" in admin.get(f"{BASE}/{contract.id}").text
    admin.post_form("/language", {"language": "en", "next": f"{BASE}/{contract.id}"})
    page = admin.get(f"{BASE}/{contract.id}").text
    assert "1 full-time month (1 person × 1 month)" in page
    assert "75% of the agreed time" in page
    assert "<dt>Scope</dt>" in page


def test_a_contract_with_vacancies_keeps_its_supplier(
    admin, app, create_supplier_row, create_contract, create_vacancy_row
):
    first, second = create_supplier_row("alfa"), create_supplier_row("alfa")
    contract = create_contract("alfa", supplier_id=first.id)
    free = create_contract("alfa", supplier_id=first.id)
    create_vacancy_row("alfa", contract.id)
    moved = _form(second.id, reference=contract.reference)
    page = admin.post_form(f"{BASE}/{contract.id}/edit", moved)
    assert "Leverantören kan inte bytas på ett avtal som har annonser" in page.text
    assert _contract(app, contract.reference).supplier_id == first.id
    # Without vacancies the supplier may be corrected.
    response = admin.post_form(f"{BASE}/{free.id}/edit", _form(second.id, reference=free.reference))
    assert response.status_code == 302
    assert _contract(app, free.reference).supplier_id == second.id


def test_a_new_contract_from_a_supplier_page_has_the_supplier_chosen(admin, supplier):
    page = admin.get(f"{BASE}/new?supplier_id={supplier.id}")
    assert f'<option selected value="{supplier.id}">' in page.text


def test_an_inactive_target_group_stays_on_the_clause_when_it_is_edited(
    admin, app, supplier, create_contract
):
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa", write=True) as session:
        retired = Programme(code=unique("gammal"), name=unique("Avvecklat program "), active=False)
        session.add(retired)
        session.flush()
        retired_id = retired.id
    contract = create_contract("alfa", supplier_id=supplier.id)
    chosen = _form(supplier.id, reference=contract.reference, target_groups=[str(retired_id)])
    assert admin.post_form(f"{BASE}/{contract.id}/edit", chosen).status_code == 302
    form = admin.get(f"{BASE}/{contract.id}/edit")
    assert "Avvecklat program" in form.text
    assert "Avvecklat program" not in admin.get(f"{BASE}/new").text


def test_every_mistake_is_shown_at_once(admin, app, supplier):
    data = _form(supplier.id, reference="", title="", supplier_id="", early_end_share="120")
    page = admin.post_form(f"{BASE}/new", data).text
    for message in (
        "Ange upphandlingens diarienummer.",
        "Ange avtalets benämning.",
        "Välj en leverantör.",
        "Andelen ska vara mellan 0 och 100 procent.",
    ):
        assert message in page
