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
PUBLIC_ENDPOINTS = {
    "static", "platform.login", "platform.healthz", "platform.language", "public.accessibility",
    # Reached from a link in an e-mail; each answers 404 without a valid token.
    "account.forgot_password", "account.reset_password", "account.invitation",
    "opendata.index", "opendata.statistics_json", "opendata.statistics_csv",
    # the API's OpenAPI document and its docs page describe the API, not any tenant's data
    "api-docs.openapi_json", "api_docs",
    # Logging in through a municipality's identity provider starts before anyone is logged in
    # (tests/platform/test_login_factors.py: an unknown or unconfigured municipality gets 404).
    "oidc.start", "oidc.callback",
}
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


def test_every_tenant_domain_has_routes_in_the_loop(app):
    """The loops below cover every blueprint registered under /<tenant>, not just one route."""
    tenant_blueprints = {
        name for name in app.blueprints if name.startswith("tenant.") or name == "tenant"
    }
    with_routes = {rule.endpoint.rsplit(".", 1)[0] for rule in _tenant_rules(app)}
    assert tenant_blueprints - {"tenant"} <= with_routes
    assert {"tenant.candidates", "tenant.matches", "tenant.vacancies"} <= with_routes


@pytest.mark.parametrize("role_set", ["all-roles", "supplier"])
def test_member_of_one_tenant_gets_404_for_every_route_of_another(app, login, role_set):
    beta_args = _isolation_args(app, "beta")
    if role_set == "supplier":
        supplier_id = beta_args["__supplier_id__"]["alfa"]  # a supplier of alfa: see fixtures
        assert supplier_id
        client = login(alfa=[("supplier", supplier_id)])
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


def _allowed_roles(app: Flask, rule: Rule, method: str) -> frozenset[Role] | None:
    """The roles a route's `requires_role` lets in for `method`; None for a page every member may
    open. A class-based view (the API's MethodView) names them on each method's function."""
    view = app.view_functions[rule.endpoint]
    handler = getattr(getattr(view, "view_class", None), method.lower(), view)
    return getattr(handler, "allowed_roles", None)


def _methods(rule: Rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_a_member_without_the_routes_role_gets_403_for_every_method(app, login, role):
    """Inside their own municipality, a member whose role a route does not name gets 403 — for
    every route and method — and never the page, a redirect or a server error."""
    alfa_args = _isolation_args(app, "alfa")
    grant = ("supplier", alfa_args["__supplier_id__"]["alfa"]) if role == "supplier" else role
    client = login(alfa=[grant])
    token = client.csrf_token()
    refused = 0
    for rule in _tenant_rules(app):
        url = _url(rule, "alfa", alfa_args)
        for method in _methods(rule):
            allowed = _allowed_roles(app, rule, method)
            if allowed is None or Role(role) in allowed:
                continue
            data = {"csrf_token": token} if method != "GET" else None
            response = client.open(url, method=method, data=data)
            assert response.status_code == 403, f"{method} {url}: {response.status_code}"
            refused += 1
    assert refused > 0


#: Tenant routes every member may open: the dashboard, and vocabulary and place suggestions.
OPEN_TO_EVERY_MEMBER = {
    "tenant.dashboard.index",
    "tenant.candidates.suggest_skill",
    "tenant.candidates.suggest_language",
    "tenant.candidates.suggest_place",
}


def test_every_other_tenant_route_names_its_roles(app):
    rules = _tenant_rules(app)
    unguarded = {
        rule.endpoint
        for rule in rules
        for method in _methods(rule)
        if _allowed_roles(app, rule, method) is None
    }
    assert unguarded == OPEN_TO_EVERY_MEMBER


def test_an_id_beyond_64_bits_in_any_url_is_404_not_a_crash(app, login):
    alfa_args = _isolation_args(app, "alfa")
    # Nobody is staff and supplier in one municipality: a route a staff member may not open
    # (403) is tried again by a supplier user.
    staff = login(alfa=ALL_ROLES)
    supplier = login(alfa=[("supplier", alfa_args["__supplier_id__"]["alfa"])])
    tokens = {staff: staff.csrf_token(), supplier: supplier.csrf_token()}
    huge = 2**31  # one beyond the largest id PostgreSQL stores (a 32-bit integer)
    checked = 0
    for rule in _tenant_rules(app):
        int_args = {
            name
            for name, converter in rule._converters.items()
            if getattr(converter, "num_convert", None) is int
        }
        if not int_args:
            continue
        args = {**alfa_args.get(rule.endpoint, {}), **dict.fromkeys(int_args, huge)}
        path = rule.rule.replace("<tenant>", "alfa")
        for name, value in args.items():
            path = path.replace(f"<int:{name}>", str(value))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for client in (staff, supplier):
                data = {"csrf_token": tokens[client]} if method != "GET" else None
                response = client.open(path, method=method, data=data)
                if response.status_code != 403:
                    break
            assert response.status_code == 404, f"{method} {path}: {response.status_code}"
            checked += 1
    assert checked > 10


def _api_rules(app: Flask) -> list[Rule]:
    return [rule for rule in _tenant_rules(app) if rule.endpoint.startswith("api.")]


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_an_api_key_of_one_tenant_gets_404_for_every_api_route_of_another(app, role):
    """A key speaks for one membership: every API URL of another municipality is 404 to it,
    whatever the method and body, exactly as for its member on the pages."""
    from tests.fixtures.api import new_token

    beta_args = _isolation_args(app, "beta")
    supplier_id = beta_args["__supplier_id__"]["alfa"] if role == "supplier" else None
    token, _token_id, _user_id = new_token(app, "alfa", role, supplier_id)
    client = app.test_client()
    checked = 0
    for rule in _api_rules(app):
        url = _url(rule, "beta", beta_args)
        for method in _methods(rule):
            response = client.open(
                url, method=method, json={} if method != "GET" else None,
                headers={"Authorization": f"Bearer {token}"},
            )
            assert response.status_code == 404, f"{method} {url}: {response.status_code}"
            assert response.json["error"]["code"] == "not_found"
            checked += 1
    assert checked >= 15


def test_a_supplier_key_gets_404_for_every_other_suppliers_object(app):
    """Inside its own municipality a supplier's key opens only its own supplier's objects: every
    API route it may use answers 404 for another supplier's (and 403 where the role may not go)."""
    from tests.fixtures.api import new_token

    alfa_args = _isolation_args(app, "alfa")  # objects of a supplier of their own
    other_supplier = alfa_args["__supplier_id__"]["alfa"]
    token, _token_id, _user_id = new_token(app, "alfa", "supplier", other_supplier)
    client = app.test_client()
    not_found = 0
    for rule in _api_rules(app):
        if not rule.arguments - {"tenant"}:
            continue  # lists: filtered to one's own (tests/platform/test_api.py)
        url = _url(rule, "alfa", alfa_args)
        for method in _methods(rule):
            response = client.open(url, method=method, json={} if method != "GET" else None,
                                   headers={"Authorization": f"Bearer {token}"})
            allowed = _allowed_roles(app, rule, method) or frozenset()
            expected = 404 if Role.SUPPLIER in allowed else 403
            assert response.status_code == expected, f"{method} {url}: {response.status_code}"
            not_found += expected == 404
    assert not_found >= 4
