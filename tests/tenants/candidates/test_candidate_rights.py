"""GDPR rights on the admin's pages: art. 15 names the recipients in Swedish time, art. 17 erases
at once (statistics keep their totals), art. 18 restricts; closing a case asks for a reason; art. 9
words in staff-only fields need the coordinator's confirmation."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select

from hansyn.tenants.audit.models import AuditEvent
from hansyn.tenants.candidates import operations
from hansyn.tenants.candidates.models import Candidate, CandidateStatus
from tests.fixtures.candidates import free_skill, programme_id
from tests.fixtures.platform import unique

BASE = "/alfa/candidates"


def _events(session, candidate_id: int, action: str) -> list[AuditEvent]:
    session.rollback()
    return list(
        session.scalars(
            select(AuditEvent).where(
                AuditEvent.subject_id == candidate_id,
                AuditEvent.subject_type == "candidate",
                AuditEvent.action == action,
            )
        )
    )


def test_art_15_names_each_supplier_that_saw_the_candidate_and_when(
    login, read_db, create_candidate, create_supplier_with_contract, create_vacancy_row
):
    special = free_skill()
    setup = create_supplier_with_contract("alfa")
    vacancy = create_vacancy_row("alfa", setup.contract_id, required_skills=[special])
    candidate_id = create_candidate("alfa", consent=True, skills=[special, "Städning"])
    supplier = login(alfa=[("supplier", setup.supplier_id)])
    assert supplier.get(f"/alfa/vacancies/{setup.contract_id}/{vacancy}/candidates").status_code
    admin = login(alfa=["admin"])
    data = json.loads(admin.get(f"{BASE}/{candidate_id}/export.json").text)
    assert data["tidszon"].startswith("Europe/Stockholm")
    assert data["registrerad"][-6:] in {"+01:00", "+02:00"}  # Swedish time, offset written out
    (recipient,) = data["mottagare"]
    assert recipient["leverantör"].startswith("Leverantör")
    assert recipient["sammanhang"] == f"leverantörens kandidatlista, annons {vacancy}"
    assert recipient["tidpunkt"][-6:] in {"+01:00", "+02:00"}
    assert "pseudonym" in recipient["uppgifter"]
    body = admin.get(f"{BASE}/{candidate_id}/export.csv").text.lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert any(r[0] == "mottagare" and f"annons {vacancy}" in r[1] for r in rows)
    assert any(r[0] == "tidszon" for r in rows)


def test_art_17_erases_now_with_a_ground_and_keeps_the_totals(login, read_db, create_candidate):
    candidate_id = create_candidate("alfa", consent=True, notes="Ring på fredagar")
    session = read_db("alfa")
    before = operations.status_counts(session)
    admin = login(alfa=["admin"])
    assert "Radera nu" in admin.get(f"{BASE}/{candidate_id}/rights").text
    unconfirmed = admin.post_form(f"{BASE}/{candidate_id}/erase", {"ground": "objection"})
    assert "Bekräfta raderingen." in unconfirmed.text
    session.rollback()
    assert session.get(Candidate, candidate_id).name is not None
    done = admin.post_form(
        f"{BASE}/{candidate_id}/erase", {"ground": "objection", "confirm": "y"}
    )
    assert done.status_code == 302
    session.rollback()
    erased = session.get(Candidate, candidate_id)
    assert erased.erased_at is not None
    assert (erased.name, erased.notes, erased.reference, erased.skills) == (None, None, None, [])
    assert erased.status is CandidateStatus.CLOSED
    after = operations.status_counts(session)
    assert sum(after.values()) == sum(before.values())
    (event,) = _events(session, candidate_id, "erase")
    assert event.purpose == "art. 17: objection"
    log = admin.get(f"{BASE}/{candidate_id}/log").text
    assert "radering (art. 17): Personen har invänt" in log


def test_art_18_restricts_and_lifts(login, read_db, create_candidate):
    candidate_id = create_candidate("alfa", consent=True)
    session = read_db("alfa")
    visible = operations.candidates_visible_to_suppliers(session)
    admin = login(alfa=["admin"])
    response = admin.post_form(
        f"{BASE}/{candidate_id}/restrict", {"ground": "accuracy", "confirm": "y"}
    )
    assert response.status_code == 302
    session.rollback()
    assert candidate_id not in set(session.scalars(visible.with_only_columns(Candidate.id)))
    restricted = session.get(Candidate, candidate_id)
    assert restricted.name == "Amina Testsson"  # kept
    page = admin.get(f"{BASE}/{candidate_id}/rights").text
    assert "Behandlingen är begränsad sedan" in page
    assert admin.post_form(f"{BASE}/{candidate_id}/lift-restriction", {}).status_code == 302
    session.rollback()
    assert candidate_id in set(session.scalars(visible.with_only_columns(Candidate.id)))
    assert [e.purpose for e in _events(session, candidate_id, "restrict")] == ["art. 18: accuracy"]
    assert len(_events(session, candidate_id, "lift restriction")) == 1
    admin.post_form("/language", {"language": "en", "next": "/alfa/"})
    assert "Restriction of processing (Article 18)" in admin.get(
        f"{BASE}/{candidate_id}/rights"
    ).text


def test_rights_pages_are_for_admins_only(login, create_candidate):
    candidate_id = create_candidate("alfa")
    coordinator = login(alfa=["coordinator"])
    assert coordinator.get(f"{BASE}/{candidate_id}/rights").status_code == 403
    response = coordinator.post_form(
        f"{BASE}/{candidate_id}/erase", {"ground": "objection", "confirm": "y"}
    )
    assert response.status_code == 403


def test_closing_asks_for_a_reason_and_a_confirmation(login, read_db, create_candidate):
    candidate_id = create_candidate("alfa", consent=True)
    coordinator = login(alfa=["coordinator"])
    profile = coordinator.get(f"{BASE}/{candidate_id}").text
    assert f'href="{BASE}/{candidate_id}/close"' in profile
    assert "Varför avslutas ärendet?" in coordinator.get(f"{BASE}/{candidate_id}/close").text
    refused = coordinator.post_form(f"{BASE}/{candidate_id}/close", {"reason": ""})
    assert "Välj ett skäl." in refused.text
    assert "Bekräfta att ärendet ska avslutas." in refused.text
    bypass = coordinator.post_form(f"{BASE}/{candidate_id}/status", {"status": "closed"})
    assert bypass.status_code == 400
    session = read_db("alfa")
    assert session.get(Candidate, candidate_id).status is CandidateStatus.ACTIVE
    done = coordinator.post_form(
        f"{BASE}/{candidate_id}/close", {"reason": "employed", "confirm": "y"}
    )
    assert done.status_code == 302
    session.rollback()
    closed = session.get(Candidate, candidate_id)
    assert (closed.status, closed.closed_reason) == (CandidateStatus.CLOSED, "employed")
    assert [e.purpose for e in _events(session, candidate_id, "status")] == ["closed: employed"]
    coordinator.post_form("/language", {"language": "en", "next": "/alfa/"})
    other = create_candidate("alfa")
    assert "Why is the case closed?" in coordinator.get(f"{BASE}/{other}/close").text


def _new_form(session, **values):
    data = {
        "reference": unique("AME-"),
        "name": "Kim Lund",
        "programme": str(programme_id(session)),
        "skills": "Truckvana",
        "working_time": "either",
    }
    data.update(values)
    return data


def test_art_9_words_in_notes_need_a_confirmation(login, read_db):
    coordinator = login(alfa=["coordinator"])
    session = read_db("alfa")
    data = _new_form(session, notes="Diagnos ADHD, sjukskriven halvtid")
    first = coordinator.post_form(f"{BASE}/new", data)
    assert first.status_code == 200
    assert "”Diagnos” (hälsa), ”ADHD” (hälsa), ”sjukskriven” (hälsa)" in first.text
    assert 'name="confirm_special"' in first.text
    session.rollback()
    assert session.scalar(select(Candidate).where(Candidate.reference == data["reference"])) is None
    confirmed = coordinator.post_form(f"{BASE}/new", {**data, "confirm_special": "y"})
    assert confirmed.status_code == 302
    session.rollback()
    candidate = session.scalar(select(Candidate).where(Candidate.reference == data["reference"]))
    assert candidate.notes == "Diagnos ADHD, sjukskriven halvtid"
    (event,) = _events(session, candidate.id, "confirm special")
    assert event.purpose == "art. 9: hälsa"


def test_art_9_words_in_an_imported_note_need_the_import_confirmation(login, read_db):
    reference = unique("IMP-")
    data = (
        "referens;namn;program;anteckningar\n"
        f"{reference};Kim Lund;jobbtorg;Romsk bakgrund, muslim\n"
    ).encode()
    coordinator = login(alfa=["coordinator"])

    def upload(**extra):
        return coordinator.post_form(
            f"{BASE}/import",
            {"file": (io.BytesIO(data), "fil.csv"), **extra},
            content_type="multipart/form-data",
        ).text

    assert "1 rad med fel" in upload()
    assert "1 ny" in upload(confirm_special="y")
    session = read_db("alfa")
    assert session.scalar(select(Candidate.notes).where(Candidate.reference == reference))
