"""Login, logout, session tokens, throttling, CSRF and redirects."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hansyn.platform.models import LoginAttempt, User


def test_login_page_is_swedish_by_default(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "Logga in" in response.text
    assert 'name="email"' in response.text
    assert 'name="password"' in response.text


def test_login_with_wrong_password_is_refused_with_a_message(client, create_user):
    user = create_user(alfa=["admin"])
    response = client.post_form("/login", {"email": user.email, "password": "fel-lösenord-123"})
    assert response.status_code == 200
    assert "Fel e-postadress eller lösenord." in response.text
    assert client.get("/alfa/").status_code == 302


def test_member_reaches_dashboard_after_login(client, create_user):
    user = create_user(alfa=["coordinator"])
    response = client.post_form("/login", {"email": user.email.upper(), "password": user.password})
    assert response.status_code == 302
    dashboard = client.get("/alfa/")
    assert dashboard.status_code == 200
    assert "Alfa kommun" in dashboard.text
    assert dashboard.headers["Cache-Control"] == "no-store"


def test_single_membership_goes_straight_to_its_tenant(login):
    client = login(alfa=["analyst"])
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/alfa/")


def test_member_of_two_tenants_chooses_between_them(login):
    client = login(alfa=["analyst"], beta=["analyst"])
    page = client.get("/")
    assert page.status_code == 200
    assert "Alfa kommun" in page.text
    assert "Beta kommun" in page.text
    assert client.get("/beta/").status_code == 200


def test_replayed_cookie_after_logout_gets_nothing(client, create_user):
    user = create_user(alfa=["admin"])
    client.login(user)
    cookie = client.get_cookie("hansyn_session", domain="hansyn.test")
    assert cookie is not None
    stolen = cookie.value
    assert client.logout().status_code == 302
    client.set_cookie("hansyn_session", stolen, domain="hansyn.test")
    response = client.get("/alfa/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_password_change_logs_out_other_sessions(app, login, create_user):
    user = create_user(alfa=["admin"])
    first, second = login(user), login(user)
    response = first.post_form(
        "/account",
        {
            "current_password": user.password,
            "new_password": "ett-helt-nytt-lösenord",
            "confirm": "ett-helt-nytt-lösenord",
        },
    )
    assert response.status_code == 302
    assert first.get("/alfa/").status_code == 200
    assert second.get("/alfa/").status_code == 302


def test_password_change_validates_input(login, create_user):
    user = create_user(alfa=["admin"])
    client = login(user)
    response = client.post_form(
        "/account", {"current_password": "fel", "new_password": "kort", "confirm": "annat"}
    )
    assert response.status_code == 200
    assert "minst 12 tecken" in response.text
    assert "Lösenorden är inte lika." in response.text


def test_deactivated_user_is_logged_out(app, login, create_user, databases):
    from hansyn.platform import operations

    user = create_user(alfa=["admin"])
    client = login(user)
    with app.app_context(), databases.control_session(write=True) as session:
        operations.deactivate_user(session.get(User, user.id))
    assert client.get("/alfa/").status_code == 302
    response = client.post_form("/login", {"email": user.email, "password": user.password})
    assert "Fel e-postadress eller lösenord." in response.text


def test_sixth_failed_attempt_within_a_minute_is_refused(app, client, create_user, databases):
    user = create_user(alfa=["admin"])
    for _ in range(5):
        response = client.post_form("/login", {"email": user.email, "password": "fel-lösenord-123"})
        assert response.status_code == 200
    sixth = client.post_form("/login", {"email": user.email, "password": user.password})
    assert sixth.status_code == 429
    assert "För många misslyckade inloggningar" in sixth.text
    with app.app_context(), databases.control_session() as session:
        failed = session.scalar(
            select(func.count(LoginAttempt.id)).where(
                LoginAttempt.email == user.email, LoginAttempt.succeeded.is_(False)
            )
        )
        throttled = session.scalar(
            select(func.count(LoginAttempt.id)).where(
                LoginAttempt.email == user.email, LoginAttempt.throttled.is_(True)
            )
        )
    assert failed == 6
    assert throttled == 1


def test_post_without_csrf_token_gets_400(client, create_user):
    user = create_user(alfa=["admin"])
    response = client.post("/login", data={"email": user.email, "password": user.password})
    assert response.status_code == 400
    assert "säkerhetstoken" in response.text


def test_logout_without_csrf_token_gets_400(login):
    client = login(alfa=["admin"])
    assert client.post("/logout").status_code == 400
    assert client.get("/alfa/").status_code == 200


def test_next_redirect_only_to_local_paths(client, create_user):
    for target, expected in [
        ("/alfa/", "/alfa/"),
        ("https://evil.example/", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
    ]:
        user = create_user(alfa=["admin"])
        response = client.post_form(
            "/login", {"email": user.email, "password": user.password, "next": target}
        )
        assert response.status_code == 302
        location = response.headers["Location"]
        assert location in {expected, f"http://hansyn.test{expected}"}, (target, location)
        client.logout()


def test_language_switch_to_english_and_back(client, create_user):
    response = client.post_form("/language", {"language": "en", "next": "/login"})
    assert response.status_code == 302
    assert "Log in" in client.get("/login").text
    client.post_form("/language", {"language": "sv", "next": "/login"})
    assert "Logga in" in client.get("/login").text


def test_too_long_new_password_is_called_too_long(login, create_user):
    client = login(create_user(alfa=["admin"]))
    long = "x" * 1025
    data = {"current_password": "fel", "new_password": long, "confirm": long}
    response = client.post_form("/account", data)
    assert response.status_code == 200
    assert "Lösenordet får vara högst 1024 tecken." in response.text
    assert "minst 12 tecken" not in response.text


def test_the_real_user_gets_in_from_a_client_that_has_not_been_failing(
    app, client, login, create_user
):
    """Five wrong passwords from an attacker lock the attacker out, not the account's owner."""
    user = create_user(alfa=["admin"])
    attacker = login(alfa=["analyst"])
    attacker.logout()
    for _ in range(5):
        attacker.post_form("/login", {"email": user.email, "password": "fel-lösenord-123"})
    locked = attacker.post_form("/login", {"email": user.email, "password": user.password})
    assert locked.status_code == 429
    owner = client.post_form("/login", {"email": user.email, "password": user.password})
    assert owner.status_code == 302
    assert client.get("/alfa/").status_code == 200
    # A wrong password from the fresh client is still only a failure, not a way around the lock.
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "127.200.0.1"
    wrong = other.post_form("/login", {"email": user.email, "password": "fel-lösenord-456"})
    assert wrong.status_code == 200
    assert other.post_form(
        "/login", {"email": user.email, "password": user.password}
    ).status_code == 429


