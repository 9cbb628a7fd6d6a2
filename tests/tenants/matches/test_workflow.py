"""The case workflow's engine: every transition from every state for every role, the log, the
audit, the database's own guard of the invariants, obsolete cases and withdrawn consent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from hansyn.errors import InvalidInput
from hansyn.platform.models import Role
from hansyn.tenants.audit.models import AuditEvent
from hansyn.tenants.audit.operations import SystemActor
from hansyn.tenants.candidates import operations as candidate_ops
from hansyn.tenants.candidates.models import Candidate, CandidateStatus
from hansyn.tenants.matches.models import (
    Case,
    CaseEvent,
    CaseRole,
    CaseState,
    ConsentChannel,
    InterviewOutcome,
)
from hansyn.tenants.matches.workflow import (
    TRANSITIONS,
    identity_released,
    obsolete_other_cases,
    transition,
)
from hansyn.tenants.notifications.models import Audience, Notification
from tests.fixtures.cases import ACTOR, make_case, new_case
from tests.fixtures.vacancies import new_contract_row, new_supplier_row, new_vacancy_row

St = CaseState
OPEN = ["proposed", "requested", "consent_asked", "consented", "interview", "offered"]

#: The workflow as issue 8 describes it, written out independently of `workflow.TRANSITIONS`:
#: (from, to) -> the roles that may fire it (c coordinator, a admin, s supplier, y system).
EXPECTED: dict[tuple[str, str], str] = {
    ("proposed", "consent_asked"): "ca",
    ("requested", "consent_asked"): "ca",
    ("consent_asked", "consented"): "ca",
    ("consent_asked", "declined"): "ca",
    ("consented", "interview"): "cas",
    ("interview", "offered"): "cas",
    ("offered", "hired"): "cas",
    **{(s, "refused"): "cas" + ("y" if s in OPEN[:3] else "") for s in OPEN},
    **{(s, "withdrawn"): "cay" for s in OPEN},
    **{(s, "obsolete"): "y" for s in OPEN},
    **{(s, "proposed"): "ca" for s in ("refused", "withdrawn", "obsolete")},
}
LETTERS = {"c": CaseRole.COORDINATOR, "a": CaseRole.ADMIN, "s": CaseRole.SUPPLIER,
           "y": CaseRole.SYSTEM}


def _fields(target: CaseState, role: CaseRole) -> dict[str, object]:
    today = date.today()
    system = role is CaseRole.SYSTEM
    return {
        St.CONSENTED: {"consent_on": today, "consent_channel": ConsentChannel.PHONE},
        St.DECLINED: {"consent_on": today, "consent_channel": ConsentChannel.EMAIL},
        St.INTERVIEW: {"interview_on": today},
        St.HIRED: {"hired_on": today},
        St.REFUSED: {"reason": "no_answer" if system else "other"},
        St.WITHDRAWN: {"reason": "consent_withdrawn" if system else "candidate_withdrew"},
    }.get(target, {})


@pytest.fixture
def fresh_candidates(app):
    """A vacancy and a function that makes a consenting candidate in a given session."""
    from tests.fixtures.candidates import make_candidate

    supplier = new_supplier_row(app, "alfa")
    vacancy = new_vacancy_row(app, "alfa", new_contract_row(app, "alfa", supplier))
    return vacancy, lambda session: make_candidate(session, consent=True).id


def test_the_table_is_the_one_the_issue_describes():
    table = {(t.source.value if t.source else None, t.target.value): t.roles for t in TRANSITIONS}
    creations = {k: v for k, v in table.items() if k[0] is None}
    assert creations == {
        (None, "proposed"): {CaseRole.COORDINATOR, CaseRole.ADMIN},
        (None, "requested"): {CaseRole.SUPPLIER},
    }
    moves = {k: v for k, v in table.items() if k[0] is not None}
    assert moves == {k: {LETTERS[c] for c in v} for k, v in EXPECTED.items()}


@pytest.mark.parametrize("source", list(CaseState), ids=str)
def test_every_transition_from_every_state_for_every_role(app, fresh_candidates, source):
    """From `source`, every target for every role: done exactly when EXPECTED allows it; a
    refused move changes nothing and logs nothing."""
    vacancy, candidate = fresh_candidates
    databases = app.extensions["hansyn_databases"]
    checked = 0
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        case = make_case(session, vacancy, candidate(session), source)
        events_before = len(case.events)
        for target in CaseState:
            for role in CaseRole:
                allowed = role in _roles(source, target)
                savepoint = session.begin_nested()
                try:
                    if allowed:
                        row = transition(session, case, target, ACTOR, role=role,
                                         **_fields(target, role))
                        assert (row.from_state, row.to_state, row.role) == (source, target, role)
                        assert case.state is target
                        assert len(case.events) == events_before + 1
                        assert (case.decided_at is not None) == (target in _final())
                    else:
                        with pytest.raises(InvalidInput):
                            transition(session, case, target, ACTOR, role=role,
                                       **_fields(target, role))
                        assert case.state is source
                        assert len(case.events) == events_before
                finally:
                    savepoint.rollback()
                    session.expire(case)
                checked += 1
        session.rollback()
    assert checked == len(CaseState) * len(CaseRole)


def _roles(source: CaseState, target: CaseState) -> set[CaseRole]:
    return {LETTERS[c] for c in EXPECTED.get((source.value, target.value), "")}


def _final() -> set[CaseState]:
    return {St.DECLINED, St.HIRED, St.REFUSED, St.WITHDRAWN, St.OBSOLETE}


@dataclass(frozen=True)
class FakeMember:
    """A member as `tenants.context.Member` carries it (roles in this municipality)."""

    user_id: int
    email: str
    roles: frozenset[Role]
    supplier_id: int | None = None


def test_the_role_comes_from_the_member(app, create_case):
    setup = create_case("alfa", St.CONSENTED)
    own = FakeMember(7, "lev@example.se", frozenset({Role.SUPPLIER}), setup.supplier_id)
    other = FakeMember(8, "annan@example.se", frozenset({Role.SUPPLIER}), setup.supplier_id + 999)
    analyst = FakeMember(9, "analys@example.se", frozenset({Role.ANALYST}))
    coordinator = FakeMember(10, "hl@example.se", frozenset({Role.COORDINATOR}))
    databases = app.extensions["hansyn_databases"]
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        case = session.get(Case, setup.case_id)
        for stranger in (other, analyst):
            with pytest.raises(InvalidInput):
                transition(session, case, St.INTERVIEW, stranger, interview_on=date.today())
        row = transition(session, case, St.INTERVIEW, own, interview_on=date.today())
        assert (row.role, row.user_id, row.user_email) == (CaseRole.SUPPLIER, 7, "lev@example.se")
        with pytest.raises(InvalidInput):  # only Hänsyn marks a case obsolete
            transition(session, case, St.OBSOLETE, coordinator)
        row = transition(session, case, St.OFFERED, coordinator)
        assert row.role is CaseRole.COORDINATOR


def test_missing_fields_are_all_reported_at_once(app, create_case):
    setup = create_case("alfa", St.CONSENT_ASKED)
    databases = app.extensions["hansyn_databases"]
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        case = session.get(Case, setup.case_id)
        with pytest.raises(InvalidInput) as raised:
            transition(session, case, St.CONSENTED, ACTOR, role=CaseRole.COORDINATOR,
                       consent_on=date.today() + timedelta(days=1), note="x" * 2001)
        fields = {p.field for p in raised.value.problems}
        assert fields == {"consent_on", "consent_channel", "note"}
        with pytest.raises(InvalidInput) as raised:
            transition(session, case, St.REFUSED, ACTOR, role=CaseRole.COORDINATOR,
                       reason="no_answer")  # the deadline's own reason is not for people
        assert raised.value.problems[0].field == "reason"
        with pytest.raises(InvalidInput):
            transition(session, case, St.REFUSED, ACTOR, role=CaseRole.COORDINATOR,
                       reason="no_show")  # there was no interview
        with pytest.raises(InvalidInput):
            transition(session, case, St.REFUSED, ACTOR, role=CaseRole.COORDINATOR,
                       reason="candidate_withdrew")  # a withdrawal reason
        with pytest.raises(InvalidInput) as raised:
            transition(session, case, St.REFUSED, ACTOR, role=CaseRole.COORDINATOR,
                       reason="other", message="Personnummer 19850203-1233 står här")
        assert raised.value.problems[0].field == "message"
        assert case.state is St.CONSENT_ASKED
        session.rollback()


def test_the_log_keeps_message_and_note_apart_and_the_release_is_audited(app, create_case):
    setup = create_case("alfa", St.CONSENT_ASKED)
    databases = app.extensions["hansyn_databases"]
    email = f"hl-{setup.case_id}@example.se"
    member = FakeMember(42, email, frozenset({Role.COORDINATOR}))
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        case = session.get(Case, setup.case_id)
        row = transition(
            session, case, St.CONSENTED, member, consent_on=date.today(),
            consent_channel=ConsentChannel.IN_PERSON,
            message="Välkommen på intervju!", note="Ringde och fick ja.",
        )
    with databases.tenant_session("alfa") as session:
        row = session.get(CaseEvent, row.id)
        assert (row.message, row.note) == ("Välkommen på intervju!", "Ringde och fick ja.")
        assert row.details["consent_channel"] == "in_person"
        audit = session.scalars(
            select(AuditEvent).where(AuditEvent.user_email == email).order_by(AuditEvent.id)
        ).all()
        assert [(a.action, a.subject_type, a.subject_id, a.supplier_id) for a in audit] == [
            ("case consented", "match_case", setup.case_id, None),
            ("release", "candidate", setup.candidate_id, setup.supplier_id),
        ]


def test_interview_outcome_and_no_show(app, create_case):
    databases = app.extensions["hansyn_databases"]
    no_show, offered = create_case("alfa", St.INTERVIEW), create_case("alfa", St.INTERVIEW)
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        case = session.get(Case, no_show.case_id)
        transition(session, case, St.REFUSED, ACTOR, role=CaseRole.SUPPLIER, reason="no_show")
        assert case.interview_outcome is InterviewOutcome.NO_SHOW
        other = session.get(Case, offered.case_id)
        transition(session, other, St.OFFERED, ACTOR, role=CaseRole.SUPPLIER)
        assert other.interview_outcome is InterviewOutcome.ATTENDED


def test_reopen_starts_again_from_a_proposal(app, create_case):
    setup = create_case("alfa", St.INTERVIEW)
    databases = app.extensions["hansyn_databases"]
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        case = session.get(Case, setup.case_id)
        transition(session, case, St.REFUSED, ACTOR, role=CaseRole.SUPPLIER, reason="lacks_skill")
        assert case.decided_at is not None
        assert not identity_released(case)
        transition(session, case, St.PROPOSED, ACTOR, role=CaseRole.COORDINATOR)
        assert (case.consent_on, case.consent_channel, case.interview_on, case.reason_code,
                case.decided_at, case.interview_outcome) == (None,) * 6
        assert [e.to_state for e in case.events][-2:] == [St.REFUSED, St.PROPOSED]


@pytest.mark.parametrize(
    ("state", "values"),
    [
        ("requested", {"decided_at": datetime(2026, 12, 1, 10, tzinfo=UTC)}),
        ("refused", {"decided_at": None}),
        ("offered", {"hired_on": date(2026, 12, 1)}),
        ("refused", {"reason_code": None}),
        ("requested", {"reason_code": "other"}),
        ("requested", {"consent_on": date(2026, 12, 1)}),
        ("consented", {"consent_channel": None}),
        ("offered", {"interview_on": None}),
    ],
)
def test_the_database_refuses_a_case_that_breaks_an_invariant(app, create_case, state, values):
    """The CHECK constraints hold even for code that bypasses the workflow."""
    setup = create_case("alfa", CaseState(state))
    with pytest.raises(IntegrityError):
        _write(app, update(Case).where(Case.id == setup.case_id).values(**values))


def _write(app, statement, params=None) -> None:
    with app.extensions["hansyn_databases"].tenant_session("alfa", write=True) as session:
        session.execute(statement, params)


def test_hired_needs_its_date_and_final_its_decision(app, create_case):
    setup = create_case("alfa", St.OFFERED)
    statement = (
        update(Case)
        .where(Case.id == setup.case_id)
        .values(state=St.HIRED, decided_at=datetime.now(UTC))
    )
    with pytest.raises(IntegrityError):
        _write(app, statement)


def test_case_events_are_append_only(app, create_case):
    setup = create_case("alfa", St.REQUESTED)
    databases = app.extensions["hansyn_databases"]

    def change_one() -> None:
        with databases.tenant_session("alfa", write=True) as session:
            row = session.scalar(select(CaseEvent).where(CaseEvent.case_id == setup.case_id))
            row.to_state = St.HIRED

    with pytest.raises(PermissionError):
        change_one()
    bulk = update(CaseEvent).where(CaseEvent.case_id == setup.case_id).values(note="x")
    with pytest.raises(PermissionError):
        _write(app, bulk)


def test_a_full_time_hire_makes_the_other_open_cases_obsolete_without_naming_anyone(
    app, create_case
):
    hired = create_case("alfa", St.OFFERED)
    other = create_case("alfa", St.INTERVIEW, candidate_id=hired.candidate_id)
    done = create_case("alfa", St.REFUSED, candidate_id=hired.candidate_id)
    databases = app.extensions["hansyn_databases"]
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        case = session.get(Case, hired.case_id)
        transition(session, case, St.HIRED, ACTOR, role=CaseRole.COORDINATOR)
        changed = obsolete_other_cases(session, case, ACTOR)
        assert [c.id for c in changed] == [other.case_id]
        assert session.get(Case, other.case_id).state is St.OBSOLETE
        assert session.get(Case, done.case_id).state is St.REFUSED
        assert session.get(Case, other.case_id).events[-1].role is CaseRole.SYSTEM
        told = session.scalars(
            select(Notification).where(
                Notification.case_id == other.case_id, Notification.audience == Audience.SUPPLIER
            )
        ).all()
        hiring_supplier = case.supplier.name
        assert told
        assert all(hiring_supplier not in str(n.params) for n in told)


@pytest.mark.parametrize("how", ["consent", "closed"])
def test_withdrawn_consent_or_a_closed_candidate_withdraws_every_open_case(app, create_case, how):
    first = create_case("alfa", St.CONSENTED)
    second = create_case("alfa", St.REQUESTED, candidate_id=first.candidate_id)
    hired = create_case("alfa", St.HIRED, candidate_id=first.candidate_id)
    databases = app.extensions["hansyn_databases"]
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        candidate = session.get(Candidate, first.candidate_id)
        assert identity_released(session.get(Case, first.case_id))
        if how == "consent":
            candidate_ops.record_consent(session, candidate, False, SystemActor(None, "hl@x.se"))
        else:
            candidate_ops.set_status(session, candidate, CandidateStatus.CLOSED, ACTOR)
        reason = "consent_withdrawn" if how == "consent" else "candidate_left"
        for setup in (first, second):
            case = session.get(Case, setup.case_id)
            assert (case.state, case.reason_code) == (St.WITHDRAWN, reason)
            assert not identity_released(case)
        stays = session.get(Case, hired.case_id)
        assert stays.state is St.HIRED
        assert not identity_released(stays)  # the name is hidden again, the hire stays


def test_a_new_case_needs_an_open_vacancy_and_a_visible_candidate(app, create_case):
    from tests.fixtures.candidates import make_candidate

    setup = create_case("alfa", St.REQUESTED)
    databases = app.extensions["hansyn_databases"]
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        hidden = make_candidate(session, consent=False).id
        with pytest.raises(InvalidInput):
            make_case(session, setup.vacancy_id, hidden, St.PROPOSED)
        session.rollback()


def test_new_case_factory_reaches_every_state(app):
    for state in CaseState:
        setup = new_case(app, "alfa", state)
        databases = app.extensions["hansyn_databases"]
        with databases.tenant_session("alfa") as session:
            assert session.get(Case, setup.case_id).state is state



def test_gallring_blanks_the_free_texts_of_the_candidates_case_logs(app, create_case):
    from hansyn.tenants.candidates.retention import run_retention

    setup = create_case("alfa", CaseState.CONSENT_ASKED)
    databases = app.extensions["hansyn_databases"]
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        case = session.get(Case, setup.case_id)
        transition(session, case, St.REFUSED, ACTOR, role=CaseRole.COORDINATOR, reason="other",
                   message="Hej Amina, tyvärr …", note="Amina var sjuk i veckan.")
        candidate = session.get(Candidate, setup.candidate_id)
        candidate_ops.set_status(session, candidate, CandidateStatus.CLOSED, ACTOR)
        candidate.closed_at = datetime.now(UTC) - timedelta(days=3650)
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        assert setup.candidate_id in run_retention(session).candidate_ids
    with databases.tenant_session("alfa") as session:
        events = session.get(Case, setup.case_id).events
        assert {(e.message, e.note, e.user_email) for e in events} == {(None, None, None)}
        assert [e.to_state for e in events][-1] is St.REFUSED  # the moves stay


def test_a_restriction_withdraws_the_open_cases_with_its_own_reason(app, create_case):
    setup = create_case("alfa", CaseState.CONSENTED)
    databases = app.extensions["hansyn_databases"]
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        candidate = session.get(Candidate, setup.candidate_id)
        ground = next(iter(candidate_ops.RESTRICTION_GROUNDS))
        assert candidate_ops.restrict(session, candidate, ground, ACTOR)
        case = session.get(Case, setup.case_id)
        assert (case.state, case.reason_code) == (St.WITHDRAWN, "restricted")
        assert not identity_released(case)
