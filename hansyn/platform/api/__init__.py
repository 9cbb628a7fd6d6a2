"""The JSON API under `/api/v1/<tenant>/…`, its OpenAPI document and its docs page.

flask-smorest builds the OpenAPI 3 document from the marshmallow schemas each domain declares in
its `api.py` (registered in `hansyn/tenants/api.py`); it is served at `/api/v1/openapi.json` and
read by the browsable page at `/api/v1/docs` (Swagger UI, shipped in `static/vendor/`, started
by our own script file: no inline script, no CDN, the strict CSP stays).

Every request passes, in order: the rate limit (per token), authentication (`auth.py`: a token,
or a session whose writes carry the CSRF token), the tenant and the member (404 outside one's own
tenant), the route's `requires_role` (403), then the schema of the query and body (422), then the
domain operation — the same function the page calls, with the same audit rows.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from apispec import BasePlugin
from flask import Flask, g, render_template, request
from flask_babel import gettext as _
from flask_limiter import Limiter
from flask_smorest import Api
from flask_smorest import Blueprint as ApiBlueprint
from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from hansyn.errors import InvalidInput
from hansyn.platform.api import auth
from hansyn.platform.api.errors import CODES, error_response, invalid_input_response
from hansyn.platform.api.parsing import Blueprint as JsonBlueprint
from hansyn.platform.api.schemas import ErrorSchema
from hansyn.platform.extensions import csrf
from hansyn.tenants.context import add_tenant, pull_tenant

PREFIX = "/api/v1"
#: Error answers every operation may give (documented on each, so clients and schemathesis know).
COMMON_ERRORS = (400, 401, 403, 404, 422, 429)
WRITE_ERRORS = (409, 415)
DESCRIPTION = """\
Hänsyn's JSON API: the same data, rules, roles and audit as the pages.

Authenticate with a personal API key (created on the page "API-nycklar" of your municipality):
`Authorization: Bearer hansyn_…`. A key works for one municipality and one role. Lists take
`limit` and `cursor`; updates need `If-Match` with the ETag of the object you read. Errors are
`{"error": {"code", "message", "fields"}}`. See docs/api.md.
"""


class HansynApi(Api):  # type: ignore[misc]
    """flask-smorest, but errors are answered by `hansyn.platform.errors` (one shape for all)."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        return None


class ApiDocsPlugin(BasePlugin):  # type: ignore[misc]
    """Adds to each operation its domain's tag, the errors it may answer and the security."""

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        del path
        rule: Rule | None = kwargs.get("rule")
        domain = rule.endpoint.split(".")[1] if rule and rule.endpoint.count(".") >= 2 else "api"
        for method, operation in (operations or {}).items():
            operation["tags"] = [domain]
            responses = operation.setdefault("responses", {})
            codes = COMMON_ERRORS + (WRITE_ERRORS if method in ("post", "put", "patch") else ())
            for status in codes:
                reference = {"$ref": f"#/components/responses/{CODES[status]}"}
                responses.setdefault(str(status), reference)


def make_tenant_api_blueprint() -> ApiBlueprint:
    from hansyn.tenants.api import domain_blueprints
    from hansyn.tenants.matches.index import IndexNotReadyError

    parent = ApiBlueprint("api", __name__, url_prefix=PREFIX + "/<tenant>")
    parent.url_value_preprocessor(pull_tenant)
    parent.url_defaults(add_tenant)
    parent.before_request(auth.authenticate)
    parent.after_request(_no_store)
    parent.register_error_handler(InvalidInput, invalid_input_response)
    parent.register_error_handler(IndexNotReadyError, index_not_ready_response)
    for child, prefix in domain_blueprints():
        if not isinstance(child, JsonBlueprint):
            raise TypeError(f"{child.name}: use hansyn.platform.api.parsing.Blueprint")
        parent.register_blueprint(child, url_prefix=prefix)
    return parent


def index_not_ready_response(_error: Exception) -> Response:
    """A large tenant's index is still being built (right after a start): 503 with Retry-After,
    as the pages answer, instead of holding the worker."""
    return error_response(
        503, "index_not_ready",
        _("Matchningen förbereds just nu. Försök igen om några sekunder."),
        headers={"Retry-After": "5"},
    )


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _error_responses(api: Api) -> None:
    for status, code in CODES.items():
        if status >= 500:
            continue
        api.spec.components.response(
            code,
            {"description": code.replace("_", " "),
             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        )


def init_app(app: Flask) -> None:
    app.config.update(
        API_TITLE="Hänsyn",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=PREFIX,
        OPENAPI_JSON_PATH="openapi.json",
    )
    api = HansynApi(
        app,
        spec_kwargs={
            "extra_plugins": [ApiDocsPlugin()],
            "info": {"description": DESCRIPTION},
            "security": [{"bearerAuth": []}],
        },
    )
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "hansyn_…"}
    )
    _error_responses(api)
    parent = make_tenant_api_blueprint()
    csrf.exempt(parent)
    for name in parent._blueprints:
        csrf.exempt(name[0])
    # before the rate limit's own before_request, so that a 429 speaks the asked-for language
    app.before_request(_api_locale)
    limiter = Limiter(
        auth.rate_limit_key, app=app, storage_uri=app.config["API_RATE_LIMIT_STORAGE"],
        headers_enabled=True,
    )
    limiter.limit(auth.rate_limit, key_func=auth.rate_limit_key)(parent)
    _limit_only_api_requests(app, limiter)
    api.register_blueprint(parent)
    app.extensions["hansyn_api"] = api
    app.add_url_rule(PREFIX + "/docs", "api_docs", docs_page)


def _limit_only_api_requests(app: Flask, limiter: Limiter) -> None:
    """Run flask-limiter's request hooks for the API blueprint only.

    `Limiter(app=…)` hooks every request of the app, and for a page that has no limit it still
    resolves the limits of the endpoint and each of its blueprints (about 320 function calls per
    request, measured on the supplier's ranked page). Only the API is limited, so its check runs
    first among the API blueprint's own hooks (before authentication, as before) and pages pay
    nothing. `tests/platform/test_api_rate_limit.py` checks both sides.
    """
    check = limiter._check_request_limit
    app.before_request_funcs[None].remove(check)
    app.before_request_funcs.setdefault("api", []).insert(0, check)
    after = app.after_request_funcs[None]
    headers = next(f for f in after if isinstance(f, partial) and f.args[:1] == (limiter,))
    after.remove(headers)
    app.after_request_funcs.setdefault("api", []).append(headers)


def _api_locale() -> None:
    """Requests to the API may choose their language with Accept-Language (sv or en)."""
    if request.path.startswith(PREFIX):
        chosen = request.accept_languages.best_match(("sv", "en"))
        if chosen and request.headers.get("Accept-Language"):
            g.api_locale = chosen


def docs_page() -> str:
    return render_template("platform/api_docs.html", spec_url=PREFIX + "/openapi.json")
