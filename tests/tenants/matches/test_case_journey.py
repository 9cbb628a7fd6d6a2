"""The whole path through real forms with CSRF (issue 8's "done when"), on SQLite and, in CI, on
PostgreSQL: a coordinator registers a candidate, a supplier posts a vacancy and asks to meet, the
coordinator asks and records consent, the supplier sees the name, interviews and offers the job.
No supplier page shows the name before the consent or after it is withdrawn."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from hansyn.tenants.matches.models import Case, CaseState
from hansyn.tenants.programmes.models import Programme
from tests.fixtures.candidates import free_skill
from tests.fixtures.platform import unique


def _one(app, query):
    with app.extensions["hansyn_databases"].tenant_session("alfa") as session:
        return session.scalar(query)


def test_from_registration_to_an_offer_through_the_forms(
    app, login, create_supplier_with_contract
):
    skill = free_skill()
    name = unique("Ylva Öberg-")
    phone = "073-987 65 43"
    coordinator = login(alfa=["coordinator"])
    programme = _one(app, select(Programme.id).where(Programme.code == "etablering"))

    # 1. the coordinator registers a job seeker who consents to being shown to suppliers
    registered = coordinator.post_form(
        "/alfa/candidates/new",
        {
            "reference": unique("AME-J"), "name": name, "phone": phone,
            "email": f"{unique('ylva')}@example.se", "programme": str(programme),
            "skills": f"{skill}\nStädning", "languages": "svenska B2", "place": "Angered",
            "working_time": "full_time", "consent": "y",
        },
    )
    assert registered.status_code == 302, registered.text
    candidate_id = int(registered.headers["Location"].rstrip("/").rsplit("/", 1)[1])

    # 2. a supplier posts a vacancy on its contract
    setup = create_supplier_with_contract("alfa")
    supplier = login(alfa=[("supplier", setup.supplier_id)])
    title = unique("Lokalvårdare Angered ")
    posted = supplier.post_form(
        "/alfa/vacancies/new",
        {
            "contract_id": str(setup.contract_id), "title": title,
            "occupation": "Städare/Lokalvårdare", "required_skills": skill,
            "desired_skills": "Städning", "required_languages": "", "driving_licence": "",
            "locality": "Angered", "positions": "1", "start_date": "2027-02-01",
            "duration_months": "12", "extent": "heltid", "hours_per_week": "40",
        },
    )
    assert posted.status_code == 302, posted.text
    base = posted.headers["Location"].removesuffix("/candidates")

    # 3. it sees the candidate by pseudonym only, and asks to meet
    listed = supplier.get(f"{base}/candidates.json").get_json()["candidates"]
    ours = [c for c in listed if skill in " ".join(c["skills"])]
    assert len(ours) == 1
    pseudonym = ours[0]["pseudonym"]
    assert name not in supplier.get(f"{base}/candidates").text
    assert supplier.post_form(f"{base}/meet", {"pseudonym": pseudonym}).status_code == 302
    case_id = _one(app, select(Case.id).where(Case.candidate_id == candidate_id))
    case_url = f"/alfa/cases/{case_id}"
    assert pseudonym in supplier.get(case_url).text
    assert name not in supplier.get(case_url).text

    # 4. the coordinator sees the request by name, asks the candidate, records the yes
    requests = coordinator.get("/alfa/cases/?state=requested").text
    assert name in requests
    assert f"{case_url}/move/consent_asked" in requests
    assert coordinator.post_form(f"{case_url}/move/consent_asked", {}).status_code == 302
    assert name not in supplier.get(case_url).text
    consented = coordinator.post_form(
        f"{case_url}/move/consented",
        {"consent_on": date.today().isoformat(), "consent_channel": "phone", "confirm": "y"},
    )
    assert consented.status_code == 302

    # 5. the supplier now sees who it is, books an interview and offers the job
    page = supplier.get(case_url).text
    assert name in page
    assert phone in page
    assert supplier.post_form(
        f"{case_url}/move/interview", {"interview_on": date.today().isoformat()}
    ).status_code == 302
    assert supplier.post_form(f"{case_url}/move/offered", {}).status_code == 302
    assert _one(app, select(Case.state).where(Case.id == case_id)) is CaseState.OFFERED
    vacancy_page = supplier.get(base).text
    assert "Erbjuden anställning" in vacancy_page
    assert re.search(re.escape(name), vacancy_page)

    # 6. the candidate withdraws consent: the case is withdrawn, the name gone at once
    assert coordinator.post_form(
        f"/alfa/candidates/{candidate_id}/consent", {"given": "no"}
    ).status_code == 302
    assert _one(app, select(Case.state).where(Case.id == case_id)) is CaseState.WITHDRAWN
    for url in (case_url, "/alfa/cases/", base, "/alfa/"):
        assert name not in supplier.get(url).text, url
