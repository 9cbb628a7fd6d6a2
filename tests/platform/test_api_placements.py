"""Placements, the hire, the contract follow-up list and the quarterly reports in the JSON API:
the placement pages' roles, visibility, audit rows and ETags."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from hansyn.tenants.audit.models import AuditEvent
from hansyn.tenants.matches.models import Case, CaseState
from hansyn.tenants.placements.models import PeriodicReport, Placement, ReportState
from tests.fixtures.api import ApiClient


def _terms(**overrides: Any) -> dict[str, Any]:
    start = date.today() + timedelta(days=7)
    return {"start_date": start.isoformat(), "planned_end": None,
            "employment_form": "tillsvidare", "hours_per_week": None, "extent_percent": 100,
            **overrides}


def _actions(read_db: Any, subject: str, subject_id: int) -> list[str]:
    session = read_db("alfa")
    return list(session.scalars(select(AuditEvent.action).where(
        AuditEvent.subject_type == subject, AuditEvent.subject_id == subject_id)))


def test_a_supplier_records_a_hire_and_sees_its_employee_as_the_pages_show_it(
    api_client, create_case, read_db
):
    case = create_case("alfa", CaseState.OFFERED, candidate={"name": "Hanna Anställd"})
    supplier: ApiClient = api_client("alfa", "supplier", supplier_id=case.supplier_id)
    subsidy = supplier.post(f"/cases/{case.case_id}/hire",
                            json=_terms(wage_subsidy="lonebidrag", programme_id=1))
    assert subsidy.status_code == 422
    assert set(subsidy.json["error"]["fields"]) == {"wage_subsidy", "programme_id"}
    hired = supplier.post(f"/cases/{case.case_id}/hire", json=_terms())
    assert hired.status_code == 201, hired.json
    body = hired.json
    # consent released the name for this hire; the target group and subsidy are staff's only
    assert body["candidate_name"] == "Hanna Anställd"
    assert body["pseudonym"].startswith("K-")
    assert body["candidate_id"] is None
    assert body["programme_id"] is None
    assert body["wage_subsidy"] is None
    assert body["contract_id"] == case.contract_id
    session = read_db("alfa")
    assert session.get(Case, case.case_id).state is CaseState.HIRED
    assert "create" in _actions(read_db, "placement", body["id"])
    again = supplier.post(f"/cases/{case.case_id}/hire", json=_terms())
    assert again.status_code == 409
    assert again.json["error"]["code"] == "case_not_offered"
    staff = api_client("alfa", "coordinator").get(f"/placements/{body['id']}").json
    assert staff["candidate_id"] == case.candidate_id
    assert staff["candidate_name"] == "Hanna Anställd"
    assert staff["wage_subsidy"] == "none"
    assert staff["pseudonym"] is None


def test_the_name_is_hidden_from_the_supplier_once_consent_is_withdrawn(
    api_client, create_placement, read_db
):
    hire = create_placement("alfa", candidate={"name": "Olle Återkallad"})
    supplier: ApiClient = api_client("alfa", "supplier", supplier_id=hire.supplier_id)
    url = f"/placements/{hire.placement_id}"
    assert supplier.get(url).json["candidate_name"] == "Olle Återkallad"
    coordinator: ApiClient = api_client("alfa", "coordinator")
    withdrawn = coordinator.post(f"/candidates/{hire.candidate_id}/consent",
                                 json={"given": False, "note": "Återkallade per telefon"})
    assert withdrawn.status_code == 200, withdrawn.json
    shown = supplier.get(url)
    assert shown.json["candidate_name"] is None
    assert "Återkallad" not in shown.text
    audited = read_db("alfa").scalars(select(AuditEvent.supplier_id).where(
        AuditEvent.subject_type == "candidate", AuditEvent.subject_id == hire.candidate_id,
        AuditEvent.purpose == "api placement")).all()
    assert audited.count(hire.supplier_id) == 2


def test_a_supplier_lists_only_its_own_placements_and_gets_404_for_others(
    api_client, create_placement
):
    mine = create_placement("alfa")
    theirs = create_placement("alfa")
    supplier: ApiClient = api_client("alfa", "supplier", supplier_id=mine.supplier_id)
    listed = supplier.get("/placements/").json["items"]
    assert [p["id"] for p in listed] == [mine.placement_id]
    assert supplier.get(f"/placements/{theirs.placement_id}").status_code == 404
    admin: ApiClient = api_client("alfa", "admin")
    every = admin.get("/placements/", query_string={"contract_id": theirs.contract_id})
    assert [p["id"] for p in every.json["items"]] == [theirs.placement_id]
    assert api_client("alfa", "analyst").get("/placements/").status_code == 403


def test_ending_a_placement_needs_the_etag_and_a_reason(api_client, create_placement, read_db):
    hire = create_placement("alfa")  # 2026-02-01 to 2027-01-31
    coordinator: ApiClient = api_client("alfa", "coordinator")
    url = f"/placements/{hire.placement_id}"
    etag = coordinator.get(url).headers["ETag"]
    end = {"ended_on": "2026-06-30", "end_reason": "resigned"}
    assert coordinator.put(url + "/end", json=end).status_code == 428
    assert coordinator.put(url + "/end", json=end, headers={"If-Match": '"x"'}).status_code == 412
    early = coordinator.put(url + "/end", json={**end, "ended_on": "2026-01-15"},
                            headers={"If-Match": etag, "Accept-Language": "en"})
    assert early.status_code == 422
    assert early.json["error"]["fields"]["ended_on"][0].startswith("The last day cannot")
    ended = coordinator.put(url + "/end", json=end, headers={"If-Match": etag})
    assert ended.status_code == 200, ended.json
    assert (ended.json["ended_on"], ended.json["end_reason"]) == ("2026-06-30", "resigned")
    assert "end" in _actions(read_db, "placement", hire.placement_id)
    # the placement changed: the ETag read before no longer opens the door
    assert coordinator.put(url + "/end", json=end, headers={"If-Match": etag}).status_code == 412


def test_suspensions_are_added_and_removed_with_the_placements_etag(api_client, create_placement):
    hire = create_placement("alfa")
    supplier: ApiClient = api_client("alfa", "supplier", supplier_id=hire.supplier_id)
    url = f"/placements/{hire.placement_id}/suspensions"
    added = supplier.post(url, json={"first_day": "2026-04-01", "last_day": "2026-04-10"})
    assert added.status_code == 201, added.json
    [suspension] = added.json["suspensions"]
    overlapping = supplier.post(url, json={"first_day": "2026-04-05", "last_day": "2026-04-20"})
    assert overlapping.status_code == 422
    assert "first_day" in overlapping.json["error"]["fields"]
    one = f"{url}/{suspension['id']}"
    assert supplier.open("DELETE", one).status_code == 428
    etag = supplier.get(f"/placements/{hire.placement_id}").headers["ETag"]
    removed = supplier.open("DELETE", one, headers={"If-Match": etag})
    assert removed.status_code == 200, removed.json
    assert removed.json["suspensions"] == []
    assert supplier.open("DELETE", one, headers={"If-Match": etag}).status_code == 404


def test_staff_change_the_terms_and_the_subsidy_a_supplier_may_not_give(
    api_client, create_placement, read_db
):
    hire = create_placement("alfa")
    url = f"/placements/{hire.placement_id}"
    terms = {"start_date": "2026-02-01", "planned_end": "2027-01-31",
             "employment_form": "allman_visstid", "extent_percent": 75}
    admin: ApiClient = api_client("alfa", "admin")
    etag = admin.get(url).headers["ETag"]
    saved = admin.put(url, json={**terms, "wage_subsidy": "nystartsjobb"},
                      headers={"If-Match": etag})
    assert saved.status_code == 200, saved.json
    assert (saved.json["extent_percent"], saved.json["wage_subsidy"]) == (75, "nystartsjobb")
    supplier: ApiClient = api_client("alfa", "supplier", supplier_id=hire.supplier_id)
    supplier_etag = supplier.get(url).headers["ETag"]
    refused = supplier.put(url, json={**terms, "wage_subsidy": "none"},
                           headers={"If-Match": supplier_etag})
    assert refused.status_code == 422
    assert "wage_subsidy" in refused.json["error"]["fields"]
    assert read_db("alfa").get(Placement, hire.placement_id).wage_subsidy.value == "nystartsjobb"


def test_the_follow_up_list_gives_every_contract_its_status(api_client, create_placement):
    hire = create_placement("alfa")
    other = create_placement("alfa")
    admin: ApiClient = api_client("alfa", "admin")
    rows: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = admin.get("/contracts/follow-up",
                         query_string={"limit": 50, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.json
        rows += page.json["items"]
        cursor = page.json["next_cursor"]
        if cursor is None:
            break
    mine = next(r for r in rows if r["contract_id"] == hire.contract_id)
    assert mine["follow_up"]["status"] in {"on_track", "at_risk", "met", "not_met"}
    assert mine["follow_up"]["first_hire_on"] == "2026-02-01"
    supplier: ApiClient = api_client("alfa", "supplier", supplier_id=hire.supplier_id)
    own = supplier.get("/contracts/follow-up").json["items"]
    assert [r["contract_id"] for r in own] == [hire.contract_id]
    assert supplier.get(f"/contracts/{other.contract_id}/follow-up").status_code == 404
    coordinator: ApiClient = api_client("alfa", "coordinator")
    assert coordinator.get(f"/contracts/{hire.contract_id}/follow-up").status_code == 200
    assert api_client("alfa", "analyst").get("/contracts/follow-up").status_code == 403


def test_a_quarterly_report_is_drafted_handed_in_and_decided(api_client, create_placement,
                                                             read_db):
    hire = create_placement("alfa")
    supplier: ApiClient = api_client("alfa", "supplier", supplier_id=hire.supplier_id)
    admin: ApiClient = api_client("alfa", "admin")
    url = f"/contracts/{hire.contract_id}/reports/2026/1"
    quarters = supplier.get(f"/contracts/{hire.contract_id}/reports").json
    assert {"year": 2026, "quarter": 1} in [{k: q[k] for k in ("year", "quarter")}
                                             for q in quarters]
    draft = supplier.get(url)
    assert draft.status_code == 200
    assert draft.json["state"] is None
    assert draft.json["frozen"] is False
    assert [line["placement_id"] for line in draft.json["figures"]["lines"]] == [hire.placement_id]
    assert admin.post(url + "/transitions", json={"to_state": "approved"}).status_code == 409
    assert admin.put(url, json={"comment": "x"}).status_code == 403
    saved = supplier.put(url, json={"comment": "Två månader"},
                         headers={"If-Match": draft.headers["ETag"]})
    assert saved.status_code == 200, saved.json
    assert saved.json["state"] == "draft"
    assert supplier.post(url + "/transitions", json={"to_state": "approved"}).status_code == 403
    submitted = supplier.post(url + "/transitions", json={"to_state": "submitted"})
    assert submitted.status_code == 200, submitted.json
    assert submitted.json["frozen"] is True
    handed_in = supplier.get(url).headers["ETag"]
    late = supplier.put(url, json={"comment": "sent"}, headers={"If-Match": handed_in})
    assert late.status_code == 409
    unexplained = admin.post(url + "/transitions", json={"to_state": "returned"})
    assert unexplained.status_code == 422
    assert "comment" in unexplained.json["error"]["fields"]
    approved = admin.post(url + "/transitions", json={"to_state": "approved", "comment": "Bra"})
    assert approved.status_code == 200, approved.json
    assert [e["state"] for e in approved.json["events"]] == ["draft", "submitted", "approved"]
    report = read_db("alfa").scalar(select(PeriodicReport).where(
        PeriodicReport.contract_id == hire.contract_id))
    assert report.state is ReportState.APPROVED
    assert {"draft", "submitted", "approved"} <= set(
        _actions(read_db, "placement_report", report.id))


def test_a_report_is_handed_in_only_after_its_quarter_and_only_for_its_quarters(
    api_client, create_placement
):
    hire = create_placement("alfa")
    supplier: ApiClient = api_client("alfa", "supplier", supplier_id=hire.supplier_id)
    today = date.today()
    current = f"/contracts/{hire.contract_id}/reports/{today.year}/{(today.month - 1) // 3 + 1}"
    early = supplier.post(current + "/transitions", json={"to_state": "submitted"})
    assert early.status_code == 409
    assert early.json["error"]["code"] == "quarter_not_over"
    assert supplier.get(f"/contracts/{hire.contract_id}/reports/2025/4").status_code == 404
    assert supplier.get(f"/contracts/{hire.contract_id}/reports/2026/5").status_code == 404
    other = create_placement("alfa")
    assert supplier.get(f"/contracts/{other.contract_id}/reports/2026/1").status_code == 404
