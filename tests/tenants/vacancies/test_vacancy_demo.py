"""`hansyn demo` posts demo vacancies on the demo contracts once; the demo supplier sees its own."""

from __future__ import annotations

from sqlalchemy import func, select

from hansyn.tenants.vacancies.demo import DEMO_VACANCIES
from hansyn.tenants.vacancies.models import Vacancy
from tests.fixtures.platform import HansynClient


def test_demo_vacancies_are_created_once_and_shown_to_their_supplier(fresh_app):
    app = fresh_app(DEMO_PASSWORD="hansyn-demo-2026")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["demo"]).exit_code == 0
    databases = app.extensions["hansyn_databases"]
    for slug, vacancies in DEMO_VACANCIES.items():
        # the placements demo posts the vacancies its hires were made on
        titles = {data.title for _reference, data in vacancies}
        with app.app_context(), databases.tenant_session(slug) as session:
            ours = select(func.count(Vacancy.id)).where(Vacancy.title.in_(titles))
            assert session.scalar(ours) == len(vacancies)
    app.test_client_class = HansynClient
    client = app.test_client()
    response = client.post_form(
        "/login", {"email": "supplier@goteborg.example", "password": "hansyn-demo-2026"}
    )
    assert response.status_code == 302
    listing = client.get("/goteborg/vacancies/")
    assert "Lokalvårdare till grundskolor på Hisingen" in listing.text
    # The second demo supplier's vacancy is not the demo supplier's to see.
    assert "Köksbiträde och matbud till äldreboenden" not in listing.text
    dashboard = client.get("/goteborg/")
    assert "Era öppna annonser" in dashboard.text
    assert "Lokalvårdare till grundskolor på Hisingen" in dashboard.text
    with app.app_context(), databases.tenant_session("goteborg") as session:
        hisingen = session.scalar(
            select(Vacancy).where(Vacancy.title == "Lokalvårdare till grundskolor på Hisingen")
        )
        assert hisingen is not None
        base = f"/goteborg/vacancies/{hisingen.contract_id}/{hisingen.id}"
    # the job-aware ranking with realistic data: the clause's target groups, the start date
    candidates = client.get(f"{base}/candidates").text
    assert "Tillhör avtalets målgrupper" in candidates
    assert "Kan börja 21 dagar efter startdagen" in candidates
    assert "Etableringsprogrammet" not in candidates
