"""Issue 8's whole path through the real pages with CSRF: a coordinator registers a candidate, a
supplier posts a vacancy and asks to meet, the coordinator records consent, the supplier sees the
name, interviews and hires; the placement runs and ends; the contract's clause turns from at risk
to met.

Months have to pass for an employment to be served, so the clock is moved forward (freezegun)
between the hire and its end; everything else runs as it does for people.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from hansyn.tenants.candidates.models import Candidate
from hansyn.tenants.contracts.followup import add_months
from hansyn.tenants.contracts.models import ClauseType
from hansyn.tenants.contracts.operations import ClauseData
from hansyn.tenants.matches.models import Case, CaseState
from hansyn.tenants.placements.models import Placement
from hansyn.tenants.vacancies.models import Vacancy
from tests.fixtures.candidates import free_skill, programme_id
from tests.fixtures.platform import unique

STATUS = re.compile(r'<span class="badge clause-(\w+)">')


def _one(app, query):
    with app.app_context(), app.extensions["hansyn_databases"].tenant_session("alfa") as session:
        found = session.scalar(query)
        assert found is not None
        session.expunge(found)
        return found


def _status(client, contract_id: int) -> str:
    page = client.get(f"/alfa/placements/contracts/{contract_id}")
    assert page.status_code == 200
    found = STATUS.search(page.text)
    assert found is not None
    return found.group(1)


def test_register_request_consent_interview_hire_run_end_and_the_clause_is_met(
    app, login, create_supplier_row, create_contract
):
    today = date.today()
    start = today + timedelta(days=7)
    supplier_row = create_supplier_row("alfa")
    contract = create_contract(
        "alfa", supplier_id=supplier_row.id, start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=3 * 365),
        clause=ClauseData(ClauseType.REQUIREMENT, full_time_months=3),
    )
    coordinator = login(alfa=["coordinator"])
    supplier = login(alfa=[("supplier", supplier_row.id)])
    admin = login(alfa=["admin"])
    assert _status(admin, contract.id) == "at_risk"  # nobody hired: the forecast falls short

    # The coordinator registers a job seeker who consents to be shown to suppliers.
    special, name, reference = free_skill(), unique("Zlatanina Vägvisare "), unique("AME-")
    with app.app_context(), app.extensions["hansyn_databases"].tenant_session("alfa") as session:
        group = programme_id(session, "jobbtorg")
    registered = coordinator.post_form(
        "/alfa/candidates/new",
        {
            "reference": reference, "name": name, "phone": "070-765 43 21",
            "email": f"{unique('z')}@example.se", "programme": str(group),
            "skills": f"Städning\n{special}", "languages": "svenska C1", "place": "Angered",
            "place_id": "", "max_commute_km": "", "available_from": "",
            "working_time": "full_time", "notes": "", "consent": "y",
        },
    )
    assert registered.status_code == 302, registered.text
    candidate = _one(app, select(Candidate).where(Candidate.reference == reference))

    # The supplier posts a vacancy on its contract and asks to meet the best candidate.
    title = unique("Lokalvårdare vägen ")
    posted = supplier.post_form(
        "/alfa/vacancies/new",
        {
            "contract_id": str(contract.id), "title": title,
            "occupation": "Städare/Lokalvårdare", "required_skills": special,
            "desired_skills": "Städning", "required_languages": "Svenska B1",
            "driving_licence": "", "locality": "Angered", "positions": "1",
            "start_date": start.isoformat(), "duration_months": "3", "extent": "heltid",
            "hours_per_week": "40",
        },
    )
    assert posted.status_code == 302, posted.text
    vacancy = _one(app, select(Vacancy).where(Vacancy.title == title))
    base = f"/alfa/vacancies/{contract.id}/{vacancy.id}"
    listing = supplier.get(f"{base}/candidates.json").get_json()["candidates"]
    pseudonym = next(c["pseudonym"] for c in listing if special in c["skills"])
    assert supplier.post_form(f"{base}/meet", {"pseudonym": pseudonym}).status_code == 302
    case = _one(app, select(Case).where(Case.vacancy_id == vacancy.id))
    assert case.candidate_id == candidate.id
    assert name not in supplier.get(f"/alfa/cases/{case.id}").text  # a pseudonym only

    # The coordinator asks and records consent; the supplier then sees the name.
    def move(client, state: str, **data: str) -> None:
        response = client.post_form(f"/alfa/cases/{case.id}/move/{state}", data)
        assert response.status_code == 302, response.text

    move(coordinator, "consent_asked")
    move(coordinator, "consented", consent_on=today.isoformat(), consent_channel="phone",
         confirm="y")
    assert name in supplier.get(f"/alfa/cases/{case.id}").text
    move(supplier, "interview", interview_on=today.isoformat())
    move(supplier, "offered")

    # The supplier hires: three months at full time from next week.
    hire = supplier.get(f"/alfa/placements/hire/{case.id}")
    assert hire.status_code == 200
    assert name in hire.text
    hired = supplier.post_form(
        f"/alfa/placements/hire/{case.id}",
        {
            "start_date": start.isoformat(), "employment_form": "allman_visstid",
            "planned_end": (add_months(start, 3) - timedelta(days=1)).isoformat(),
            "hours_per_week": "40",
        },
    )
    assert hired.status_code == 302, hired.text
    placement = _one(app, select(Placement).where(Placement.case_id == case.id))
    assert _one(app, select(Case).where(Case.id == case.id)).state is CaseState.HIRED
    assert _status(admin, contract.id) == "on_track"

    # The employment runs its three months and ends as agreed.
    with freeze_time(placement.planned_end + timedelta(days=1)):
        supplier = login(alfa=[("supplier", supplier_row.id)])
        admin = login(alfa=["admin"])
        ended = supplier.post_form(
            f"/alfa/placements/{placement.id}/end",
            {"ended_on": placement.planned_end.isoformat(), "end_reason": "expired"},
        )
        assert ended.status_code == 302, ended.text
        assert _status(admin, contract.id) == "met"
        follow = admin.get(f"/alfa/placements/contracts/{contract.id}").text
        assert "Levererat 3 av 3 heltidsmånader" in follow
        assert name in follow
