"""Placement pages: the municipality's staff and the supplier who employs the person change an
employment's terms, its end and its suspensions through real forms; other suppliers get 404."""

from __future__ import annotations

from datetime import date

import pytest

from hansyn.tenants.contracts.followup import EndReason
from hansyn.tenants.placements.models import WageSubsidy
from tests.fixtures.placements import load_placement

BASE = "/alfa/placements"


@pytest.fixture
def hire(create_placement):
    return create_placement(candidate={"name": "Sara Anställdsson"})


@pytest.fixture
def supplier(login, hire):
    return login(alfa=[("supplier", hire.supplier_id)])


@pytest.fixture
def coordinator(login):
    return login(alfa=["coordinator"])


def test_the_staff_see_the_employee_the_target_group_and_the_subsidy(coordinator, hire):
    page = coordinator.get(f"{BASE}/{hire.placement_id}")
    assert page.status_code == 200
    assert "Sara Anställdsson" in page.text
    assert "Kommunal arbetsmarknadsinsats/Jobbtorg" in page.text
    assert "Inget anställningsstöd" in page.text
    assert "Allmän visstidsanställning" in page.text
    listing = coordinator.get(f"{BASE}/")
    assert "Sara Anställdsson" in listing.text
    assert f'href="{BASE}/{hire.placement_id}"' in listing.text


def test_the_supplier_sees_its_employee_without_group_or_subsidy(supplier, hire):
    page = supplier.get(f"{BASE}/{hire.placement_id}")
    assert page.status_code == 200
    # consent released the name for the hire's case
    assert "Sara Anställdsson (K-" in page.text
    for hidden in ("Anställningsstöd", "Inget anställningsstöd", "Jobbtorg", "målgrupp"):
        assert hidden not in page.text.replace("målgruppen ingår inte", ""), hidden
    assert f'href="{BASE}/{hire.placement_id}"' in supplier.get(f"{BASE}/").text


def test_another_supplier_gets_404(login, create_placement, hire):
    other = create_placement()
    client = login(alfa=[("supplier", other.supplier_id)])
    for url in (
        f"{BASE}/{hire.placement_id}",
        f"{BASE}/{hire.placement_id}/edit",
        f"{BASE}/contracts/{hire.contract_id}",
        f"{BASE}/contracts/{hire.contract_id}/reports/2026/1",
    ):
        assert client.get(url).status_code == 404, url
    for url in (f"{BASE}/{hire.placement_id}/end", f"{BASE}/{hire.placement_id}/suspensions"):
        assert client.post_form(url).status_code == 404, url
    assert f'{BASE}/{hire.placement_id}"' not in client.get(f"{BASE}/").text


def test_the_supplier_changes_the_terms_but_never_the_subsidy(app, supplier, hire, placement_db):
    form = supplier.get(f"{BASE}/{hire.placement_id}/edit")
    assert 'name="wage_subsidy"' not in form.text
    assert 'name="programme_id"' not in form.text
    response = supplier.post_form(
        f"{BASE}/{hire.placement_id}/edit",
        {
            "start_date": "2026-02-01",
            "employment_form": "allman_visstid",
            "planned_end": "2027-01-31",
            "hours_per_week": "30",
            "extent_percent": "",
            "wage_subsidy": "lonebidrag",
        },
    )
    assert response.status_code == 302
    with placement_db() as session:
        placement = load_placement(session, hire.placement_id)
        assert (placement.hours_per_week, placement.extent_percent) == (30, None)
        assert placement.wage_subsidy is WageSubsidy.NONE


def test_the_coordinator_records_the_subsidy(coordinator, hire, placement_db):
    form = coordinator.get(f"{BASE}/{hire.placement_id}/edit")
    assert 'name="wage_subsidy"' in form.text
    with placement_db() as session:
        group = load_placement(session, hire.placement_id).programme_id
    response = coordinator.post_form(
        f"{BASE}/{hire.placement_id}/edit",
        {
            "start_date": "2026-02-01",
            "employment_form": "allman_visstid",
            "planned_end": "2027-01-31",
            "extent_percent": "100",
            "programme_id": str(group),
            "wage_subsidy": "nystartsjobb",
        },
    )
    assert response.status_code == 302
    with placement_db() as session:
        assert load_placement(session, hire.placement_id).wage_subsidy is WageSubsidy.NYSTARTSJOBB


def test_a_refused_edit_shows_the_message_at_the_field(supplier, hire):
    page = supplier.post_form(
        f"{BASE}/{hire.placement_id}/edit",
        {
            "start_date": "2026-02-01",
            "employment_form": "tillsvidare",
            "planned_end": "2027-01-31",
            "extent_percent": "100",
        },
    )
    assert page.status_code == 200
    assert "En tillsvidareanställning har inget slutdatum" in page.text
    assert 'aria-invalid="true"' in page.text


def test_end_and_suspension_through_the_forms(supplier, hire, placement_db):
    url = f"{BASE}/{hire.placement_id}"
    added = supplier.post_form(
        f"{url}/suspensions", {"first_day": "2026-05-04", "last_day": "2026-05-15"}
    )
    assert added.status_code == 302
    page = supplier.get(url)
    assert "2026-05-04 – 2026-05-15" in page.text
    refused = supplier.post_form(f"{url}/end", {"ended_on": "2026-05-10", "end_reason": "resigned"})
    assert refused.status_code == 200
    assert "uppehåll fortsätter efter sista dagen" in refused.text
    with placement_db() as session:
        suspension_id = load_placement(session, hire.placement_id).suspensions[0].id
    removed = supplier.post_form(f"{url}/suspensions/{suspension_id}/delete")
    assert removed.status_code == 302
    ended = supplier.post_form(f"{url}/end", {"ended_on": "2026-11-30", "end_reason": "resigned"})
    assert ended.status_code == 302
    with placement_db() as session:
        placement = load_placement(session, hire.placement_id)
        assert (placement.ended_on, placement.end_reason) == (
            date(2026, 11, 30),
            EndReason.RESIGNED,
        )
        assert placement.suspensions == []
    page = supplier.get(url)
    assert "Den anställde sade upp sig" in page.text
    # ten of twelve months served and the employee resigned: the whole year counts
    assert "förtida avslut räknas som helt" in page.text


def test_a_bad_date_is_a_form_error_not_a_crash(supplier, hire):
    page = supplier.post_form(
        f"{BASE}/{hire.placement_id}/suspensions", {"first_day": "2026-13-01", "last_day": "x"}
    )
    assert page.status_code == 200
    assert "Ange datumet som ÅÅÅÅ-MM-DD." in page.text


def test_the_pages_in_english(coordinator, hire):
    coordinator.post_form("/language", {"language": "en", "next": "/"})
    page = coordinator.get(f"{BASE}/{hire.placement_id}")
    assert "General fixed-term employment" in page.text
    assert "No wage subsidy" in page.text
    assert "End the employment" in page.text
