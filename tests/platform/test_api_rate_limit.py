"""The API's rate limit: it counts and refuses API requests, and only those: the pages of a
signed-in user neither count against it nor pass through the limiter
(`hansyn.platform.api._limit_only_api_requests`).
"""

from __future__ import annotations

import pytest
from flask_limiter import Limiter

from tests.fixtures.api import ApiClient


@pytest.fixture
def two_per_minute(app, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "2 per minute")


def test_a_key_gets_429_after_its_limit(two_per_minute, api_client):
    api: ApiClient = api_client("alfa", "coordinator")
    answers = [api.get("/candidates/") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[0].headers["X-RateLimit-Limit"] == "2"
    assert answers[2].json["error"]["code"] == "too_many_requests"


def test_pages_neither_count_against_the_limit_nor_carry_its_headers(two_per_minute, login):
    client = login(alfa=["coordinator"])
    pages = [client.get("/alfa/candidates/") for _ in range(4)]
    assert {page.status_code for page in pages} == {200}
    assert all("X-RateLimit-Limit" not in page.headers for page in pages)
    # the same signed-in user's API requests (by session) still have their whole budget
    answers = [client.get("/api/v1/alfa/candidates/") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]


def test_the_limiter_hooks_only_the_api_blueprint(app):
    def limiter_hooks(hooks):
        return [h for h in hooks if isinstance(getattr(h, "__self__", None), Limiter)
                or any(isinstance(a, Limiter) for a in getattr(h, "args", ()))]

    assert limiter_hooks(app.before_request_funcs[None]) == []
    assert limiter_hooks(app.after_request_funcs[None]) == []
    assert len(limiter_hooks(app.before_request_funcs["api"])) == 1
    assert len(limiter_hooks(app.after_request_funcs["api"])) == 1
