"""The JSON API: keys, errors, pagination, ETags, and the same rules, roles and audit as the
pages (pseudonyms for suppliers, one audit row per person shown)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from hansyn.platform import api_tokens
from hansyn.platform.models import utcnow
from hansyn.tenants.audit.models import AuditEvent
from hansyn.tenants.candidates.models import Candidate
from hansyn.tenants.matches.models import CaseState
from tests.fixtures.api import ApiClient, new_token
from tests.fixtures.candidates import programme_id

CANDIDATE = {
    "reference": "",
    "name": "Sara API",
    "programme_id": 0,
    "skills": ["Lagerarbete"],
    "languages": ["svenska B1"],
    "driving_licences": ["B"],
    "place": "Angered",
    "working_time": "full_time",
}


def _candidate(read_db: Any, **overrides: Any) -> dict[str, Any]:
    from tests.fixtures.platform import unique

    session = read_db("alfa")
    return {**CANDIDATE, "reference": unique("API-"), "programme_id": programme_id(session),
            **overrides}


def test_without_a_key_the_api_answers_401_in_its_error_shape(client):
    response = client.get("/api/v1/alfa/candidates/")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    bad = client.get("/api/v1/alfa/candidates/", headers={"Authorization": "Bearer nonsense"})
    assert bad.status_code == 401
    assert bad.json["error"]["code"] == "invalid_token"


def test_a_coordinator_registers_reads_and_edits_a_candidate_with_etags(api_client, read_db):
    api: ApiClient = api_client("alfa", "coordinator")
    created = api.post("/candidates/", json=_candidate(read_db, consent=True))
    assert created.status_code == 201, created.json
    body = created.json
    assert body["name"] == "Sara API"
    assert body["consent_given"] is True
    url = f"/candidates/{body['id']}"
    read = api.get(url)
    assert read.status_code == 200
    etag = read.headers["ETag"]
    changed = dict(_candidate(read_db))
    changed.update(reference=body["reference"], name="Sara Ändrad")
    assert api.put(url, json=changed).status_code == 428
    assert api.put(url, json=changed, headers={"If-Match": '"stale"'}).status_code == 412
    saved = api.put(url, json=changed, headers={"If-Match": etag})
    assert saved.status_code == 200, saved.json
    assert saved.json["name"] == "Sara Ändrad"
    # the ETag moved with the change: the old one no longer opens the door
    assert api.put(url, json=changed, headers={"If-Match": etag}).status_code == 412
    session = read_db("alfa")
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.subject_type == "candidate",
                                        AuditEvent.subject_id == body["id"])
    ).all()
    assert {"create", "consent", "view", "update"} <= set(actions)


def test_bad_input_is_422_with_every_field_named(api_client, read_db):
    api: ApiClient = api_client("alfa", "coordinator")
    response = api.post("/candidates/", json=_candidate(read_db, reference="", name="",
                                                        languages=["klingonska"]))
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert {"reference", "name", "languages"} <= set(fields)
    assert response.json["error"]["code"] == "invalid_input"
    typed = api.post("/candidates/", json={"name": 5, "unknown": 1})
    assert typed.status_code == 422
    assert {"name", "unknown", "reference", "programme_id"} <= set(typed.json["error"]["fields"])


def test_an_undeclared_query_parameter_is_422_not_ignored(api_client):
    """A misspelt filter must not quietly list everything."""
    api: ApiClient = api_client("alfa", "coordinator")
    assert api.get("/placements/?contract_id=1").status_code == 200
    misspelt = api.get("/placements/?contract=1")
    assert misspelt.status_code == 422
    assert misspelt.json["error"]["fields"] == {"contract": ["Okänt fält."]}
    assert api.get("/placements/?contract_id=1&=null").status_code == 422


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": "Sara Svensson 19900101-1234"},
        {"notes": "pnr 900101 1239, ring efter lunch"},
        {"skills": ["Lagerarbete", "9001011239"]},
        {"reference": "19900101\u20111239"},
    ],
    ids=["name", "notes", "skill", "reference"],
)
def test_no_personnummer_is_saved_through_the_api(api_client, read_db, overrides):
    """Issue 11's promise holds for the API as for the forms and the import: the guard on every
    written row refuses the number in any of the forms people type, and nothing is saved."""
    api: ApiClient = api_client("alfa", "coordinator")
    body = _candidate(read_db, **overrides)
    response = api.post("/candidates/", json=body)
    assert response.status_code == 422, response.json
    assert response.json["error"]["code"] == "invalid_input"
    assert "personnummer" in str(response.json["error"]).lower()
    saved = read_db("alfa").scalar(
        select(Candidate).where(Candidate.reference == body["reference"])
    )
    assert saved is None


def test_skill_lines_that_could_identify_never_reach_a_supplier_through_the_api(
    api_client, read_db, create_supplier_with_contract, create_vacancy_row
):
    """Issue 11's first point through the API: the coordinator's lines are kept for the staff, but
    the supplier's ranked matches show only what cannot identify anyone."""
    setup = create_supplier_with_contract("alfa")
    vacancy = create_vacancy_row("alfa", setup.contract_id, required_skills=["Lagerarbete"])
    coordinator: ApiClient = api_client("alfa", "coordinator")
    health = coordinator.post("/candidates/", json=_candidate(
        read_db, skills=["Lagerarbete", "epilepsi, sjukskriven"]))
    assert health.status_code == 422  # GDPR art. 9 words are refused where suppliers could look
    assert "skills" in health.json["error"]["fields"]
    lines = ["Lagerarbete", "Sara Svensson 070-111 22 33"]
    created = coordinator.post("/candidates/", json=_candidate(
        read_db, name="Hemlig Sökande", skills=lines, consent=True))
    assert created.status_code == 201, created.json
    assert set(lines) <= set(created.json["skills"])  # the staff see what they typed
    supplier: ApiClient = api_client("alfa", "supplier", supplier_id=setup.supplier_id)
    response = supplier.get(f"/contracts/{setup.contract_id}/vacancies/{vacancy}/matches")
    assert response.status_code == 200
    assert response.json["candidates"], "the candidate should be ranked for Lagerarbete"
    for secret in ("Hemlig", "Sara", "Svensson", "070-111", "epilepsi", "sjukskriv"):
        assert secret not in response.text, secret


