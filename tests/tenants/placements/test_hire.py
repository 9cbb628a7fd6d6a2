"""The hire through its form: an offered case becomes a placement and the case becomes hired in
one unit of work; a full-time hire makes the candidate's other open cases obsolete."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from hansyn.tenants.audit.models import AuditEvent
from hansyn.tenants.matches.models import Case, CaseState
from hansyn.tenants.placements.models import Placement, WageSubsidy

HIRE = "/alfa/placements/hire"
FORM = {
    "start_date": "2027-02-01",
    "employment_form": "allman_visstid",
    "planned_end": "2028-01-31",
    "hours_per_week": "40",
}


@pytest.fixture
def offered(create_case):
    return create_case("alfa", CaseState.OFFERED, candidate={"name": "Hanna Anställningsbar"})


def _state(placement_db, case_id: int) -> tuple[CaseState, date | None, Placement | None]:
    with placement_db() as session:
        case = session.get(Case, case_id)
        placement = session.scalar(select(Placement).where(Placement.case_id == case_id))
        if placement is not None:
            session.expunge(placement)
        return case.state, case.hired_on, placement


def test_the_supplier_hires_through_the_form(login, offered, placement_db):
    client = login(alfa=[("supplier", offered.supplier_id)])
    page = client.get(f"{HIRE}/{offered.case_id}")
    assert page.status_code == 200
    # consent released the name to this supplier; the form is prefilled from the vacancy
    assert "Hanna Anställningsbar" in page.text
    assert 'value="2027-02-01"' in page.text
    assert 'name="wage_subsidy"' not in page.text
    assert 'name="programme_id"' not in page.text
    response = client.post_form(f"{HIRE}/{offered.case_id}", FORM)
    assert response.status_code == 302
    state, hired_on, placement = _state(placement_db, offered.case_id)
    assert (state, hired_on) == (CaseState.HIRED, date(2027, 2, 1))
    assert placement is not None
    assert response.headers["Location"].endswith(f"/alfa/placements/{placement.id}")
    assert (placement.hours_per_week, placement.wage_subsidy) == (40, WageSubsidy.NONE)
    assert placement.offered_on == date.today()
    with placement_db() as session:
        audited = session.scalar(
            select(AuditEvent.action).where(
                AuditEvent.subject_type == "placement", AuditEvent.subject_id == placement.id
            )
        )
    assert audited == "create"
    # the hire form of a hired case leads to its placement
    again = client.get(f"{HIRE}/{offered.case_id}")
    assert again.headers["Location"].endswith(f"/alfa/placements/{placement.id}")


@pytest.mark.parametrize(("hours", "other_state"), [("40", CaseState.OBSOLETE), ("20", None)])
def test_a_full_time_hire_makes_other_cases_obsolete(
    login, create_case, offered, placement_db, hours, other_state
):
    other = create_case("alfa", CaseState.CONSENTED, candidate_id=offered.candidate_id)
    client = login(alfa=["coordinator"])
    response = client.post_form(f"{HIRE}/{offered.case_id}", {**FORM, "hours_per_week": hours})
    assert response.status_code == 302
    state, _hired_on, _placement = _state(placement_db, other.case_id)
    assert state is (other_state or CaseState.CONSENTED)


def test_a_refused_hire_leaves_the_case_offered(login, offered, placement_db):
    client = login(alfa=[("supplier", offered.supplier_id)])
    page = client.post_form(f"{HIRE}/{offered.case_id}", {**FORM, "start_date": "2020-01-01"})
    assert page.status_code == 200
    assert "före avtalets start" in page.text
    assert _state(placement_db, offered.case_id) == (CaseState.OFFERED, None, None)


def test_the_coordinator_sets_the_target_group_and_the_subsidy(login, offered, placement_db):
    client = login(alfa=["coordinator"])
    page = client.get(f"{HIRE}/{offered.case_id}")
    assert 'name="wage_subsidy"' in page.text
    from tests.fixtures.candidates import programme_id

    with placement_db() as session:
        group = programme_id(session, "etablering")
    response = client.post_form(
        f"{HIRE}/{offered.case_id}",
        {**FORM, "programme_id": str(group), "wage_subsidy": "introduktionsjobb"},
    )
    assert response.status_code == 302
    _case_state, _on, placement = _state(placement_db, offered.case_id)
    assert placement is not None
    assert (placement.programme_id, placement.wage_subsidy) == (
        group,
        WageSubsidy.INTRODUKTIONSJOBB,
    )


def test_only_an_offered_case_of_ones_own_can_be_hired(login, create_case, offered):
    other_supplier = create_case("alfa", CaseState.OFFERED)
    client = login(alfa=[("supplier", other_supplier.supplier_id)])
    assert client.get(f"{HIRE}/{offered.case_id}").status_code == 404
    assert client.post_form(f"{HIRE}/{offered.case_id}", FORM).status_code == 404
    consented = create_case("alfa", CaseState.CONSENTED)
    staff = login(alfa=["coordinator"])
    assert staff.get(f"{HIRE}/{consented.case_id}").status_code == 404
    assert login(alfa=["analyst"]).get(f"{HIRE}/{offered.case_id}").status_code == 403


def test_the_hire_form_in_english(login, offered):
    client = login(alfa=[("supplier", offered.supplier_id)])
    client.post_form("/language", {"language": "en", "next": "/"})
    page = client.get(f"{HIRE}/{offered.case_id}")
    assert "Record an employment" in page.text
    assert "First day of employment" in page.text
