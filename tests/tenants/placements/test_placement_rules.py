"""The rules of a placement: its start, agreed time, extent, parallel part time, end and
suspensions — refused with a message at the field, and held by database constraints too."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from hansyn.errors import InvalidInput
from hansyn.tenants.contracts.followup import EndReason
from hansyn.tenants.matches.models import Case, CaseRole, CaseState
from hansyn.tenants.placements import operations as ops
from hansyn.tenants.placements.models import EmploymentForm, Placement, WageSubsidy
from hansyn.tenants.programmes.models import Programme
from tests.fixtures.placements import ACTOR, load_placement, terms

TODAY = date(2026, 2, 1)


def _refusal(call, field: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        call()
    fields = {problem.field: str(problem.message) for problem in caught.value.problems}
    assert field in fields, fields
    return fields[field]


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (date(2025, 12, 31), "före avtalets start (2026-01-01)"),
        (date(2026, 1, 31), "före erbjudandet (2026-02-01)"),
        (date(2026, 8, 2), "högst sex månader fram (senast 2026-08-01)"),
        (date(2029, 1, 1), "under avtalstiden"),
    ],
)
def test_a_start_outside_the_rules_is_refused(create_case, placement_db, start, message):
    case_id = create_case("alfa", CaseState.OFFERED).case_id
    with placement_db() as session:
        case = session.get(Case, case_id)
        text_ = _refusal(
            lambda: ops.record_hire(
                session,
                case,
                terms(start_date=start, planned_end=date(2029, 6, 1)),
                ACTOR,
                today=TODAY,
                role=CaseRole.COORDINATOR,
            ),
            "start_date",
        )
    assert message in text_


def test_a_hire_recorded_after_the_person_started_keeps_its_past_start(
    create_case, placement_db
):
    """The coordinator hears of the hire a week late: the start lies in the past, after the
    offer, and is taken as it is."""
    case_id = create_case("alfa", CaseState.OFFERED).case_id
    offered = date.today()
    started, recorded = date.fromordinal(offered.toordinal() + 3), date.fromordinal(
        offered.toordinal() + 10
    )
    with placement_db() as session:
        case = session.get(Case, case_id)
        placement = ops.record_hire(
            session, case, terms(start_date=started, planned_end=date(2029, 6, 1)), ACTOR,
            today=recorded, role=CaseRole.COORDINATOR,
        )
        assert (placement.start_date, placement.offered_on) == (started, offered)
        assert case.state is CaseState.HIRED


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"planned_end": None}, "planned_end", "tidsbegränsad"),
        (
            {"employment_form": EmploymentForm.PERMANENT},
            "planned_end",
            "tillsvidareanställning har inget slutdatum",
        ),
        ({"planned_end": date(2026, 1, 31)}, "planned_end", "före startdatumet"),
        (
            {"employment_form": EmploymentForm.TRIAL, "planned_end": date(2026, 8, 1)},
            "planned_end",
            "högst sex månader",
        ),
        ({"extent_percent": None}, "hours_per_week", "antingen timmar"),
        ({"hours_per_week": 20}, "hours_per_week", "antingen timmar"),
        ({"extent_percent": None, "hours_per_week": 41}, "hours_per_week", "mellan 1 och 40"),
        ({"extent_percent": 0}, "extent_percent", "mellan 1 och 100"),
    ],
)
def test_terms_outside_the_rules_are_refused(create_case, placement_db, overrides, field, message):
    case_id = create_case("alfa", CaseState.OFFERED).case_id
    with placement_db() as session:
        case = session.get(Case, case_id)
        text_ = _refusal(
            lambda: ops.record_hire(
                session, case, terms(**overrides), ACTOR, today=TODAY, role=CaseRole.COORDINATOR
            ),
            field,
        )
    assert message in text_


def test_a_trial_of_six_months_less_a_day_is_accepted(create_placement):
    hire = create_placement(employment_form=EmploymentForm.TRIAL, planned_end=date(2026, 7, 31))
    assert hire.placement_id


def test_the_hire_takes_the_candidates_programme_and_no_subsidy(create_placement, placement_db):
    hire = create_placement(candidate={"programme": "etablering"})
    with placement_db() as session:
        placement = load_placement(session, hire.placement_id)
        assert placement.programme.code == "etablering"
        assert placement.wage_subsidy is WageSubsidy.NONE
        assert placement.offered_on == TODAY


def test_parallel_part_time_placements_up_to_full_time(create_placement):
    first = create_placement(extent_percent=60)
    second = create_placement(
        candidate_id=first.candidate_id, extent_percent=None, hours_per_week=16
    )
    assert second.placement_id
    with pytest.raises(InvalidInput) as caught:
        create_placement(candidate_id=first.candidate_id, extent_percent=10)
    assert "Högst 0 % återstår" in str(caught.value.message)
    # after the others end, full time is free again
    later = create_placement(
        candidate_id=first.candidate_id,
        start_date=date(2027, 2, 1),
        planned_end=date(2027, 12, 31),
        recorded_on=date(2027, 1, 15),
    )
    assert later.placement_id


def test_the_start_moves_only_while_it_lies_ahead(create_placement, placement_db):
    hire = create_placement(start_date=date(2026, 3, 1))
    with placement_db() as session:
        placement = load_placement(session, hire.placement_id)
        ops.update_placement(
            session, placement, terms(start_date=date(2026, 4, 1)), ACTOR, today=TODAY
        )
        assert placement.start_date == date(2026, 4, 1)
    with placement_db() as session:
        placement = load_placement(session, hire.placement_id)
        message = _refusal(
            lambda: ops.update_placement(
                session,
                placement,
                terms(start_date=date(2026, 5, 1)),
                ACTOR,
                today=date(2026, 4, 2),
            ),
            "start_date",
        )
    assert "redan börjat" in message


def test_the_staff_sets_the_target_group_and_the_subsidy(create_placement, placement_db):
    hire = create_placement()
    with placement_db() as session:
        placement = load_placement(session, hire.placement_id)
        group = session.query(Programme).filter_by(code="forsorjningsstod").one()
        ops.update_placement(
            session,
            placement,
            terms(programme_id=group.id, wage_subsidy=WageSubsidy.LONEBIDRAG_UTVECKLING),
            ACTOR,
            today=TODAY,
        )
    with placement_db() as session:
        placement = load_placement(session, hire.placement_id)
        assert placement.programme.code == "forsorjningsstod"
        assert placement.wage_subsidy is WageSubsidy.LONEBIDRAG_UTVECKLING
        # a supplier's edit carries no subsidy and leaves it as it is
        ops.update_placement(session, placement, terms(extent_percent=80), ACTOR, today=TODAY)
        assert placement.wage_subsidy is WageSubsidy.LONEBIDRAG_UTVECKLING


@pytest.mark.parametrize(
    ("ended_on", "reason", "field", "message"),
    [
        (date(2026, 1, 31), EndReason.RESIGNED, "ended_on", "före startdatumet"),
        (date(2027, 2, 1), EndReason.RESIGNED, "ended_on", "Förläng anställningen först"),
        (date(2026, 10, 31), EndReason.EXPIRED, "end_reason", "planerade slutdatum"),
    ],
)
def test_an_end_outside_the_rules_is_refused(
    create_placement, placement_db, ended_on, reason, field, message
):
    hire = create_placement()
    with placement_db() as session:
        placement = load_placement(session, hire.placement_id)
        refused = _refusal(
            lambda: ops.end_placement(session, placement, ended_on, reason, ACTOR), field
        )
    assert message in refused


def test_an_end_is_recorded_and_corrected(create_placement, placement_db):
    hire = create_placement()
    with placement_db() as session:
        placement = load_placement(session, hire.placement_id)
        ops.end_placement(session, placement, date(2026, 11, 30), EndReason.EMPLOYER_OTHER, ACTOR)
        ops.end_placement(session, placement, date(2027, 1, 31), EndReason.EXPIRED, ACTOR)
    with placement_db() as session:
        placement = load_placement(session, hire.placement_id)
        assert (placement.ended_on, placement.end_reason) == (date(2027, 1, 31), EndReason.EXPIRED)
        # a permanent employment cannot have "run out"
        message = _refusal(
            lambda: ops.update_placement(
                session,
                placement,
                terms(employment_form=EmploymentForm.PERMANENT, planned_end=None),
                ACTOR,
                today=TODAY,
            ),
            "planned_end",
        )
    assert "löpte ut" in message


def test_suspensions_lie_within_the_employment_and_never_overlap(create_placement, placement_db):
    hire = create_placement()
    with placement_db() as session:
        placement = load_placement(session, hire.placement_id)
        ops.add_suspension(session, placement, date(2026, 3, 1), date(2026, 3, 31), ACTOR)
        assert "Det finns redan ett uppehåll 2026-03-01–2026-03-31" in _refusal(
            lambda: ops.add_suspension(
                session, placement, date(2026, 3, 31), date(2026, 4, 5), ACTOR
            ),
            "first_day",
        )
        assert "före anställningen" in _refusal(
            lambda: ops.add_suspension(
                session, placement, date(2026, 1, 20), date(2026, 2, 5), ACTOR
            ),
            "first_day",
        )
        assert "efter anställningens sista dag" in _refusal(
            lambda: ops.add_suspension(
                session, placement, date(2027, 1, 20), date(2027, 2, 5), ACTOR
            ),
            "last_day",
        )
        assert "före den första" in _refusal(
            lambda: ops.add_suspension(
                session, placement, date(2026, 6, 5), date(2026, 6, 1), ACTOR
            ),
            "last_day",
        )
        # an end before a recorded leave is over is refused
        assert "uppehåll fortsätter" in _refusal(
            lambda: ops.end_placement(
                session, placement, date(2026, 3, 15), EndReason.RESIGNED, ACTOR
            ),
            "ended_on",
        )
        ops.remove_suspension(session, placement, placement.suspensions[0], ACTOR)
        assert placement.suspensions == []


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"end_reason": "resigned"}, "end_reason_when_ended"),
        ({"ended_on": date(2026, 5, 31)}, "end_reason_when_ended"),
        ({"planned_end": None}, "planned_end_when_fixed_term"),
        ({"hours_per_week": 20}, "extent_given_once"),
        ({"extent_percent": None}, "extent_given_once"),
        ({"extent_percent": 101}, "percent_range"),
        ({"planned_end": date(2026, 1, 1)}, "planned_end_after_start"),
    ],
)
def test_the_database_holds_the_invariants(create_placement, placement_db, values, constraint):
    hire = create_placement()
    with pytest.raises(IntegrityError) as caught:
        _write(placement_db, values, hire.placement_id)
    assert constraint in str(caught.value)


def _write(placement_db, values: dict[str, object], placement_id: int) -> None:
    """Past the operations, straight to the table."""
    with placement_db() as session:
        session.execute(update(Placement).where(Placement.id == placement_id).values(values))


def test_the_database_keeps_an_expired_end_on_the_planned_end(create_placement, placement_db):
    hire = create_placement()
    values = {"ended_on": date(2026, 6, 30), "end_reason": "expired"}
    with pytest.raises(IntegrityError) as caught:
        _write(placement_db, values, hire.placement_id)
    assert "expires_on_planned_end" in str(caught.value)


def test_a_vacancy_is_filled_by_its_hires(create_placement, placement_db):
    first = create_placement()
    with placement_db() as session:
        vacancy = load_placement(session, first.placement_id).vacancy
        assert vacancy.positions == 2
        assert not ops.vacancy_filled(session, vacancy)
    create_placement(vacancy_id=first.vacancy_id, contract_id=first.contract_id)
    with placement_db() as session:
        vacancy = load_placement(session, first.placement_id).vacancy
        assert ops.vacancy_filled(session, vacancy)
        assert ops.hires_by_vacancy(session, [vacancy.id]) == {vacancy.id: 2}
        assert session.query(Placement).filter_by(vacancy_id=vacancy.id).count() == 2
