"""The password policy everywhere a password is set, a forced change after an operator chose the
password, and the forgotten-password flow."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from hansyn.errors import InvalidInput
from hansyn.platform.demo import ROLE_NAMES, TENANTS_WITH_USERS, demo_email
from hansyn.platform.models import PasswordReset, User, utcnow
from hansyn.platform.password_policy import check_password
from tests.fixtures import platform as fixtures
from tests.fixtures.mail import body
from tests.fixtures.platform import unique

NEW = "blåbärssoppa-vid-vasaloppet"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password123", "minst 12 tecken"),
        ("password1234", "för lätt att gissa"),
        ("qwertyuiop12", "för lätt att gissa"),
        ("lösenord2026", "för lätt att gissa"),
        ("aaaaaaaaaaaaaaaa", "för lätt att gissa"),
        ("x" * 1025, "högst 1024 tecken"),
    ],
)
def test_weak_passwords_are_refused(password, message):
    with pytest.raises(InvalidInput, match=message):
        check_password(password)


def test_a_password_made_of_the_persons_own_name_is_refused():
    about = ("anna.andersson@kungsbacka.se", "Anna Andersson")
    with pytest.raises(InvalidInput, match="för lätt att gissa"):
        check_password("annaandersson1984", about_user=about)
    assert check_password("annaandersson1984-kör-tåget-hem", about_user=about)


def test_no_composition_rules_a_long_passphrase_passes():
    assert check_password("korrekt häst batteri häftklammer")
    assert check_password("tre-ovanliga-ord-räcker")


def test_the_demo_password_passes_the_policy_for_every_demo_account():
    for slug in TENANTS_WITH_USERS:
        for role, name in ROLE_NAMES.items():
            assert check_password("hansyn-demo-2026", about_user=(demo_email(role, slug), name))


def test_the_account_page_refuses_a_weak_password(login, create_user):
    user = create_user(alfa=["admin"])
    client = login(user)
    page = client.post_form(
        "/account",
        {"current_password": user.password, "new_password": "password1234",
         "confirm": "password1234"},
    )
    assert page.status_code == 200
    assert "för lätt att gissa" in page.text


def test_the_command_line_refuses_a_weak_password(app, create_user):
    user = create_user(alfa=["analyst"])
    runner = app.test_cli_runner()
    result = runner.invoke(args=["user", "set-password", user.email], input="password1234\n")
    assert result.exit_code == 1
    assert "för lätt att gissa" in result.output
    created = runner.invoke(
        args=["user", "create", f"{unique('svag')}@example.se", "--name", "S"],
        input="password123\n",
    )
    assert created.exit_code == 1


def _user(app, email: str) -> User:
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.control_session() as session:
        user = session.scalar(select(User).where(User.email == email))
        session.expunge(user)
        return user


def test_a_password_chosen_by_the_operator_must_be_changed_at_first_login(app, client):
    email = f"{unique('ny')}@example.se"
    runner = app.test_cli_runner()
    operator_chose = "operatorns-tillfälliga-lösenord"
    assert runner.invoke(
        args=["user", "create", email, "--name", "Ny Person"], input=f"{operator_chose}\n"
    ).exit_code == 0
    assert runner.invoke(
        args=["user", "grant", email, "--tenant", "alfa", "--role", "coordinator"]
    ).exit_code == 0
    assert _user(app, email).must_change_password

    response = client.login(fixtures.TestUser(0, email, operator_chose))
    assert response.headers["Location"].endswith("/account")
    blocked = client.get("/alfa/candidates/")
    assert blocked.status_code == 302
    assert blocked.headers["Location"].endswith("/account")
    assert "Välj ett eget lösenord" in client.get("/account").text
    same = client.post_form(
        "/account", {"current_password": operator_chose, "new_password": "kort", "confirm": "kort"}
    )
    assert same.status_code == 200
    changed = client.post_form(
        "/account", {"current_password": operator_chose, "new_password": NEW, "confirm": NEW}
    )
    assert changed.status_code == 302
    assert not _user(app, email).must_change_password
    assert client.get("/alfa/candidates/").status_code == 200


def test_set_password_on_the_command_line_forces_a_change_too(app, create_user, client):
    user = create_user(alfa=["analyst"])
    result = app.test_cli_runner().invoke(
        args=["user", "set-password", user.email], input="operatorns-nya-lösenord\n"
    )
    assert result.exit_code == 0
    client.login(fixtures.TestUser(user.id, user.email, "operatorns-nya-lösenord"))
    assert client.get("/alfa/").headers["Location"].endswith("/account")


# Forgotten password -----------------------------------------------------------------------


def reset_path(mailbox, email: str) -> str:
    match = re.search(r"http://hansyn\.test(/password/reset/\S+)", body(mailbox.last_to(email)))
    assert match, "no reset link in the e-mail"
    return match.group(1)


def test_a_forgotten_password_is_replaced_through_the_e_mailed_link(
    app, client, login, create_user, mailbox
):
    user = create_user(alfa=["coordinator"])
    other_session = login(user)
    page = client.post_form("/password/forgot", {"email": user.email.upper()})
    assert page.status_code == 200
    assert "Om det finns ett konto med adressen" in page.text
    message = mailbox.last_to(user.email)
    assert message["Subject"] == "Nytt lösenord till Hänsyn"
    link = reset_path(mailbox, user.email)

    weak = client.post_form(link, {"new_password": "password1234", "confirm": "password1234"})
    assert "för lätt att gissa" in weak.text
    done = client.post_form(link, {"new_password": NEW, "confirm": NEW})
    assert done.status_code == 302
    assert client.get("/alfa/").status_code == 200  # signed in
    assert other_session.get("/alfa/").status_code == 302  # every other session ended
    assert client.get(link).status_code == 404  # single use
    old = client.post_form("/logout")
    assert old.status_code == 302
    refused = client.post_form("/login", {"email": user.email, "password": user.password})
    assert "Fel e-postadress eller lösenord." in refused.text
    client.login(fixtures.TestUser(user.id, user.email, NEW))


def test_the_answer_is_the_same_for_an_unknown_address(client, create_user, mailbox):
    user = create_user(alfa=["analyst"])
    unknown = f"{unique('okand')}@example.se"
    known = client.post_form("/password/forgot", {"email": user.email})
    other = client.post_form("/password/forgot", {"email": unknown})
    assert known.status_code == other.status_code == 200
    assert _page(known.text, user.email) == _page(other.text, unknown)
    mailbox.last_to(user.email)
    assert mailbox.to(unknown) == []


def _page(html: str, email: str) -> str:
    """The page without the address typed and the form's CSRF token, whose signature carries
    the second it was made in (two requests may straddle a second)."""
    html = re.sub(r'(name="csrf_token"[^>]*value=")[^"]*', r"\1", html)
    assert re.search(r'name="csrf_token"[^>]*value=""', html)  # the token was there
    return html.replace(email, "X")


def test_reset_requests_are_throttled_per_address_and_per_client(
    app, client, login, create_user, mailbox
):
    user = create_user(alfa=["analyst"])
    for _ in range(3):
        assert client.post_form("/password/forgot", {"email": user.email}).status_code == 200
    throttled = client.post_form("/password/forgot", {"email": user.email})
    assert throttled.status_code == 429
    mailbox.last_to(user.email)
    time.sleep(0.3)
    assert len(mailbox.to(user.email)) == 3
    sprayer = login(alfa=["analyst"])
    for _ in range(10):
        sprayer.post_form("/password/forgot", {"email": f"{unique('s')}@example.se"})
    assert sprayer.post_form("/password/forgot", {"email": user.email}).status_code == 429


def test_an_expired_reset_link_opens_nothing(app, client, create_user, mailbox, databases):
    user = create_user(alfa=["analyst"])
    client.post_form("/password/forgot", {"email": user.email})
    link = reset_path(mailbox, user.email)
    with app.app_context(), databases.control_session(write=True) as session:
        session.execute(
            update(PasswordReset)
            .where(PasswordReset.email == user.email)
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
    page = client.get(link)
    assert page.status_code == 404
    assert "använd eller har gått ut" in page.text
    assert client.post_form(link, {"new_password": NEW, "confirm": NEW}).status_code == 404
