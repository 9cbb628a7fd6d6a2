"""schemathesis against the OpenAPI document, in-process: every operation, a bounded number of
examples each, as each of four keys (admin, coordinator, supplier, analyst) of a municipality of
its own.

No answer may be a server error, and every answer must be one the document declares: its status,
content type, headers and body schema. Invalid data (schemathesis's negative mode) must be
refused with a 4xx.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi import checks as openapi_checks

from hansyn.platform import operations
from hansyn.tenants.matches.models import CaseState
from tests.fixtures.api import new_token
from tests.fixtures.cases import new_case
from tests.fixtures.placements import new_placement, new_suspension
from tests.fixtures.platform import make_test_app, postgres_server_url, throwaway_database
from tests.hypothesis_budget import examples

SLUG = "gamma"
ROLES = ("admin", "coordinator", "supplier", "analyst")
CHECKS = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.negative_data_rejection,
]


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, dict[str, Any]]]:
    """An app of its own (the examples write rows no other test should see), with one case and
    everything it hangs on, and a key per role."""
    with ExitStack() as stack:
        server = postgres_server_url()
        url = stack.enter_context(throwaway_database(server)) if server else None
        app = make_test_app(
            tmp_path_factory.mktemp("fuzz"), url, API_RATE_LIMIT="100000 per minute"
        )
        databases = app.extensions["hansyn_databases"]
        stack.callback(databases.dispose)
        with app.app_context():
            from hansyn.migrations import upgrade_control

            upgrade_control(databases)
            with databases.control_session(write=True) as session:
                operations.create_tenant(session, databases, SLUG, "Gamma kommun", "9903")
        case = new_case(app, SLUG, CaseState.CONSENTED)
        hire = new_placement(app, SLUG, contract_id=case.contract_id)
        ids = {"candidate_id": case.candidate_id, "supplier_id": case.supplier_id,
               "contract_id": case.contract_id, "vacancy_id": case.vacancy_id,
               "case_id": case.case_id, "placement_id": hire.placement_id,
               "suspension_id": new_suspension(app, SLUG, hire.placement_id),
               "year": 2026, "quarter": 1, "figure_key": "funnel"}
        tokens = {
            "admin": new_token(app, SLUG, "admin")[0],
            "coordinator": new_token(app, SLUG, "coordinator")[0],
            "supplier": new_token(app, SLUG, "supplier", case.supplier_id)[0],
            "analyst": new_token(app, SLUG, "analyst")[0],
        }
        yield app, {"ids": ids, "tokens": tokens}


def _operations(app: Flask) -> list[Any]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_as_documented(fuzzed_app: Any, mode: GenerationMode) -> None:
    """Each operation as a key of a role it lets in (a wrong role gets 403: test_isolation)."""
    app, seeded = fuzzed_app
    routes = _routes(app)
    operations = _operations(app)
    assert len(operations) == len(routes)
    for operation in operations:
        role = next(r for r in ROLES if r in routes[(operation.path, operation.method.upper())])
        headers = {"Authorization": f"Bearer {seeded['tokens'][role]}"}
        wanted = {p.name for p in operation.path_parameters}
        known = {"tenant": SLUG, **seeded["ids"]}
        strategy = operation.as_strategy(
            mode, path_parameters={k: v for k, v in known.items() if k in wanted}
        )

        _check(strategy, headers)


def _check(strategy: Any, headers: dict[str, str]) -> None:
    @given(case=strategy)
    @settings(max_examples=examples(25), deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def answers_as_documented(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    answers_as_documented()


def _routes(app: Flask) -> dict[tuple[str, str], set[str]]:
    """(OpenAPI path, method) of every API route, with the roles it lets in."""
    found = {}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
        view = app.view_functions[rule.endpoint]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            handler = getattr(getattr(view, "view_class", None), method.lower(), view)
            found[(path, method)] = {role.value for role in handler.allowed_roles}
    return found


def test_the_document_covers_every_api_route(fuzzed_app: Any) -> None:
    app, _seeded = fuzzed_app
    document = app.test_client().get("/api/v1/openapi.json").json
    documented = {
        (path, method.upper())
        for path, item in document["paths"].items()
        for method in item
        if method != "parameters"
    }
    assert set(_routes(app)) == documented
    assert len(documented) >= 15
