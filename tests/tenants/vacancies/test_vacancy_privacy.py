"""What a supplier may see of a candidate: a pseudonym and the profile, never who the person is.

Every supplier page and JSON answer is rendered with candidates whose personal data is
distinctive, and none of it may appear. Candidates who withdrew consent, are paused or closed
never appear — also when that changes after the supplier's list was first shown.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from hansyn.tenants.audit.operations import SystemActor
from hansyn.tenants.candidates import operations as candidate_ops
from hansyn.tenants.candidates.models import Candidate, CandidateStatus
from hansyn.tenants.matches.models import CandidatePseudonym
from tests.fixtures.candidates import free_skill
from tests.fixtures.platform import unique

ACTOR = SystemActor(None, "handlaggare@example.se")


@pytest.fixture
def supplier_vacancy(login, create_supplier_with_contract, create_vacancy_row):
    special = free_skill()
    setup = create_supplier_with_contract("alfa")
    vacancy = create_vacancy_row(
        "alfa", setup.contract_id, required_skills=[special], required_languages=["Svenska B1"]
    )
    client = login(alfa=[("supplier", setup.supplier_id)])
    return setup, vacancy, client, special


def _personal(marker: str) -> dict[str, str]:
    digits = f"{uuid.uuid4().int % 10**7:07d}"
    return {
        "name": f"Zlatanina Qvarnström-{marker}",
        "email": f"zlatanina.{marker}@hemlig-post.se",
        "phone": f"073-{digits[:3]} {digits[3:5]} {digits[5:7]}",
        "reference": f"AME-HEMLIG-{marker}",
        "notes": f"Anteckning om hälsa {marker}",
    }


def _change(app, candidate_id: int, change) -> None:
    databases = app.extensions["hansyn_databases"]
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        change(session, session.get(Candidate, candidate_id))


def _pseudonym(app, candidate_id: int, supplier_id: int) -> str | None:
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa") as session:
        return session.scalar(
            select(CandidatePseudonym.pseudonym).where(
                CandidatePseudonym.candidate_id == candidate_id,
                CandidatePseudonym.supplier_id == supplier_id,
            )
        )


def test_no_personal_data_on_any_supplier_page_or_json(app, supplier_vacancy, create_candidate):
    setup, vacancy, client, special = supplier_vacancy
    marker = unique("p")
    personal = _personal(marker)
    candidate = create_candidate(
        "alfa",
        consent=True,
        skills=["Städning", special],
        languages=["svenska C1"],
        place="Olofstorp",
        programme="etablering",
        **personal,
    )
    base = f"/alfa/vacancies/{setup.contract_id}/{vacancy}"
    listing = client.get(f"{base}/candidates.json")
    pseudonym = _pseudonym(app, candidate, setup.supplier_id)
    assert pseudonym is not None
    assert pseudonym in listing.text
    client.post_form(f"{base}/meet", {"pseudonym": pseudonym})
    pages = {
        url: client.get(url)
        for url in (
            "/alfa/",
            "/alfa/vacancies/",
            "/alfa/vacancies/new",
            base,
            f"{base}/edit",
            f"{base}/candidates",
            f"{base}/candidates.json",
            "/alfa/vacancies/suggest/occupations?q=Zlatanina",
        )
    }
    forbidden = [
        *personal.values(),
        "Zlatanina",
        "Qvarnström",
        "hemlig-post",
        "AME-HEMLIG",
        "Etableringsprogrammet",
        "Olofstorp",
        f"/candidates/{candidate}",
    ]
    for url, response in pages.items():
        assert response.status_code == 200, url
        for secret in forbidden:
            assert secret not in response.text, f"{secret!r} on {url}"
    candidates = pages[f"{base}/candidates.json"].get_json()["candidates"]
    ours = next(c for c in candidates if c["pseudonym"] == pseudonym)
    assert set(ours) == {
        "pseudonym",
        "score",
        "distance_km",
        "skills",
        "languages",
        "driving_licences",
        "matched",
        "missing",
        "meeting_requested",
        "reasons",
    }
    assert ours["meeting_requested"] is True
    assert ours["distance_km"] > 0
    assert pseudonym in pages[f"{base}/candidates"].text


def test_only_active_consenting_candidates_appear(app, supplier_vacancy, create_candidate):
    setup, vacancy, client, special = supplier_vacancy
    skills = ["Städning", special]
    visible = create_candidate("alfa", consent=True, skills=skills)
    never_asked = create_candidate("alfa", skills=skills)
    refused = create_candidate("alfa", consent=False, skills=skills)
    paused = create_candidate("alfa", consent=True, skills=skills, status=CandidateStatus.PAUSED)
    closed = create_candidate("alfa", consent=True, skills=skills, status=CandidateStatus.CLOSED)
    url = f"/alfa/vacancies/{setup.contract_id}/{vacancy}/candidates.json"
    shown = {c["pseudonym"] for c in client.get(url).get_json()["candidates"]}
    assert _pseudonym(app, visible, setup.supplier_id) in shown
    for hidden in (never_asked, refused, paused, closed):
        assert _pseudonym(app, hidden, setup.supplier_id) is None


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda s, c: candidate_ops.record_consent(s, c, False, ACTOR), id="withdrawn"),
        pytest.param(
            lambda s, c: candidate_ops.set_status(s, c, CandidateStatus.PAUSED, ACTOR), id="paused"
        ),
        pytest.param(
            lambda s, c: candidate_ops.set_status(s, c, CandidateStatus.CLOSED, ACTOR), id="closed"
        ),
    ],
)
def test_a_candidate_leaves_the_list_at_once_when_no_longer_visible(
    app, supplier_vacancy, create_candidate, change
):
    setup, vacancy, client, special = supplier_vacancy
    candidate = create_candidate("alfa", consent=True, skills=["Städning", special])
    base = f"/alfa/vacancies/{setup.contract_id}/{vacancy}"
    first = {c["pseudonym"] for c in client.get(f"{base}/candidates.json").get_json()["candidates"]}
    pseudonym = _pseudonym(app, candidate, setup.supplier_id)
    assert pseudonym in first
    _change(app, candidate, change)
    later = client.get(f"{base}/candidates.json").get_json()["candidates"]
    assert pseudonym not in {c["pseudonym"] for c in later}
    assert pseudonym not in client.get(f"{base}/candidates").text
    meet = client.post_form(f"{base}/meet", {"pseudonym": pseudonym}, follow_redirects=True)
    assert "Kandidaten finns inte längre i listan." in meet.text


def test_a_candidate_who_gives_consent_joins_the_list(app, supplier_vacancy, create_candidate):
    setup, vacancy, client, special = supplier_vacancy
    candidate = create_candidate("alfa", consent=False, skills=["Städning", special])
    url = f"/alfa/vacancies/{setup.contract_id}/{vacancy}/candidates.json"
    client.get(url)
    assert _pseudonym(app, candidate, setup.supplier_id) is None
    _change(app, candidate, lambda s, c: candidate_ops.record_consent(s, c, True, ACTOR))
    shown = {c["pseudonym"] for c in client.get(url).get_json()["candidates"]}
    assert _pseudonym(app, candidate, setup.supplier_id) in shown
