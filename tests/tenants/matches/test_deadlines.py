"""The deadlines cron runs (`hansyn deadlines`): each does its work once, however often it runs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update

from hansyn.platform.models import utcnow
from hansyn.tenants.contracts.models import ClauseType
from hansyn.tenants.contracts.operations import ClauseData
from hansyn.tenants.matches.deadlines import run_deadlines
from hansyn.tenants.matches.models import Case, CaseRole, CaseSettings, CaseState
from hansyn.tenants.notifications.models import Audience, Notification
from hansyn.tenants.vacancies.models import Vacancy, VacancyStatus
from tests.fixtures.contracts import new_contract
from tests.fixtures.mail import body


def _session(app):
    return app.extensions["hansyn_databases"].tenant_session("alfa", write=True)


def _run(app, now: datetime | None = None):
    with app.test_request_context(), _session(app) as session:
        return run_deadlines(session, now or utcnow())


def _age_case(app, case_id: int, days: int) -> None:
    with _session(app) as session:
        session.execute(
            update(Case).where(Case.id == case_id)
            .values(state_changed_at=utcnow() - timedelta(days=days))
        )


def _notifications(app, **where) -> list[Notification]:
    with _session(app) as session:
        query = select(Notification).filter_by(**where).order_by(Notification.id)
        rows = session.scalars(query).all()
        for row in rows:
            session.expunge(row)
        return list(rows)


def test_an_unanswered_case_is_refused_once_with_its_own_reason(app, create_case):
    late = create_case("alfa", CaseState.CONSENT_ASKED)
    in_time = create_case("alfa", CaseState.REQUESTED)
    moving = create_case("alfa", CaseState.INTERVIEW)
    _age_case(app, late.case_id, 31)
    _age_case(app, in_time.case_id, 29)
    _age_case(app, moving.case_id, 90)  # an interview waits for no answer

    assert late.case_id in _run(app).refused
    with _session(app) as session:
        case = session.get(Case, late.case_id)
        assert (case.state, case.reason_code) == (CaseState.REFUSED, "no_answer")
        assert case.events[-1].role is CaseRole.SYSTEM
        assert session.get(Case, in_time.case_id).state is CaseState.REQUESTED
        assert session.get(Case, moving.case_id).state is CaseState.INTERVIEW
    told = {n.audience for n in _notifications(app, case_id=late.case_id)
            if n.params.get("reason") == "no_answer"}
    assert told == {Audience.COORDINATORS, Audience.SUPPLIER}
    before = len(_notifications(app, case_id=late.case_id))
    assert late.case_id not in _run(app).refused  # again: nothing more
    assert len(_notifications(app, case_id=late.case_id)) == before


def test_the_answer_days_are_the_municipalitys(app, create_case):
    setup = create_case("alfa", CaseState.PROPOSED)
    _age_case(app, setup.case_id, 12)
    assert setup.case_id not in _run(app).refused
    with _session(app) as session:
        settings = session.scalar(select(CaseSettings)) or CaseSettings()
        session.add(settings)
        settings.answer_days = 10
    try:
        assert setup.case_id in _run(app).refused
    finally:
        with _session(app) as session:
            session.scalar(select(CaseSettings)).answer_days = 30


def test_a_stale_vacancy_is_flagged_then_closed_and_saving_it_clears_the_flag(
    app, login, create_supplier_with_contract, create_vacancy_row
):
    setup = create_supplier_with_contract("alfa")
    stale = create_vacancy_row("alfa", setup.contract_id)
    kept = create_vacancy_row("alfa", setup.contract_id)
    old = utcnow() - timedelta(days=91)
    with _session(app) as session:
        session.execute(update(Vacancy).where(Vacancy.id.in_([stale, kept])).values(updated_at=old))

    assert {stale, kept} <= set(_run(app).flagged)
    assert not {stale, kept} & set(_run(app).flagged)  # once
    with _session(app) as session:
        vacancy = session.get(Vacancy, stale)
        assert vacancy.stale_flagged_at is not None
        assert vacancy.updated_at.replace(tzinfo=UTC) <= old.replace(tzinfo=UTC) + timedelta(
            seconds=1
        )
    (flag,) = _notifications(app, vacancy_id=stale, kind="vacancy_stale")
    assert flag.audience is Audience.SUPPLIER
    supplier = login(alfa=[("supplier", setup.supplier_id)])
    assert "har inte ändrats på 90 dagar" in supplier.get("/alfa/").text

    # the supplier saves one of them: it stays open; the other is closed 30 days after the flag
    edit = supplier.get(f"/alfa/vacancies/{setup.contract_id}/{kept}/edit")
    assert edit.status_code == 200
    form = _form_values(edit.text)
    assert supplier.post_form(
        f"/alfa/vacancies/{setup.contract_id}/{kept}/edit", form
    ).status_code == 302
    with _session(app) as session:
        session.execute(
            update(Vacancy).where(Vacancy.id == stale)
            .values(stale_flagged_at=utcnow() - timedelta(days=31))
        )
    report = _run(app)
    assert stale in report.closed
    assert kept not in report.closed
    assert stale not in _run(app).closed
    with _session(app) as session:
        assert session.get(Vacancy, stale).status is VacancyStatus.CLOSED
        assert session.get(Vacancy, kept).status is VacancyStatus.OPEN
        assert session.get(Vacancy, kept).stale_flagged_at is None
    closed = {n.audience for n in _notifications(app, vacancy_id=stale, kind="vacancy_closed")}
    assert closed == {Audience.SUPPLIER, Audience.COORDINATORS}


def _form_values(page: str) -> dict[str, str]:
    """The values an edit form shows, as a browser would send them back unchanged."""
    import re

    values: dict[str, str] = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        values.setdefault(name, value)
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\n?([^<]*)</textarea>', page):
        values[name] = text
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected',
                           options)
        if chosen:
            values[name] = chosen.group(1) or chosen.group(2)
    values.pop("csrf_token", None)
    return values


def test_first_hire_reminders_30_and_7_days_ahead_once_each_and_none_after_a_hire(
    app, create_case
):
    today = date.today()

    def contract(days: int) -> int:
        clause = ClauseData(
            ClauseType.REQUIREMENT, persons=1, months_per_person=12,
            first_hire_deadline=today + timedelta(days=days),
        )
        return new_contract(
            app, "alfa", start_date=today - timedelta(days=200),
            end_date=today + timedelta(days=700), clause=clause,
        )

    month, week, far = contract(20), contract(5), contract(60)
    report = _run(app)
    assert {month, week} <= set(report.reminded)
    assert far not in report.reminded
    assert not {month, week} & set(_run(app).reminded)
    (to_supplier,) = _notifications(app, contract_id=week, audience=Audience.SUPPLIER)
    assert to_supplier.dedup_key.endswith(":7:supplier")
    assert to_supplier.params["days"] == "5"
    assert _notifications(app, contract_id=month, audience=Audience.ADMINS)

    hired = contract(10)
    create_case("alfa", CaseState.HIRED, contract_id=hired)
    assert hired not in _run(app).reminded


def test_the_command_runs_every_deadline_and_mails_the_coordinators(
    app, create_user, create_case, mailbox
):
    coordinator = create_user(alfa=["coordinator"])
    late = create_case("alfa", CaseState.REQUESTED)
    _age_case(app, late.case_id, 45)
    result = app.test_cli_runner().invoke(args=["deadlines", "--tenant", "alfa"])
    assert result.exit_code == 0, result.output
    assert "case(s) refused without an answer" in result.output
    # one run sends a bounded batch; what other tests left pending may come first
    for _ in range(50):
        sent = app.test_cli_runner().invoke(args=["notifications", "send", "--tenant", "alfa"])
        if "alfa: 0 notification(s) e-mailed." in sent.output:
            break
    mailbox.last_to(coordinator.email)  # waits for the delivery
    assert any("Inget svar inom tidsfristen" in body(m) for m in mailbox.to(coordinator.email))
    assert "audit event(s) indexed by subject." in result.output
    again = app.test_cli_runner().invoke(args=["deadlines", "--tenant", "alfa"])
    assert "alfa: 0 case(s) refused" in again.output
    assert "; 0 audit event(s) indexed by subject." in again.output  # all done the first time
    sent = app.test_cli_runner().invoke(args=["notifications", "send", "--tenant", "alfa"])
    assert "alfa: 0 notification(s) e-mailed." in sent.output
    wrong = app.test_cli_runner().invoke(args=["deadlines", "--today", "igår"])
    assert wrong.exit_code == 1
    assert "YYYY-MM-DD" in wrong.output
