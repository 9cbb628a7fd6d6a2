"""The session cookie is re-signed at most once a minute while the session is unchanged, and a
session still ends after its lifetime without a request."""

from __future__ import annotations

import time

import itsdangerous.timed
import pytest

from hansyn.platform import session_cookie


def _session_cookie(response) -> str | None:
    return next((h for h in response.headers.getlist("Set-Cookie")
                 if h.startswith("hansyn_session=")), None)


@pytest.fixture
def clock(monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(session_cookie.time, "time", lambda: now[0])
    return now


def test_an_unchanged_session_is_re_signed_once_a_minute(app, client, create_user, clock):
    user = create_user(alfa=["coordinator"])
    assert _session_cookie(client.login(user)) is not None
    client.get("/tillganglighet")  # shows (and takes from the session) the login's messages
    assert _session_cookie(client.get("/tillganglighet")) is None  # same minute: not sent
    clock[0] += 61
    refreshed = _session_cookie(client.get("/tillganglighet"))
    assert refreshed is not None
    assert "Expires=" in refreshed
    assert _session_cookie(client.get("/tillganglighet")) is None
    flashed = client.post_form("/language", {"language": "en"})  # a changed session: sent
    assert _session_cookie(flashed) is not None


def test_a_session_idle_beyond_its_lifetime_is_signed_out(app, client, create_user, monkeypatch):
    user = create_user(alfa=["coordinator"])
    client.login(user)
    assert client.get("/alfa/candidates/").status_code == 200
    later = time.time() + int(app.config["PERMANENT_SESSION_LIFETIME"]) + 120
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    expired = client.get("/alfa/candidates/")
    assert expired.status_code == 302
    assert "/login" in expired.headers["Location"]
