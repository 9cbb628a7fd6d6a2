"""The coordinator's journey through the real pages: register, read, edit, pause, close, consent."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from hansyn.tenants.audit.models import AuditEvent
from hansyn.tenants.candidates import operations
from hansyn.tenants.candidates.models import Candidate, CandidateStatus
from tests.fixtures.candidates import programme_id
from tests.fixtures.platform import unique

BASE = "/alfa/candidates"


def form_data(session: Any, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "reference": unique("AME-"),
        "name": "Yusuf Andersson",
        "phone": "070-123 45 67",
        "email": "yusuf@example.se",
        "programme": str(programme_id(session, "etablering")),
        "skills": "truck\nLagerarbete\nknyppling av spetsar",
        "languages": "svenska B1\narabiska modersmål",
        "licences": ["B", "CE"],
        "place": "Angered",
        "place_id": "",
        "max_commute_km": "",
        "available_from": "2027-01-15",
        "working_time": "full_time",
        "notes": "Vill gärna arbeta med logistik.",
        "consent": "y",
    }
    data.update(overrides)
    return data


def by_reference(session: Any, reference: str) -> Candidate:
    session.rollback()
    candidate = session.scalar(select(Candidate).where(Candidate.reference == reference))
    assert candidate is not None
    return candidate


def audit_rows(session: Any, candidate_id: int, action: str) -> list[AuditEvent]:
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


@pytest.fixture
def coordinator(login: Any) -> Any:
    return login(alfa=["coordinator"])


def test_register_read_edit_pause_close_and_consent(coordinator, read_db):
    session = read_db("alfa")
    data = form_data(session)
    response = coordinator.post_form(f"{BASE}/new", data)
    assert response.status_code == 302, response.text
    candidate = by_reference(session, str(data["reference"]))
    assert candidate.name == "Yusuf Andersson"
    assert candidate.email == "yusuf@example.se"
    assert candidate.licence_list == ["B", "CE"]
    assert candidate.place_name == "Angered (Göteborg)"
    assert candidate.kommunkod == "1480"
    assert candidate.lat == pytest.approx(57.786, abs=0.01)
    assert candidate.available_from.isoformat() == "2027-01-15"
    skills = {s.text: (s.key, s.kind) for s in candidate.skills}
    assert skills["truck"][1] == "skill"
    assert skills["knyppling av spetsar"][1] == "free"  # unknown: kept as free text
    languages = {(v.language, v.level) for v in candidate.languages}
    assert languages == {("Svenska", "B1"), ("Arabiska", "Modersmål")}
    assert candidate.consent_given
    assert response.headers["Location"].endswith(f"{BASE}/{candidate.id}")

    page = coordinator.get(f"{BASE}/{candidate.id}")
    assert page.status_code == 200
    assert "Yusuf Andersson" in page.text
    assert "20 km" in page.text  # the default, explained
    assert "FA-regionen Göteborg" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert len(audit_rows(session, candidate.id, "view")) == 1

    edit_page = coordinator.get(f"{BASE}/{candidate.id}/edit")
    assert edit_page.status_code == 200
    assert "Yusuf Andersson" in edit_page.text
    assert len(audit_rows(session, candidate.id, "view")) == 2
    changed = form_data(
        session,
        reference=data["reference"],
        name="Yusuf Andersson Berg",
        max_commute_km="40",
        place="Borås",
        licences=["B"],
    )
    response = coordinator.post_form(f"{BASE}/{candidate.id}/edit", changed)
    assert response.status_code == 302, response.text
    candidate = by_reference(session, str(data["reference"]))
    assert (candidate.name, candidate.max_commute_km, candidate.kommunkod) == (
        "Yusuf Andersson Berg",
        40,
        "1490",
    )
    assert candidate.licence_list == ["B"]
    assert "40 km" in coordinator.get(f"{BASE}/{candidate.id}").text

    visible = operations.candidates_visible_to_suppliers(session)
    assert candidate.id in {c.id for c in session.scalars(visible)}

    for status in ("paused", "closed", "active"):
        if status == "closed":
            url, values = f"{BASE}/{candidate.id}/close", {"reason": "employed", "confirm": "y"}
        else:
            url, values = f"{BASE}/{candidate.id}/status", {"status": status}
        response = coordinator.post_form(url, values)
        assert response.status_code == 302
        candidate = by_reference(session, str(data["reference"]))
        assert candidate.status is CandidateStatus(status)
        if status == "paused":
            assert candidate.paused_at is not None
            assert candidate.id not in {c.id for c in session.scalars(visible)}
        if status == "closed":
            assert candidate.closed_at is not None
            assert candidate.closed_reason == "employed"
    assert candidate.closed_at is None  # reactivated: gallring no longer counts from it

    response = coordinator.post_form(
        f"{BASE}/{candidate.id}/consent", {"given": "no", "note": "per telefon"}
    )
    assert response.status_code == 302
    session.rollback()
    assert candidate.id not in {c.id for c in session.scalars(visible)}
    coordinator.post_form(f"{BASE}/{candidate.id}/consent", {"given": "yes"})
    candidate = by_reference(session, str(data["reference"]))
    assert [c.given for c in candidate.consents] == [True, False, True]
    assert candidate.consents[1].note == "per telefon"
    assert candidate.consents[1].recorded_by_email.endswith("@example.se")
    assert "per telefon" in coordinator.get(f"{BASE}/{candidate.id}").text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reference", "", "Ange ärendets referens."),
        ("name", "", "Ange personens namn."),
        ("name", "x" * 201, "Högst 200 tecken."),
        ("phone", "12ab", "Ange ett telefonnummer med riktnummer"),
        ("email", "inte-en-adress", "Ange en giltig e-postadress"),
        ("programme", "", "Välj ett program eller en målgrupp ur listan."),
        ("programme", "999999", "Välj ett program eller en målgrupp ur listan."),
        ("languages", "klingonska flytande", "Okänt språk"),
        ("licences", ["B", "Q"], "Okänd körkortsbehörighet: Q"),
        ("place", "Xyzzyborg", "Okänd ort"),
        ("max_commute_km", "0", "Ange ett helt antal kilometer mellan 1 och 300"),
        ("max_commute_km", "tio", "Ange ett helt antal kilometer mellan 1 och 300"),
        ("available_from", "15/1 2027", "Ange datumet som ÅÅÅÅ-MM-DD"),
        ("working_time", "skift", "Välj heltid, deltid eller båda."),
        ("notes", "Personnummer 811218-9876", "Personnummer får inte registreras"),
        ("name", "Anna 19811218-9876", "Personnummer får inte registreras"),
        ("reference", "811218+9876", "Personnummer får inte registreras"),
        ("skills", "Truckvana\n198112189876", "Personnummer får inte registreras"),
    ],
)
def test_every_wrong_field_is_named_and_nothing_is_saved(
    coordinator, read_db, field, value, message
):
    session = read_db("alfa")
    data = form_data(session, **{field: value})
    response = coordinator.post_form(f"{BASE}/new", data)
    assert response.status_code == 200
    assert message in response.text
    assert f'id="{field}-error"' in response.text
    if data["reference"]:
        session.rollback()
        assert (
            session.scalar(select(Candidate).where(Candidate.reference == data["reference"]))
            is None
        )


def test_unknown_place_names_the_closest_places(coordinator, read_db):
    response = coordinator.post_form(
        f"{BASE}/new", form_data(read_db("alfa"), place="Göteborgg xx")
    )
    assert "Okänd ort" in response.text


def test_unknown_place_suggests(coordinator, read_db):
    response = coordinator.post_form(f"{BASE}/new", form_data(read_db("alfa"), place="Angerd"))
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert "Menade du" in response.text


def test_phone_number_is_not_taken_for_a_personnummer(coordinator, read_db):
    session = read_db("alfa")
    data = form_data(session, phone="0701234567", notes="Ring 070-1234567 eller 031-123456")
    assert coordinator.post_form(f"{BASE}/new", data).status_code == 302


def test_duplicate_reference_is_refused(coordinator, read_db, create_candidate):
    session = read_db("alfa")
    existing = session.get(Candidate, create_candidate("alfa"))
    response = coordinator.post_form(
        f"{BASE}/new", form_data(session, reference=existing.reference)
    )
    assert "Det finns redan en arbetssökande med den referensen." in response.text


def test_place_chosen_in_the_autocomplete_is_used_by_id(coordinator, read_db):
    session = read_db("alfa")
    data = form_data(session, place="Angered (Göteborg)", place_id="L2725872")
    assert coordinator.post_form(f"{BASE}/new", data).status_code == 302
    assert by_reference(session, str(data["reference"])).place_id == "L2725872"


def test_form_without_javascript_shows_the_commute_default_rule(coordinator):
    page = coordinator.get(f"{BASE}/new")
    assert page.status_code == 200
    assert "FA-region" in page.text
    assert "autocomplete.js" in page.text
    assert "<script>" not in page.text


def test_suggest_endpoints_answer_json_for_any_member(login):
    client = login(alfa=["analyst"])
    skills = client.get(f"{BASE}/suggest/skills?q=svets").get_json()
    assert any(item["label"] == "Svetsning" for item in skills)
    languages = client.get(f"{BASE}/suggest/languages?q=sven").get_json()
    assert languages[0]["label"] == "Svenska"
    places = client.get(f"{BASE}/suggest/places?q=Angered").get_json()
    assert places[0]["id"] == "L2725872"
    assert places[0]["default_commute_km"] == 20.0
    assert places[0]["fa_region"] == "Göteborg"
    assert client.get(f"{BASE}/suggest/places?q=").get_json() == []


@pytest.mark.parametrize(
    ("query", "label", "kind"),
    [
        ("Biskopsgarden", "Norra Biskopsgården (Göteborg)", "district"),
        ("hisings backa", "Backa centrala (Göteborg)", "district"),
        ("417 05", "417 05 Göteborg", "postcode"),
        ("41705", "417 05 Göteborg", "postcode"),
    ],
)
def test_suggest_places_offers_districts_and_postcodes(login, query, label, kind):
    client = login(alfa=["coordinator"])
    places = client.get(f"{BASE}/suggest/places", query_string={"q": query}).get_json()
    assert places[0]["label"] == label
    assert places[0]["kind"] == kind
    assert places[0]["fa_region"] == "Göteborg"
    assert places[0]["default_commute_km"] >= 15


@pytest.mark.parametrize(
    ("typed", "place_id", "place_name"),
    [
        ("Biskopsgården", "D1480R107", "Norra Biskopsgården (Göteborg)"),
        ("422 43", "P42243", "422 43 Hisings Backa"),
        ("42243", "P42243", "422 43 Hisings Backa"),
    ],
)
def test_a_candidate_can_live_in_a_district_or_postcode_area(
    coordinator, read_db, typed, place_id, place_name
):
    session = read_db("alfa")
    data = form_data(session, place=typed)
    assert coordinator.post_form(f"{BASE}/new", data).status_code == 302
    candidate = by_reference(session, str(data["reference"]))
    assert (candidate.place_id, candidate.place_name) == (place_id, place_name)
    assert candidate.lat is not None
    assert 57.6 < candidate.lat < 57.8


def test_list_dashboard_and_menu(coordinator, create_candidate, read_db):
    candidate = read_db("alfa").get(Candidate, create_candidate("alfa"))
    listing = coordinator.get(f"{BASE}/")
    assert listing.status_code == 200
    assert candidate.reference in listing.text
    paused = coordinator.get(f"{BASE}/?status=paused")
    assert candidate.reference not in paused.text
    dashboard = coordinator.get("/alfa/")
    assert 'id="section-candidates"' in dashboard.text
    assert "Aktiv:" in dashboard.text
    assert candidate.reference in dashboard.text
    assert 'href="/alfa/candidates/"' in dashboard.text


def test_unknown_or_erased_candidate_is_404(coordinator):
    assert coordinator.get(f"{BASE}/99999999").status_code == 404
    assert coordinator.post_form(f"{BASE}/99999999/status", {"status": "paused"}).status_code == 404


def test_bad_status_or_consent_value_is_400(coordinator, create_candidate):
    candidate_id = create_candidate("alfa")
    assert (
        coordinator.post_form(f"{BASE}/{candidate_id}/status", {"status": "x"}).status_code == 400
    )
    assert (
        coordinator.post_form(f"{BASE}/{candidate_id}/consent", {"given": "x"}).status_code == 400
    )


def test_state_changes_need_csrf(coordinator, create_candidate):
    candidate_id = create_candidate("alfa")
    response = coordinator.post(f"{BASE}/{candidate_id}/status", data={"status": "paused"})
    assert response.status_code == 400
    response = coordinator.post(
        f"{BASE}/{candidate_id}/close", data={"reason": "employed", "confirm": "y"}
    )
    assert response.status_code == 400


def test_consent_note_with_personnummer_is_refused(coordinator, create_candidate, read_db):
    candidate_id = create_candidate("alfa")
    response = coordinator.post_form(
        f"{BASE}/{candidate_id}/consent",
        {"given": "yes", "note": "pnr 811218-9876"},
        follow_redirects=True,
    )
    assert "Personnummer får inte registreras" in response.text
    assert read_db("alfa").get(Candidate, candidate_id).consents == []


def test_other_roles_cannot_open_coordinator_pages(login, create_candidate):
    candidate_id = create_candidate("alfa")
    admin = login(alfa=["admin"])
    for url in (
        f"{BASE}/",
        f"{BASE}/new",
        f"{BASE}/{candidate_id}",
        f"{BASE}/{candidate_id}/edit",
        f"{BASE}/import",
        f"{BASE}/export.csv",
    ):
        assert admin.get(url).status_code == 403, url
    assert admin.post_form(f"{BASE}/{candidate_id}/status", {"status": "paused"}).status_code == 403


def test_pages_render_in_english(login, create_candidate):
    """Every page renders with the English locale (placeholders and formatting hold up)."""
    candidate_id = create_candidate("alfa", consent=True)
    client = login(alfa=["coordinator", "admin"])
    client.post_form("/language", {"language": "en", "next": "/"})
    for url in (
        f"{BASE}/",
        f"{BASE}/new",
        f"{BASE}/{candidate_id}",
        f"{BASE}/import",
        f"{BASE}/settings",
        f"{BASE}/register",
        f"{BASE}/{candidate_id}/log",
        f"{BASE}/{candidate_id}/edit",
        "/alfa/programmes/",
        "/alfa/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert '<html lang="en">' in page.text, url


def test_form_shows_the_default_commute_of_the_place_typed(coordinator, read_db, create_candidate):
    session = read_db("alfa")
    response = coordinator.post_form(f"{BASE}/new", form_data(session, name="", place="Borås"))
    assert response.status_code == 200
    assert "standardvärdet för bostadsorten" in response.text
    assert "FA-regionen Borås" in response.text
    candidate_id = create_candidate("alfa", max_commute_km="50")
    edit = coordinator.get(f"{BASE}/{candidate_id}/edit")
    assert "standardvärdet för bostadsorten: 20 km" in edit.text
    assert "FA-regionen Göteborg" in edit.text


def test_email_with_a_personnummer_is_refused(coordinator, read_db):
    data = form_data(read_db("alfa"), email="811218-9876@example.se")
    assert "Personnummer får inte registreras" in coordinator.post_form(f"{BASE}/new", data).text


def test_a_programme_id_beyond_64_bits_is_a_form_error(coordinator, read_db):
    data = form_data(read_db("alfa"), programme=str(2**63))
    response = coordinator.post_form(f"{BASE}/new", data)
    assert response.status_code == 200
    assert "Välj ett program eller en målgrupp ur listan." in response.text


def test_profile_shows_languages_cased_and_in_the_page_language(login, read_db):
    client = login(alfa=["coordinator"])
    data = form_data(read_db("alfa"), languages="svenska B1\nARABISKA MODERSMÅL")
    response = client.post_form(f"{BASE}/new", data)
    profile = response.headers["Location"]
    swedish = client.get(profile).text
    assert "Arabiska, modersmål" in swedish
    assert "Arabiska Modersmål" not in swedish
    assert "Svenska B1" in swedish
    client.post_form("/language", {"language": "en"})
    english = client.get(profile).text
    assert "Arabic, native language" in english
    assert "Swedish B1" in english


def test_language_suggestions_are_in_the_page_language_and_read_back(login):
    client = login(alfa=["coordinator"])
    client.post_form("/language", {"language": "en"})
    offered = client.get(f"{BASE}/suggest/languages", query_string={"q": "arabiska m"}).get_json()
    assert offered[0]["label"] == "Arabic, native language"
    client.post_form("/language", {"language": "sv"})
    offered = client.get(f"{BASE}/suggest/languages", query_string={"q": "arabiska m"}).get_json()
    assert offered[0]["label"] == "Arabiska, modersmål"
