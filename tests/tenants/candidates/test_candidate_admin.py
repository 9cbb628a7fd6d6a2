"""The tenant admin's pages: who read a candidate, registerutdrag (JSON/CSV), retention setting."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select, update

from hansyn.tenants.audit.models import AuditEvent
from hansyn.tenants.candidates.models import Candidate, CandidateSettings

BASE = "/alfa/candidates"


def _events(session, candidate_id, action):
    session.rollback()
    return list(
        session.scalars(
            select(AuditEvent).where(
                AuditEvent.subject_type == "candidate",
                AuditEvent.subject_id == candidate_id,
                AuditEvent.action == action,
            )
        )
    )


def test_read_log_lists_who_read_the_candidate(login, create_user, create_candidate, read_db):
    candidate_id = create_candidate("alfa", consent=True)
    reader = create_user(alfa=["coordinator"])
    login(reader).get(f"{BASE}/{candidate_id}")
    admin = login(alfa=["admin"])
    page = admin.get(f"{BASE}/{candidate_id}/log")
    assert page.status_code == 200
    assert reader.email in page.text
    assert "<td>läste</td><td>profilen</td>" in page.text
    assert page.headers["Cache-Control"] == "no-store"


def test_subject_access_export_as_json_and_csv_is_audited(login, create_candidate, read_db):
    candidate_id = create_candidate("alfa", consent=True, name="Leila Öberg", notes="Gillar lager")
    admin = login(alfa=["admin"])
    response = admin.get(f"{BASE}/{candidate_id}/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.text)
    assert data["namn"] == "Leila Öberg"
    assert data["anteckningar"] == "Gillar lager"
    assert data["program"] == "Kommunal arbetsmarknadsinsats/Jobbtorg"
    assert {s["text"] for s in data["kompetenser"]} == {"Truckvana", "Lagerarbete"}
    assert data["samtycken"][0]["samtycker"] is True
    assert data["körkort"] == ["B"]

    response = admin.get(f"{BASE}/{candidate_id}/export.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["uppgift", "värde"]
    assert ["namn", "Leila Öberg"] in rows
    assert ["kompetenser", "text: Truckvana, nyckel: skill:pGts_PKK_c8W"] in rows

    session = read_db("alfa")
    purposes = {event.purpose for event in _events(session, candidate_id, "export")}
    assert purposes == {"art. 15 json", "art. 15 csv"}


def test_register_lists_candidates_for_the_admin(login, create_candidate, read_db):
    candidate = read_db("alfa").get(Candidate, create_candidate("alfa"))
    page = login(alfa=["admin"]).get(f"{BASE}/register")
    assert page.status_code == 200
    assert candidate.reference in page.text


def test_retention_setting(login, read_db):
    admin = login(alfa=["admin"])
    page = admin.get(f"{BASE}/settings")
    assert page.status_code == 200
    for bad in ("0", "121", "två år", ""):
        response = admin.post_form(f"{BASE}/settings", {"retention_months": bad})
        assert response.status_code == 200
        assert 'id="retention_months-error"' in response.text
        assert "Ange" in response.text
    response = admin.post_form(f"{BASE}/settings", {"retention_months": "36"})
    assert response.status_code == 302
    session = read_db("alfa")
    assert session.scalar(select(CandidateSettings.retention_months)) == 36
    admin.post_form(f"{BASE}/settings", {"retention_months": "24"})


def test_admin_pages_refuse_coordinators(login, create_candidate):
    candidate_id = create_candidate("alfa")
    coordinator = login(alfa=["coordinator"])
    for url in (
        f"{BASE}/register",
        f"{BASE}/settings",
        f"{BASE}/{candidate_id}/log",
        f"{BASE}/{candidate_id}/export.json",
        f"{BASE}/{candidate_id}/export.csv",
    ):
        assert coordinator.get(url).status_code == 403, url
    assert coordinator.post_form(f"{BASE}/settings", {"retention_months": "1"}).status_code == 403


def test_admin_menu_has_register_and_gallring(login):
    page = login(alfa=["admin"]).get("/alfa/")
    assert 'href="/alfa/candidates/register"' in page.text
    assert 'href="/alfa/candidates/settings"' in page.text
    assert 'href="/alfa/programmes/"' in page.text
    assert 'href="/alfa/candidates/"' not in page.text


def test_audit_rows_refuse_bulk_update_and_delete(databases, login, create_candidate):
    """Bulk statements skip the mapper's before_update/before_delete: they are refused too."""
    candidate_id = create_candidate("alfa")
    login(alfa=["coordinator"]).get(f"{BASE}/{candidate_id}")
    changes = [
        update(AuditEvent).where(AuditEvent.subject_id == candidate_id).values(user_email=None),
        delete(AuditEvent).where(AuditEvent.subject_id == candidate_id),
    ]
    for statement in changes:
        with (
            pytest.raises(PermissionError),
            databases.tenant_session("alfa", write=True) as session,
        ):
            session.execute(statement)
    with databases.tenant_session("alfa") as session:
        assert _events(session, candidate_id, "view")[0].user_email is not None


def test_read_log_names_events_in_words_of_the_language(login, create_candidate):
    candidate_id = create_candidate("alfa", consent=True)
    admin = login(alfa=["admin"])
    admin.get(f"{BASE}/{candidate_id}/export.csv")
    page = admin.get(f"{BASE}/{candidate_id}/log").text
    assert "<td>exporterade</td><td>registerutdrag (CSV)</td>" in page
    assert "art. 15" not in page
    admin.post_form("/language", {"language": "en", "next": f"{BASE}/{candidate_id}/log"})
    page = admin.get(f"{BASE}/{candidate_id}/log").text
    assert "<td>exported</td><td>data export (CSV)</td>" in page
    assert "<td>read</td><td>read log</td>" in page


def test_the_candidate_list_export_appears_in_each_exported_persons_read_log(
    login, create_user, create_candidate, read_db
):
    candidate_id = create_candidate("alfa", consent=True)
    exporter = create_user(alfa=["coordinator"])
    assert login(exporter).get(f"{BASE}/export.csv").status_code == 200
    events = _events(read_db("alfa"), candidate_id, "export")
    assert [(e.user_email, e.purpose) for e in events] == [(exporter.email, "candidate list csv")]
    page = login(alfa=["admin"]).get(f"{BASE}/{candidate_id}/log")
    assert exporter.email in page.text
    assert "<td>exporterade</td><td>listan över arbetssökande (CSV)</td>" in page.text


def test_read_log_shows_times_as_the_clock_in_sweden(app, login, create_candidate):
    candidate_id = create_candidate("alfa", consent=True)
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa", write=True) as session:
        at = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)  # 00:30 the next day in Stockholm (CET)
        session.add(
            AuditEvent(at=at, action="view", subject_type="candidate", subject_id=candidate_id)
        )
    page = login(alfa=["admin"]).get(f"{BASE}/{candidate_id}/log").text
    assert "2026-01-16 00:30:00" in page
    assert "2026-01-15 23:30:00" not in page
