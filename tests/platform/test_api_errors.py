"""The API's errors over its whole URL map: one shape for every operation, 401 without a key,
405 for a method a URL does not take, 400 for a body that is not JSON, 415 for a body of
another type, and 429 over the rate limit (with Retry-After), in Swedish or English."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import Rule

from tests.fixtures.api import ApiClient


def _api_urls(app: Flask) -> list[tuple[Rule, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        values: dict[str, Any] = {"tenant": "alfa"}
        for name in rule.arguments - {"tenant"}:
            values[name] = "registered" if name == "figure_key" else 1
        found.append((rule, rule.build(values, append_unknown=False)[1]))
    return found


def _is_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, (response.request.path, response.status_code)
    assert response.mimetype == "application/json"
    error = response.json["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    assert set(error) <= {"code", "message", "fields"}


def test_every_operation_answers_401_in_the_error_shape_without_a_key(app, client):
    checked = 0
    for rule, url in _api_urls(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, json={})
            _is_error(response, 401, "unauthorized")
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
            checked += 1
    assert checked >= 30


def test_a_method_a_url_does_not_take_is_405_in_the_error_shape(app, api_client):
    api: ApiClient = api_client("alfa", "admin")
    for _rule, url in _api_urls(app):
        response = api.client.open(url, method="PATCH", json={},
                                   headers={"Authorization": f"Bearer {api.token}"})
        _is_error(response, 405, "method_not_allowed")


def test_a_body_that_is_not_json_is_400_and_a_body_of_another_type_415(api_client,
                                                                       create_placement):
    hire = create_placement("alfa")
    api: ApiClient = api_client("alfa", "coordinator")
    url = f"/placements/{hire.placement_id}/suspensions"
    broken = api.open("POST", url, data="{not json", content_type="application/json")
    _is_error(broken, 400, "invalid_json")
    form = api.open("POST", url, data="first_day=2026-04-01&last_day=2026-04-02",
                    content_type="application/x-www-form-urlencoded",
                    headers={"Accept-Language": "en"})
    _is_error(form, 415, "unsupported_media_type")
    assert form.json["error"]["message"].startswith("Send JSON")
    empty = api.open("POST", url)
    _is_error(empty, 422, "invalid_input")
    assert set(empty.json["error"]["fields"]) == {"first_day", "last_day"}


def test_over_the_rate_limit_is_429_with_retry_after(app, api_client, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "2 per minute")
    api: ApiClient = api_client("alfa", "coordinator")
    assert api.get("/programmes/").status_code == 200
    assert api.get("/programmes/").status_code == 200
    refused = api.get("/programmes/", headers={"Accept-Language": "en"})
    _is_error(refused, 429, "too_many_requests")
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.json["error"]["message"].startswith("Too many requests")
    # the count is the key's: another key of the same municipality is not held back
    assert api_client("alfa", "coordinator").get("/programmes/").status_code == 200
