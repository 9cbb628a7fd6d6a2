"""Security headers, cookies, error pages and the health check."""

from __future__ import annotations

from sqlalchemy import func, select

from hansyn.platform.models import LoginAttempt, User
from hansyn.platform.passwords import verify_password
from hansyn.platform.security import is_safe_next


def test_security_headers_on_every_response(client):
    for path in ("/login", "/healthz", "/no-such-page", "/static/style.css"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "object-src 'none'" in csp
        assert "base-uri 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"]
        response.close()


def test_session_cookie_is_httponly_and_lax(client, create_user):
    user = create_user(alfa=["admin"])
    response = client.post_form("/login", {"email": user.email, "password": user.password})
    cookie_header = next(
        h for h in response.headers.getlist("Set-Cookie") if h.startswith("hansyn_session=")
    )
    assert "HttpOnly" in cookie_header
    assert "SameSite=Lax" in cookie_header


def test_cookies_are_secure_in_production(tmp_path, monkeypatch):
    from tests.fixtures.platform import make_test_app

    app = make_test_app(tmp_path, None, HANSYN_ENV="production", SECRET_KEY="x" * 48)
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_production_refuses_default_secret_key(tmp_path, monkeypatch):
    import pytest

    from hansyn.platform.config import ConfigurationError
    from tests.fixtures.platform import make_test_app

    monkeypatch.delenv("HANSYN_SECRET_KEY", raising=False)
    for key in ("", "dev", "short-key"):
        with pytest.raises(ConfigurationError):
            make_test_app(tmp_path, None, HANSYN_ENV="production", SECRET_KEY=key)


def test_not_found_page_has_no_stack_trace(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Sidan finns inte." in response.text
    assert "Traceback" not in response.text


def test_server_error_page_has_no_stack_trace(tmp_path):
    from tests.fixtures.platform import make_test_app

    app = make_test_app(
        tmp_path, None, HANSYN_ENV="development", TESTING=False, PROPAGATE_EXCEPTIONS=False
    )

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    app.logger.disabled = True
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "secret internals" not in response.text
    assert "Något gick fel" in response.text


def test_healthz_checks_both_layers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["tenants"] >= 2


def test_is_safe_next():
    assert is_safe_next("/alfa/candidates?x=1")
    for bad in (None, "", "http://evil", "//evil", "/\\evil", "javascript:alert(1)"):
        assert not is_safe_next(bad)


def test_current_password_guesses_on_the_account_page_are_throttled(
    app, login, create_user, databases
):
    """A stolen session must not test passwords without limit: the account page counts failures
    with the logins of that address, and the sixth within a minute is refused unchecked."""
    user = create_user(alfa=["admin"])
    client = login(user)
    new = "ett-helt-nytt-lösenord"
    for _ in range(5):
        data = {"current_password": "fel-lösenord-123", "new_password": new, "confirm": new}
        assert client.post_form("/account", data).status_code == 200
    data = {"current_password": user.password, "new_password": new, "confirm": new}
    assert client.post_form("/account", data).status_code == 429
    with app.app_context(), databases.control_session() as session:
        stored = session.scalar(select(User).where(User.email == user.email))
        assert verify_password(stored.password_hash, user.password, "fast")
        failed = session.scalar(
            select(func.count(LoginAttempt.id)).where(
                LoginAttempt.email == user.email, LoginAttempt.succeeded.is_(False)
            )
        )
    assert failed == 6


def test_oversized_request_bodies_are_refused_before_parsing(client):
    """Without a limit anyone could stream gigabytes into temporary files, even to /login."""
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'
        + b"x" * (7 * 1024 * 1024)
        + b"\r\n--b--\r\n"
    )
    response = client.post("/login", data=body, content_type="multipart/form-data; boundary=b")
    assert response.status_code == 413
    assert "Det du skickade är för stort." in response.text
