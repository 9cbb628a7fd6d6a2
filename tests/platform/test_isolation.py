"""Tenant isolation over the whole URL map: a new route without a fixture makes these tests fail."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from flask import Flask
from werkzeug.routing import Rule

import tests.fixtures
from hansyn.platform.models import Role

#: Routes anybody may open without logging in.
PUBLIC_ENDPOINTS = {"static", "platform.login", "platform.healthz", "platform.language"}
ALL_ROLES = [role.value for role in Role if role is not Role.SUPPLIER]


def _isolation_args(app: Flask, slug: str) -> dict[str, dict[str, Any]]:
    """Ask every fixtures module for URL arguments of objects it creates in tenant `slug`."""
    found: dict[str, dict[str, Any]] = {}
    for module_info in pkgutil.iter_modules(tests.fixtures.__path__):
        module = importlib.import_module(f"tests.fixtures.{module_info.name}")
        provider = getattr(module, "isolation_args", None)
        if provider is not None:
            with app.app_context():
                found.update(provider(app, slug))
    return found


def _tenant_rules(app: Flask) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules() if "tenant" in rule.arguments]


def _url(rule: Rule, slug: str, args_by_endpoint: dict[str, dict[str, Any]]) -> str:
    extra = rule.arguments - {"tenant"}
    args = args_by_endpoint.get(rule.endpoint, {})
    missing = extra - set(args)
    assert not missing, (
        f"{rule.endpoint} needs {sorted(missing)}: add them to isolation_args() in tests/fixtures/"
    )
    values = {"tenant": slug, **{key: args[key] for key in extra}}
    return rule.build(values, append_unknown=False)[1]  # type: ignore[index]


def test_tenant_routes_exist(app):
    assert len(_tenant_rules(app)) >= 1


@pytest.mark.parametrize("role_set", ["all-roles", "supplier"])
def test_member_of_one_tenant_gets_404_for_every_route_of_another(app, login, role_set):
    beta_args = _isolation_args(app, "beta")
    if role_set == "supplier":
        supplier_id = beta_args.get("__supplier_id__", {}).get("alfa")
        client = login(alfa=ALL_ROLES + ([("supplier", supplier_id)] if supplier_id else []))
    else:
        client = login(alfa=ALL_ROLES)
    token = client.csrf_token()
    checked = 0
    for rule in _tenant_rules(app):
        url = _url(rule, "beta", beta_args)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": token} if method != "GET" else None
            response = client.open(url, method=method, data=data)
            assert response.status_code == 404, (
                f"{method} {url} ({rule.endpoint}) gave {response.status_code}"
            )
            checked += 1
    assert checked >= len(_tenant_rules(app))


def test_anonymous_requests_to_non_public_routes_go_to_login(app, client):
    token = client.csrf_token()
    alfa_args = _isolation_args(app, "alfa")
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = (
            _url(rule, "alfa", alfa_args)
            if "tenant" in rule.arguments
            else rule.build(alfa_args.get(rule.endpoint, {}), append_unknown=False)[1]
        )
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": token} if method != "GET" else None
            response = client.open(url, method=method, data=data)
            if url.startswith("/api/"):
                assert response.status_code == 401, f"{method} {url}"
            else:
                assert response.status_code == 302, f"{method} {url} gave {response.status_code}"
                assert "/login" in response.headers["Location"]


def test_unknown_tenant_is_404_for_a_logged_in_user(login):
    client = login(alfa=["admin"])
    assert client.get("/no-such-tenant/").status_code == 404


def test_wrong_role_inside_own_tenant_is_forbidden_not_leaked(app, login):
    """Every tenant route answers a member without the right role with 403 or a page — never 500."""
    alfa_args = _isolation_args(app, "alfa")
    client = login(alfa=["analyst"])
    for rule in _tenant_rules(app):
        if "GET" not in rule.methods:
            continue
        response = client.get(_url(rule, "alfa", alfa_args))
        assert response.status_code in {200, 302, 403, 404}, (
            f"{rule.endpoint}: {response.status_code}"
        )
