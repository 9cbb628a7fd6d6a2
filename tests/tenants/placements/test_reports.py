"""The supplier's quarterly report: prefilled from placements, draft → submitted → returned with a
comment → submitted → approved; the figures freeze when it is handed in; every step audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from hansyn.tenants.audit.models import AuditEvent
from hansyn.tenants.placements.models import PeriodicReport, ReportState
from tests.fixtures.placements import load_placement

BASE = "/alfa/placements/contracts"


@pytest.fixture
def hire(create_placement):
    return create_placement()


@pytest.fixture
def supplier(login, hire):
    return login(alfa=[("supplier", hire.supplier_id)])


@pytest.fixture
def admin(login):
    return login(alfa=["admin"])


def _report(placement_db, contract_id: int) -> PeriodicReport:
    with placement_db() as session:
        found = session.scalar(
            select(PeriodicReport).where(
                PeriodicReport.contract_id == contract_id,
                PeriodicReport.year == 2026,
                PeriodicReport.quarter == 1,
            )
        )
        assert found is not None
        session.expunge(found)
        return found


def test_the_whole_round_of_a_report(supplier, admin, hire, placement_db):
    url = f"{BASE}/{hire.contract_id}/reports/2026/1"
    page = supplier.get(url)
    assert page.status_code == 200
    # February and March at full time
    assert "Levererat under kvartalet" in page.text
    assert "2 heltidsmånader" in page.text
    assert supplier.post_form(url, {"action": "save", "comment": "Utkast om Q1"}).status_code == 302
    assert _report(placement_db, hire.contract_id).state is ReportState.DRAFT
    assert "Utkast om Q1" in supplier.get(url).text

    assert (
        supplier.post_form(url, {"action": "submit", "comment": "Två månader."}).status_code == 302
    )
    report = _report(placement_db, hire.contract_id)
    assert report.state is ReportState.SUBMITTED
    assert report.figures is not None
    assert report.figures["in_quarter"] == "2"
    assert report.submitted_at is not None

    # a later change to the placement does not change what was handed in
    with placement_db() as session:
        load_placement(session, hire.placement_id).extent_percent = 50
    assert _report(placement_db, hire.contract_id).figures["in_quarter"] == "2"

    refused = admin.post_form(url, {"action": "return", "comment": ""})
    assert refused.status_code == 200
    assert "Skriv vad leverantören ska komplettera." in refused.text
    assert (
        admin.post_form(url, {"action": "return", "comment": "Ange sjukfrånvaro."}).status_code
        == 302
    )
    report = _report(placement_db, hire.contract_id)
    assert (report.state, report.decided_at is not None) == (ReportState.RETURNED, True)
    page = supplier.get(url)
    assert "Ange sjukfrånvaro." in page.text
    assert "Återsänd för komplettering" in page.text

    assert supplier.post_form(url, {"action": "submit", "comment": "Rättat."}).status_code == 302
    report = _report(placement_db, hire.contract_id)
    assert report.state is ReportState.SUBMITTED
    assert report.figures["in_quarter"] == "1"  # half time now
    assert admin.post_form(url, {"action": "approve", "comment": ""}).status_code == 302
    assert _report(placement_db, hire.contract_id).state is ReportState.APPROVED

    again = supplier.post_form(url, {"action": "save", "comment": "Ändrar"})
    assert "Rapporten är redan inskickad." in again.text
    with placement_db() as session:
        report_id = _report(placement_db, hire.contract_id).id
        actions = session.scalars(
            select(AuditEvent.action)
            .where(
                AuditEvent.subject_type == "placement_report", AuditEvent.subject_id == report_id
            )
            .order_by(AuditEvent.id)
        ).all()
    assert actions == ["draft", "submitted", "returned", "submitted", "approved"]


def test_who_may_do_what(supplier, admin, hire):
    url = f"{BASE}/{hire.contract_id}/reports/2026/1"
    assert admin.post_form(url, {"action": "submit"}).status_code == 403
    assert supplier.post_form(url, {"action": "approve"}).status_code == 403
    assert supplier.post_form(url, {"action": "delete"}).status_code == 400


def test_the_running_quarter_cannot_be_handed_in(supplier, hire):
    today = date.today()
    quarter = (today.month - 1) // 3 + 1
    url = f"{BASE}/{hire.contract_id}/reports/{today.year}/{quarter}"
    page = supplier.get(url)
    if today.year > 2028:  # the fixtures' contracts have ended
        assert page.status_code == 404
        return
    assert "kan skickas in när kvartalet är slut" in page.text
    refused = supplier.post_form(url, {"action": "submit"})
    assert "Kvartalet är inte slut ännu" in refused.text


@pytest.mark.parametrize("path", ["2025/4", "2026/5", "2026/0", "2031/1"])
def test_quarters_outside_the_contract_are_404(supplier, hire, path):
    assert supplier.get(f"{BASE}/{hire.contract_id}/reports/{path}").status_code == 404


def test_the_follow_up_page_lists_the_quarters(supplier, hire):
    page = supplier.get(f"{BASE}/{hire.contract_id}")
    assert f"{BASE}/{hire.contract_id}/reports/2026/1" in page.text
    assert "inte påbörjad" in page.text
