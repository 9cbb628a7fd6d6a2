"""Notifications: on every role's dashboard (read/unread per user, only the audience's), and by
e-mail through a real SMTP server to those who did not turn it off."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from hansyn.tenants.matches.models import CaseState
from hansyn.tenants.notifications.models import EmailState, Notification
from tests.fixtures.mail import body


def _notifications(app, case_id: int) -> list[Notification]:
    with app.extensions["hansyn_databases"].tenant_session("alfa") as session:
        rows = session.scalars(select(Notification).where(Notification.case_id == case_id)).all()
        for row in rows:
            session.expunge(row)
        return list(rows)


def test_a_request_reaches_the_coordinators_dashboard_and_mailbox(
    app, login, create_user, create_case, mailbox
):
    coordinator_user = create_user(alfa=["coordinator"])
    coordinator = login(coordinator_user)
    setup = create_case("alfa", CaseState.CONSENT_ASKED)
    supplier = login(alfa=[("supplier", setup.supplier_id)])
    stranger = login(alfa=[("supplier", create_case("alfa").supplier_id)])
    analyst = login(alfa=["analyst"])

    coordinator.post_form(
        f"/alfa/cases/{setup.case_id}/move/consented",
        {"consent_on": date.today().isoformat(), "consent_channel": "phone", "confirm": "y"},
    )
    supplier_dashboard = supplier.get("/alfa/").text
    assert "Notiser" in supplier_dashboard
    assert "Samtycke givet" in supplier_dashboard
    link = f'href="/alfa/cases/{setup.case_id}"'
    assert link in supplier_dashboard
    assert link not in stranger.get("/alfa/").text
    assert link not in analyst.get("/alfa/notifications/").text

    # the supplier books an interview: now the coordinators are told, in the app and by e-mail
    supplier.post_form(
        f"/alfa/cases/{setup.case_id}/move/interview",
        {"interview_on": date.today().isoformat()},
    )
    shown = coordinator.get("/alfa/").text
    assert "Intervju bokad" in shown
    message = mailbox.last_to(coordinator_user.email)
    assert message["Subject"] == "Ett ärende i Hänsyn har ändrats"
    text = body(message)
    assert "har ändrats: Intervju bokad." in text
    assert f"http://hansyn.test/alfa/cases/{setup.case_id}" in text
    rows = _notifications(app, setup.case_id)
    assert {n.email_state for n in rows} == {EmailState.SENT}

    # read: it leaves the dashboard's unread list, for this user only
    (ours,) = [n for n in rows if n.audience.value == "coordinator"
               and n.params["state"] == "interview"]
    unread_mark = f'name="id" value="{ours.id}"'
    assert unread_mark in coordinator.get("/alfa/notifications/").text
    coordinator.post_form("/alfa/notifications/read", {"id": ours.id})
    assert unread_mark not in coordinator.get("/alfa/notifications/").text
    other_coordinator = login(alfa=["coordinator"])
    assert unread_mark in other_coordinator.get("/alfa/notifications/").text
    supplier.post_form("/alfa/notifications/read", {})
    assert "Alla notiser (0 olästa)" in supplier.get("/alfa/").text


def test_e_mail_can_be_turned_off_on_the_account_page(
    app, login, create_user, create_case, mailbox
):
    user = create_user(alfa=["coordinator"])
    client = login(user)
    assert 'name="email"' in client.get("/account").text
    client.post_form("/account/notifications", {})  # the box unticked
    assert "inte längre e-post" in client.get("/account").text
    setup = create_case("alfa", CaseState.CONSENTED)
    supplier = login(alfa=[("supplier", setup.supplier_id)])
    supplier.post_form(
        f"/alfa/cases/{setup.case_id}/move/interview",
        {"interview_on": date.today().isoformat()},
    )
    assert mailbox.to(user.email) == []
    assert "Intervju bokad" in client.get("/alfa/").text  # the app still tells
    client.post_form("/account/notifications", {"email": "y"})
    supplier.post_form(f"/alfa/cases/{setup.case_id}/move/offered", {})
    assert "Erbjuden anställning" in body(mailbox.last_to(user.email))


def test_mail_in_the_recipients_language(app, login, create_user, create_case, mailbox):
    user = create_user(alfa=["coordinator"])
    client = login(user)
    client.post_form("/language", {"language": "en", "next": "/alfa/"})
    setup = create_case("alfa", CaseState.CONSENTED)
    supplier = login(alfa=[("supplier", setup.supplier_id)])
    supplier.post_form(
        f"/alfa/cases/{setup.case_id}/move/interview",
        {"interview_on": date.today().isoformat()},
    )
    message = mailbox.last_to(user.email)
    assert message["Subject"] == "A case in Hänsyn has changed"
    assert "has changed: Interview booked." in body(message)


def test_a_server_that_cannot_be_reached_leaves_the_mail_for_the_next_run(
    app, login, create_user, create_case, mailbox, smtp_server
):
    from tests.fixtures.mail import free_port

    user = create_user(alfa=["coordinator"])
    setup = create_case("alfa", CaseState.CONSENTED)
    supplier = login(alfa=[("supplier", setup.supplier_id)])
    app.config["SMTP_PORT"] = free_port()  # nobody listens there
    try:
        answer = supplier.post_form(
            f"/alfa/cases/{setup.case_id}/move/interview",
            {"interview_on": date.today().isoformat()},
        )
    finally:
        app.config["SMTP_PORT"] = smtp_server.port
    assert answer.status_code == 302  # the move is saved whatever the mail server does
    (waiting,) = [n for n in _notifications(app, setup.case_id)
                  if n.params["state"] == "interview"]
    assert (waiting.email_state, waiting.email_attempts) == (EmailState.PENDING, 1)
    assert mailbox.to(user.email) == []
    sent = app.test_cli_runner().invoke(args=["notifications", "send", "--tenant", "alfa"])
    assert sent.exit_code == 0, sent.output
    assert "Intervju bokad" in body(mailbox.last_to(user.email))
    (done,) = [n for n in _notifications(app, setup.case_id) if n.id == waiting.id]
    assert done.email_state is EmailState.SENT


def test_a_dedup_key_whose_time_reads_like_a_samordningsnummer_is_saved(app):
    """A deadline run's key holds the flag's time; "…48.060874+00:00" has the shape of a
    samordningsnummer born over a hundred years ago, which the personnummer guard refuses in
    people's texts. The key is the code's, never anyone's text: it is saved."""
    from hansyn.tenants.notifications.models import Audience
    from hansyn.tenants.notifications.operations import notify
    from hansyn.tenants.privacy.personnummer import contains_personnummer

    key = "vacancy_stale:4530:supplier:2026-12-03T21:04:48.060874+00:00"
    assert contains_personnummer(key)
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa", write=True) as session:
        saved = notify(session, "vacancy_stale", Audience.ADMINS, dedup_key=key)
        assert saved is not None
        assert saved.id is not None
