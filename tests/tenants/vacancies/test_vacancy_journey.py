"""A supplier's journey: post a vacancy on its own contract, see ranked pseudonymised candidates,
ask to meet one; the coordinator sees the request. Every form field's validation message."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from hansyn.tenants.audit.models import AuditEvent
from hansyn.tenants.matches.models import Case
from hansyn.tenants.vacancies.models import Extent, Vacancy, VacancyStatus
from tests.fixtures.candidates import free_skill
from tests.fixtures.platform import unique
from tests.fixtures.vacancies import new_supplier_row

PSEUDONYM = re.compile(r"K-[0-9A-F]{6}")


def _form(contract: int, **overrides: str) -> dict[str, str]:
    data = {
        "contract_id": str(contract),
        "title": unique("Lokalvårdare Angered "),
        "occupation": "Städare/Lokalvårdare",
        "required_skills": "Städning\nLokalvård",
        "desired_skills": "Golvvård",
        "required_languages": "Svenska B1",
        "driving_licence": "B",
        "locality": "Angered",
        "positions": "2",
        "start_date": "2027-02-01",
        "duration_months": "12",
        "extent": "heltid",
        "hours_per_week": "40",
    }
    data.update(overrides)
    return data


def _rows(app, query) -> list:
    """Rows read in a session of their own, closed at once (an open write session would lock
    the SQLite file against the requests the test makes next)."""
    with app.app_context(), app.extensions["hansyn_databases"].tenant_session("alfa") as session:
        return list(session.scalars(query))


def _vacancy(app, title: str) -> Vacancy | None:
    return next(iter(_rows(app, select(Vacancy).where(Vacancy.title == title))), None)


@pytest.fixture
def supplier(login, create_supplier_with_contract):
    setup = create_supplier_with_contract("alfa")
    return setup, login(alfa=[("supplier", setup.supplier_id)])


def test_supplier_posts_a_vacancy_on_its_own_contract(supplier, app):
    setup, client = supplier
    page = client.get("/alfa/vacancies/new")
    assert page.status_code == 200
    assert 'name="occupation"' in page.text
    assert 'data-suggest-url="/alfa/vacancies/suggest/occupations"' in page.text
    data = _form(setup.contract_id)
    response = client.post_form("/alfa/vacancies/new", data)
    assert response.status_code == 302, response.text
    vacancy = _vacancy(app, data["title"])
    assert vacancy is not None
    assert response.headers["Location"].endswith(
        f"/alfa/vacancies/{setup.contract_id}/{vacancy.id}/candidates"
    )
    assert vacancy.contract_id == setup.contract_id
    assert vacancy.occupation_key == "occupation:dYo1_D8c_87U"
    assert vacancy.occupation_label == "Städare/Lokalvårdare"
    assert vacancy.required_skills == ["Städning", "Lokalvård"]
    assert vacancy.desired_skills == ["Golvvård"]
    assert vacancy.required_languages == ["Svenska B1"]
    assert vacancy.driving_licence == "B"
    assert vacancy.locality_id.startswith("L")
    assert vacancy.locality_name.startswith("Angered")
    assert (vacancy.positions, vacancy.start_date, vacancy.duration_months) == (
        2,
        date(2027, 2, 1),
        12,
    )
    assert (vacancy.extent, vacancy.hours_per_week) == (Extent.FULL_TIME, 40)
    assert vacancy.status is VacancyStatus.OPEN
    audit = _rows(
        app,
        select(AuditEvent).where(
            AuditEvent.subject_type == "vacancy", AuditEvent.subject_id == vacancy.id
        ),
    )
    assert [a.action for a in audit] == ["create"]
    listing = client.get("/alfa/vacancies/")
    assert data["title"] in listing.text


def test_supplier_edits_and_closes_its_vacancy(supplier, app):
    setup, client = supplier
    data = _form(setup.contract_id)
    client.post_form("/alfa/vacancies/new", data)
    vacancy = _vacancy(app, data["title"])
    url = f"/alfa/vacancies/{setup.contract_id}/{vacancy.id}"
    edit = client.get(f"{url}/edit")
    assert edit.status_code == 200
    assert data["title"] in edit.text
    changed = _form(
        setup.contract_id,
        title=data["title"] + " (deltid)",
        extent="deltid",
        hours_per_week="30",
        status="closed",
        required_languages="",
    )
    response = client.post_form(f"{url}/edit", changed)
    assert response.status_code == 302
    vacancy = _vacancy(app, changed["title"])
    assert (vacancy.extent, vacancy.hours_per_week, vacancy.status) == (
        Extent.PART_TIME,
        30,
        VacancyStatus.CLOSED,
    )
    assert vacancy.required_languages == []
    shown = client.get(url)
    assert "Stängd" in shown.text
    closed = client.get(f"{url}/candidates.json").get_json()
    assert closed["candidates"] == []
    assert closed["status"] == "closed"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Ange en rubrik."),
        ("title", "x" * 201, "Rubriken får vara högst 200 tecken."),
        ("occupation", "", "Ange ett yrke."),
        ("occupation", "Qwxzvbq Plörk", "Okänt yrke: ”Qwxzvbq Plörk”."),
        ("required_skills", "\n".join(f"Kompetens {i}" for i in range(21)), "Högst 20 rader."),
        ("desired_skills", "x" * 201, "Högst 200 tecken per rad."),
        ("required_languages", "Qwxzvbqiska B1", "Okänt språk: ”Qwxzvbqiska B1”."),
        ("driving_licence", "Z", "Inte ett giltigt val"),
        ("locality", "", "Ange orten där arbetsplatsen ligger."),
        ("locality", "Qwxzvbqköping", "Okänd ort: ”Qwxzvbqköping”."),
        ("positions", "", "Ange antalet tjänster."),
        ("positions", "0", "Antalet tjänster ska vara mellan 1 och 100."),
        ("positions", "två", "Ange ett heltal."),
        ("start_date", "", "Ange ett startdatum."),
        ("start_date", "1/2 2027", "Ange datumet som ÅÅÅÅ-MM-DD."),
        (
            "start_date",
            "2029-01-01",
            "Startdatumet måste ligga före avtalets slutdatum (2028-12-31).",
        ),
        (
            "start_date",
            "2025-12-31",
            "Annonsen kan inte börja före avtalet. Avtalet börjar 2026-01-01.",
        ),
        (
            "start_date",
            (date.today() - timedelta(days=1)).isoformat(),
            f"Startdatumet har redan passerat. Välj i dag ({date.today()}) eller ett senare datum.",
        ),
        ("duration_months", "0", "Längden ska vara mellan 1 och 120 månader."),
        ("duration_months", "ett år", "Ange ett heltal."),
        ("extent", "halvtid", "Inte ett giltigt val"),
        ("hours_per_week", "", "Ange antalet timmar per vecka."),
        ("hours_per_week", "0", "Timmar per vecka ska vara mellan 1 och 40."),
        ("hours_per_week", "41", "Timmar per vecka ska vara mellan 1 och 40."),
        ("contract_id", "", "Välj ett av era avtal."),
    ],
)
def test_every_field_that_can_be_wrong_says_why(supplier, app, field, value, message):
    setup, client = supplier
    data = _form(setup.contract_id, **{field: value})
    response = client.post_form("/alfa/vacancies/new", data)
    assert response.status_code == 200
    assert message in response.text
    assert f'id="{field}-error"' in response.text
    assert _vacancy(app, data["title"]) is None


def test_part_time_must_be_fewer_hours(supplier, app):
    setup, client = supplier
    data = _form(setup.contract_id, extent="deltid", hours_per_week="40")
    response = client.post_form("/alfa/vacancies/new", data)
    assert "Deltid är färre än 40 timmar per vecka." in response.text
    assert 'id="hours_per_week-error"' in response.text
    assert _vacancy(app, data["title"]) is None


def test_supplier_sees_ranked_pseudonymised_candidates_and_asks_to_meet(
    supplier, create_candidate, login, app
):
    setup, client = supplier
    special = free_skill()
    best = create_candidate(
        "alfa", consent=True, skills=["Städning", special], languages=["Svenska C1"]
    )
    partial = create_candidate("alfa", consent=True, skills=[special], languages=["Svenska B2"])
    no_swedish = create_candidate(
        "alfa", consent=True, skills=["Städning", special], languages=["Engelska B2"]
    )
    far = create_candidate("alfa", consent=True, skills=["Städning", special], place="Kiruna")
    data = _form(
        setup.contract_id,
        required_skills=special,
        desired_skills="Städning",
        required_languages="Svenska B1",
        driving_licence="",
    )
    client.post_form("/alfa/vacancies/new", data)
    vacancy = _vacancy(app, data["title"])
    base = f"/alfa/vacancies/{setup.contract_id}/{vacancy.id}"

    listing = client.get(f"{base}/candidates.json").get_json()["candidates"]
    ours = [c for c in listing if special in c["skills"]]
    assert len(ours) == 2  # no Swedish, or beyond commuting distance: not eligible
    first, second = ours
    assert first["score"] > second["score"]
    assert "Städning" in first["skills"]
    assert first["languages"] == ["Svenska C1"]
    assert first["distance_km"] == 5  # same place: shown as "at most 5 km", never exact
    assert first["driving_licences"] == ["Körkort B"]
    assert {m["wanted"] for m in first["matched"]} >= {special, "Städning"}
    assert "Städning" in second["missing"]
    assert all(PSEUDONYM.fullmatch(c["pseudonym"]) for c in listing)
    assert {"name", "email", "phone", "reference", "id", "candidate_id"}.isdisjoint(first)

    client.post_form("/language", {"language": "en"})
    english = client.get(f"{base}/candidates.json").get_json()["candidates"]
    ours_en = [c for c in english if special in c["skills"]]
    assert ours_en[0]["languages"] == ["Swedish C1"]
    assert ours_en[0]["driving_licences"] == ["Driving licence B"]
    assert "Swedish B2" in client.get(f"{base}/candidates").text
    client.post_form("/language", {"language": "sv"})

    page = client.get(f"{base}/candidates")
    assert page.status_code == 200
    assert first["pseudonym"] in page.text
    assert second["pseudonym"] in page.text
    assert page.text.index(first["pseudonym"]) < page.text.index(second["pseudonym"])

    response = client.post_form(f"{base}/meet", {"pseudonym": first["pseudonym"]})
    assert response.status_code == 302
    followed = client.get(response.headers["Location"])
    assert f"Förfrågan om möte med {first['pseudonym']} är skickad till kommunen." in followed.text
    assert "Möte efterfrågat" in followed.text
    requests = _rows(app, select(Case).where(Case.vacancy_id == vacancy.id))
    assert [(r.candidate_id, r.supplier_id, r.state.value) for r in requests] == [
        (best, setup.supplier_id, "requested")
    ]
    # Asking again records nothing new.
    client.post_form(f"{base}/meet", {"pseudonym": first["pseudonym"]})
    again = _rows(app, select(Case).where(Case.vacancy_id == vacancy.id))
    assert [r.id for r in again] == [r.id for r in requests]
    assert partial not in {r.candidate_id for r in requests}
    assert {no_swedish, far}.isdisjoint({r.candidate_id for r in requests})

    shown = client.get(base)
    assert "Förfrågan från leverantören" in shown.text
    assert first["pseudonym"] in shown.text
    assert "Amina Testsson" not in shown.text  # the supplier knows the pseudonym only

    coordinator = login(alfa=["coordinator"])
    assert "Amina Testsson" in coordinator.get(base).text
    cases = coordinator.get("/alfa/cases/?state=requested")
    assert cases.status_code == 200
    assert data["title"] in cases.text
    assert "Amina Testsson" in cases.text  # names, never database ids
    assert f"Arbetssökande {best}" not in cases.text
    assert "Fråga om samtycke" in cases.text  # the action, in the row
    admin_view = login(alfa=["admin"]).get("/alfa/cases/")
    assert "Amina Testsson" in admin_view.text
    dashboard = coordinator.get("/alfa/")
    assert "Annonser och ärenden" in dashboard.text
    assert "Förfrågningar från leverantörer att hantera" in dashboard.text


def test_unknown_or_foreign_pseudonym_is_refused(supplier, app):
    setup, client = supplier
    data = _form(setup.contract_id)
    client.post_form("/alfa/vacancies/new", data)
    vacancy = _vacancy(app, data["title"])
    base = f"/alfa/vacancies/{setup.contract_id}/{vacancy.id}"
    response = client.post_form(f"{base}/meet", {"pseudonym": "K-000000"}, follow_redirects=True)
    assert "Kandidaten finns inte längre i listan." in response.text
    assert client.post_form(f"{base}/meet", {"pseudonym": ""}).status_code == 400
    assert not _rows(app, select(Case).where(Case.vacancy_id == vacancy.id))


def test_supplier_dashboard_lists_open_vacancies_with_candidate_counts(
    supplier, create_candidate, app
):
    setup, client = supplier
    special = free_skill()
    create_candidate("alfa", consent=True, skills=[special])
    data = _form(setup.contract_id, required_skills=special, required_languages="")
    client.post_form("/alfa/vacancies/new", data)
    dashboard = client.get("/alfa/")
    assert "Era öppna annonser" in dashboard.text
    assert re.search(re.escape(data["title"]) + r" – \d+ kandidat(er)?", dashboard.text)


def test_supplier_without_contract_is_told_so(app, login):
    client = login(alfa=[("supplier", new_supplier_row(app, "alfa"))])
    page = client.get("/alfa/vacancies/new")
    assert "Ni har inget avtal med kommunen ännu." in page.text


def test_vacancy_page_shows_terms_cased_and_languages_in_the_page_language(supplier, app):
    setup, client = supplier
    data = _form(
        setup.contract_id, required_skills="städning", required_languages="arabiska flytande"
    )
    client.post_form("/alfa/vacancies/new", data)
    vacancy = _vacancy(app, data["title"])
    url = f"/alfa/vacancies/{setup.contract_id}/{vacancy.id}"
    swedish = client.get(url).text
    assert "Arabiska, flytande" in swedish
    assert "<dd>Städning</dd>" in swedish
    client.post_form("/language", {"language": "en"})
    english = client.get(url).text
    assert "Arabic, fluent" in english
    assert "arabiska" not in english.lower()


def test_a_vacancy_that_has_started_keeps_its_date_when_edited(supplier, app):
    """Not in the past applies to a date that is chosen now, not to the one already saved."""
    from hansyn.tenants.audit.operations import SystemActor
    from hansyn.tenants.contracts.models import Contract
    from hansyn.tenants.vacancies.operations import create_vacancy
    from tests.fixtures.vacancies import vacancy_data

    setup, client = supplier
    title = unique("Redan startad ")
    started = date.today() - timedelta(days=10)
    with app.app_context(), app.extensions["hansyn_databases"].tenant_session(
        "alfa", write=True
    ) as session:
        contract = session.get(Contract, setup.contract_id)
        vacancy = create_vacancy(
            session, contract, vacancy_data(title=title, start_date=started), SystemActor(),
            today=started,
        )
        url = f"/alfa/vacancies/{setup.contract_id}/{vacancy.id}/edit"
    data = _form(setup.contract_id, title=title + " (ändrad)", start_date=started.isoformat())
    assert client.post_form(url, data).status_code == 302
    assert _vacancy(app, title + " (ändrad)").start_date == started