def test_one_password_sprayed_over_many_addresses_is_stopped_per_client(
    app, client, create_user, databases
):
    victims = [create_user(alfa=["analyst"]) for _ in range(21)]
    answers = [
        client.post_form("/login", {"email": v.email, "password": "Sommar2026!!"}).status_code
        for v in victims
    ]
    assert answers[:20] == [200] * 20
    assert answers[20] == 429
    # Even the right password of yet another account is refused from that client now.
    last = create_user(alfa=["analyst"])
    assert client.post_form(
        "/login", {"email": last.email, "password": last.password}
    ).status_code == 429


@pytest.mark.parametrize("change", ["browser", "address"])
def test_a_copied_session_cookie_opens_nothing_elsewhere(app, login, create_user, change):
    user = create_user(alfa=["admin"])
    owner = login(user)
    assert owner.get("/alfa/").status_code == 200
    cookie = owner.get_cookie("hansyn_session", domain="hansyn.test")
    thief = app.test_client()
    thief.environ_base.update(owner.environ_base)
    if change == "browser":
        thief.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (Thief)"
    else:
        thief.environ_base["REMOTE_ADDR"] = "127.250.0.9"
    thief.set_cookie("hansyn_session", cookie.value, domain="hansyn.test")
    stolen = thief.get("/alfa/")
    assert stolen.status_code == 302
    assert "/login" in stolen.headers["Location"]
    assert thief.get("/account").status_code == 302
    # The owner's own session is not ended by the attempt.
    assert owner.get("/alfa/").status_code == 200


def test_hsts_is_sent_in_production_only(tmp_path, client):
    from tests.fixtures.platform import make_test_app

    production = make_test_app(tmp_path, None, HANSYN_ENV="production", SECRET_KEY="x" * 48)
    response = production.test_client().get("/login", base_url="https://hansyn.test")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_production_needs_the_base_url_for_links_in_e_mails(tmp_path, monkeypatch):
    from hansyn.platform.config import ConfigurationError
    from tests.fixtures.platform import make_test_app

    monkeypatch.delenv("HANSYN_BASE_URL", raising=False)
    with pytest.raises(ConfigurationError, match="HANSYN_BASE_URL"):
        make_test_app(tmp_path, None, HANSYN_ENV="production", SECRET_KEY="x" * 48, BASE_URL=None)


@pytest.mark.parametrize(("hops", "recorded"), [(0, "127.0.0.1"), (1, "203.0.113.7")])
def test_forwarded_for_is_trusted_only_when_configured(
    fresh_app, create_user, hops, recorded
):
    from hansyn.migrations import upgrade_control

    app = fresh_app(PROXY_HOPS=hops)
    databases = app.extensions["hansyn_databases"]
    with app.app_context():
        upgrade_control(databases)
    client = app.test_client()
    page = client.get("/login")
    token = page.text.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/login",
        data={"csrf_token": token, "email": "nobody@example.se", "password": "fel-lösenord-123"},
        headers={"X-Forwarded-For": "203.0.113.7"},
    )
    with app.app_context(), databases.control_session() as session:
        addresses = session.scalars(select(LoginAttempt.remote_addr)).all()
    assert addresses == [recorded]