def test_errors_come_in_english_when_asked(api_client, read_db):
    api: ApiClient = api_client("alfa", "coordinator")
    response = api.post("/candidates/", json={}, headers={"Accept-Language": "en"})
    assert response.json["error"]["fields"]["name"] == ["This field is required."]
    swedish = api.post("/candidates/", json={})
    assert swedish.json["error"]["fields"]["name"] == ["Fältet måste anges."]


def test_lists_page_with_limit_and_cursor_and_audit_each_person_shown(
    api_client, create_candidate, read_db
):
    api: ApiClient = api_client("alfa", "coordinator")
    for _ in range(3):
        create_candidate("alfa")
    seen: list[int] = []
    cursor = None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.get("/candidates/", query_string=query)
        assert page.status_code == 200
        assert len(page.json["items"]) <= 2
        seen += [c["id"] for c in page.json["items"]]
        cursor = page.json["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen)
    assert len(seen) == len(set(seen)) >= 3
    session = read_db("alfa")
    audited = session.scalars(
        select(AuditEvent.subject_id).where(AuditEvent.purpose == "api candidate list")
    ).all()
    assert set(seen) <= set(audited)
    bad = api.get("/candidates/", query_string={"cursor": "not-a-cursor"})
    assert bad.status_code == 400
    assert bad.json["error"]["code"] == "invalid_cursor"


def test_a_role_the_route_does_not_name_gets_403(api_client):
    api: ApiClient = api_client("alfa", "analyst")
    response = api.get("/candidates/")
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"


def test_a_key_of_another_tenant_gets_404(app, create_candidate):
    candidate_id = create_candidate("beta")
    token, _id, _user = new_token(app, "alfa", "coordinator")
    response = app.test_client().get(
        f"/api/v1/beta/candidates/{candidate_id}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 404


def test_revoked_and_expired_keys_stop_working(app, databases):
    token, token_id, _user_id = new_token(app, "alfa", "coordinator")
    headers = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    assert client.get("/api/v1/alfa/programmes/", headers=headers).status_code == 200
    with app.app_context(), databases.control_session(write=True) as session:
        session.execute(update(api_tokens.ApiToken).where(api_tokens.ApiToken.id == token_id)
                        .values(expires_at=utcnow() - timedelta(seconds=1)))
    assert client.get("/api/v1/alfa/programmes/", headers=headers).status_code == 401
    with app.app_context(), databases.control_session(write=True) as session:
        row = session.get(api_tokens.ApiToken, token_id)
        row.expires_at = None
        row.revoked_at = utcnow()
    assert client.get("/api/v1/alfa/programmes/", headers=headers).status_code == 401


def test_keys_are_stored_hashed_and_record_their_last_use(app, databases):
    token, token_id, _user = new_token(app, "alfa", "coordinator")
    app.test_client().get("/api/v1/alfa/programmes/", headers={"Authorization": f"Bearer {token}"})
    with app.app_context(), databases.control_session() as session:
        row = session.get(api_tokens.ApiToken, token_id)
        assert row.token_hash == api_tokens.hash_token(token)
        assert token not in (row.token_hash, row.shown)
        assert row.last_used_at is not None


def test_a_session_reads_but_writes_only_with_the_csrf_token(login, read_db):
    client = login(alfa=["coordinator"])
    assert client.get("/api/v1/alfa/programmes/").status_code == 200
    refused = client.post("/api/v1/alfa/candidates/", json=_candidate(read_db))
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "csrf_failed"
    token = client.csrf_token()
    accepted = client.post("/api/v1/alfa/candidates/", json=_candidate(read_db),
                           headers={"X-CSRFToken": token})
    assert accepted.status_code == 201, accepted.json


def test_a_supplier_sees_its_matches_by_pseudonym_only(app, api_client, create_case, read_db):
    case = create_case("alfa", CaseState.REQUESTED, candidate={"name": "Hemlig Person"})
    supplier: ApiClient = api_client("alfa", "supplier", supplier_id=case.supplier_id)
    url = f"/contracts/{case.contract_id}/vacancies/{case.vacancy_id}/matches"
    response = supplier.get(url)
    assert response.status_code == 200
    assert "Hemlig" not in response.text
    session = read_db("alfa")
    candidate = session.get(Candidate, case.candidate_id)
    assert candidate.email not in response.text
    for shown in response.json["candidates"]:
        assert shown["pseudonym"].startswith("K-")
    audited = session.scalars(
        select(AuditEvent.subject_id).where(
            AuditEvent.purpose == f"supplier list api {case.vacancy_id}",
            AuditEvent.supplier_id == case.supplier_id,
        )
    ).all()
    assert len(audited) == len(response.json["candidates"])


def test_a_supplier_key_gets_404_for_another_suppliers_objects(api_client, create_case):
    mine = create_case("alfa")
    theirs = create_case("alfa")
    supplier: ApiClient = api_client("alfa", "supplier", supplier_id=mine.supplier_id)
    assert supplier.get(f"/contracts/{mine.contract_id}").status_code == 200
    assert supplier.get(f"/contracts/{theirs.contract_id}").status_code == 404
    vacancy = f"/contracts/{theirs.contract_id}/vacancies/{theirs.vacancy_id}"
    assert supplier.get(vacancy).status_code == 404
    assert supplier.get(vacancy + "/matches").status_code == 404
    listed = supplier.get("/vacancies/").json["items"]
    assert {v["contract_id"] for v in listed} == {mine.contract_id}


def test_a_supplier_posts_and_edits_its_own_vacancy(api_client, create_supplier_with_contract):
    setup = create_supplier_with_contract("alfa")
    supplier: ApiClient = api_client("alfa", "supplier", supplier_id=setup.supplier_id)
    body = {"title": "Lagerarbetare", "occupation": "Lagerarbetare", "locality": "Angered",
            "start_date": "2027-03-01", "extent": "heltid", "required_skills": ["Truckkort"]}
    created = supplier.post(f"/contracts/{setup.contract_id}/vacancies/", json=body)
    assert created.status_code == 201, created.json
    url = f"/contracts/{setup.contract_id}/vacancies/{created.json['id']}"
    etag = supplier.get(url).headers["ETag"]
    closed = supplier.put(url, json={**body, "status": "closed"}, headers={"If-Match": etag})
    assert closed.status_code == 200, closed.json
    assert closed.json["status"] == "closed"
    meet = supplier.post(url + "/meeting-requests", json={"pseudonym": "K-000000"})
    assert meet.status_code == 409


def test_the_docs_page_has_no_inline_script(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "<script>" not in page.text
    assert "vendor/swagger-ui/swagger-ui-bundle.js" in page.text
    bundle = client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    bundle.close()
    assert client.get("/api/v1/openapi.json").json["openapi"].startswith("3.")


def test_keys_are_created_shown_once_and_revoked_on_the_page(login, app, databases):
    client = login(alfa=["coordinator"])
    expires = (date.today() + timedelta(days=30)).isoformat()
    page = client.post_form(
        "/alfa/tokens/", {"name": "Procapita", "role": "coordinator", "expires_on": expires}
    )
    assert page.status_code == 200
    secret = page.text.split("<code>")[1].split("</code>")[0]
    assert secret.startswith("hansyn_")
    listing = client.get("/alfa/tokens/")
    assert secret not in listing.text
    assert "Procapita" in listing.text
    headers = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get("/api/v1/alfa/programmes/", headers=headers).status_code == 200
    with app.app_context(), databases.control_session() as session:
        token_id = session.scalar(select(api_tokens.ApiToken.id).where(
            api_tokens.ApiToken.token_hash == api_tokens.hash_token(secret)))
    assert client.post_form(f"/alfa/tokens/{token_id}/revoke").status_code == 302
    assert app.test_client().get("/api/v1/alfa/programmes/", headers=headers).status_code == 401


def test_another_member_cannot_revoke_my_key_but_an_admin_can(login, app):
    _secret, token_id, _user = new_token(app, "alfa", "coordinator")
    other = login(alfa=["coordinator"])
    assert other.post_form(f"/alfa/tokens/{token_id}/revoke").status_code == 404
    admin = login(alfa=["admin"])
    assert admin.post_form(f"/alfa/tokens/{token_id}/revoke").status_code == 302


def test_cases_through_the_api_follow_the_workflow_and_hide_the_candidate_from_suppliers(
    api_client, create_case
):
    from hansyn.tenants.matches.models import CaseState

    case = create_case("alfa", CaseState.REQUESTED, candidate={"name": "Dold Kandidat"})
    coordinator: ApiClient = api_client("alfa", "coordinator")
    supplier: ApiClient = api_client("alfa", "supplier", supplier_id=case.supplier_id)
    seen = supplier.get(f"/cases/{case.case_id}")
    assert seen.status_code == 200
    assert seen.json["candidate_name"] is None
    assert seen.json["candidate_id"] is None
    assert "Dold" not in seen.text
    staff = coordinator.get(f"/cases/{case.case_id}").json
    assert staff["candidate_name"] == "Dold Kandidat"
    assert "consent_asked" in staff["next_states"]
    # a supplier may not ask for consent: 409, and the case does not move
    url = f"/cases/{case.case_id}/transitions"
    refused = supplier.post(url, json={"to_state": "consent_asked"})
    assert refused.status_code == 409
    moved = coordinator.post(f"/cases/{case.case_id}/transitions",
                             json={"to_state": "consent_asked", "note": "Ringer i morgon"})
    assert moved.status_code == 200, moved.json
    assert moved.json["state"] == "consent_asked"
    missing = coordinator.post(f"/cases/{case.case_id}/transitions", json={"to_state": "consented"})
    assert missing.status_code == 422
    assert {"consent_on", "consent_channel"} <= set(missing.json["error"]["fields"])
    listed = supplier.get("/cases/").json["items"]
    assert [c["id"] for c in listed] == [case.case_id]
    other: ApiClient = api_client("alfa", "supplier", supplier_id=case.supplier_id + 10_000)
    assert other.get(f"/cases/{case.case_id}").status_code == 404


def test_the_contract_follow_up_as_the_follow_up_page_counts_it(api_client, create_case):
    case = create_case("alfa")
    admin: ApiClient = api_client("alfa", "admin")
    response = admin.get(f"/contracts/{case.contract_id}/follow-up")  # 3 persons × 12 months
    assert response.status_code == 200, response.json
    body = response.json
    assert body["required_months"] == 36
    assert body["delivered_months"] == 0
    assert body["status"] in {"on_track", "at_risk", "met", "not_met"}
    supplier: ApiClient = api_client("alfa", "supplier", supplier_id=case.supplier_id)
    assert supplier.get(f"/contracts/{case.contract_id}/follow-up").status_code == 200


def test_matches_while_the_index_is_built_answer_503_with_retry_after(
    api_client, create_supplier_with_contract, create_vacancy_row, held_index_build
):
    """As the ranked page does: a request that would wait for a whole build is told to come back,
    in the API's error shape, instead of a server error."""
    setup = create_supplier_with_contract("alfa")
    vacancy = create_vacancy_row("alfa", setup.contract_id, required_skills=["Lagerarbete"])
    supplier: ApiClient = api_client("alfa", "supplier", supplier_id=setup.supplier_id)
    url = f"/contracts/{setup.contract_id}/vacancies/{vacancy}/matches"
    with_build_held = supplier.get(url)
    held_index_build()  # released: the build finishes
    assert with_build_held.status_code == 503
    # at least our 5 s; the rate limiter raises it to its window's reset on every API answer
    assert int(with_build_held.headers["Retry-After"]) >= 5
    assert with_build_held.json["error"]["code"] == "index_not_ready"
    assert supplier.get(url).status_code == 200
