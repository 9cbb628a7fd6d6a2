"""Error pages in the user's language, never a stack trace; JSON for JSON clients."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from hansyn.errors import InvalidInput
from hansyn.platform import request_db
from hansyn.platform.api import errors as api_errors

MESSAGES = {
    400: _l("Förfrågan gick inte att förstå. Ladda om sidan och försök igen."),
    401: _l("Du behöver logga in."),
    403: _l("Du har inte behörighet till den här sidan."),
    404: _l("Sidan finns inte."),
    405: _l("Det går inte att göra så här på den här sidan."),
    413: _l("Det du skickade är för stort."),
    429: _l("För många försök. Vänta en stund och försök igen."),
    500: _l("Något gick fel hos oss. Försök igen om en stund."),
    503: _l("Tjänsten är tillfälligt otillgänglig."),
}


def is_api_request() -> bool:
    return request.path.startswith("/api/")


#: PostgreSQL errors that say the database (or the tenant's schema) cannot serve, not that the code
#: asked for something wrong: no privilege (a schema made read-only), no such table or schema (a
#: tenant's schema gone), the server shutting down or restarting, a lost connection, a full disk,
#: a read-only transaction. Every OperationalError counts too (SQLite: a file missing, read-only or
#: on a full disk; PostgreSQL: the connection went away).
UNAVAILABLE_SQLSTATES = frozenset(
    {"42501", "42P01", "3F000", "57P01", "57P02", "57P03", "08000", "08003", "08006", "53100",
     "25006"}
)
TENANT_UNREACHABLE = _l(
    "Kommunens databas går inte att nå just nu. Andra kommuner påverkas inte. Försök igen om en "
    "stund, och kontakta kommunens administratör om felet består."
)
NOT_SAVED = _l(
    "Det du skickade kunde inte sparas: databasen tar inte emot ändringar just nu. Inget av det "
    "sparades. Försök igen om en stund."
)


def database_unavailable(error: BaseException | None) -> bool:
    if isinstance(error, OperationalError):
        return True
    if isinstance(error, DBAPIError):
        return getattr(error.orig, "sqlstate", None) in UNAVAILABLE_SQLSTATES
    return False


def _wants_json() -> bool:
    return is_api_request() or request.accept_mimetypes.best == "application/json"


def render_error(code: int, message: str | None = None) -> tuple[Response | str, int]:
    text = message or str(MESSAGES.get(code, MESSAGES[500]))
    if _wants_json():
        return jsonify(api_errors.error_body(code, None, text)), code
    return render_template("errors/error.html", code=code, message=text), code


def handle_http_error(error: HTTPException) -> tuple[Response | str, int] | Response:
    if isinstance(error, InternalServerError) and database_unavailable(error.original_exception):
        # raised after the view, e.g. by the commit of a full disk: logged by Flask already
        return _render_unavailable()
    if is_api_request():
        return api_errors.http_error_response(error)
    return render_error(error.code or 500)


def handle_database_error(error: DBAPIError) -> tuple[Response | str, int]:
    """A database that cannot serve (a tenant's file missing or read-only, a full disk, a
    PostgreSQL restart) gets a page that says so, with status 503; nothing of the request is kept.
    Any other database error is a bug and goes on to the 500 handling."""
    if not database_unavailable(error):
        raise error
    current_app.logger.error("database unavailable: %s", error, exc_info=error)
    # Nothing is rolled back here: a 503 is never committed (request_db.commit_request), and a
    # rollback would expire the signed-in user the page is about to show.
    return _render_unavailable()


def _render_unavailable() -> tuple[Response | str, int]:
    g.database_unavailable = True  # the page asks no database for anything (app.template_helpers)
    if request.method in request_db.WRITE_METHODS:
        return render_error(503, str(NOT_SAVED))
    if g.get("tenant") is not None:
        return render_error(503, str(TENANT_UNREACHABLE))
    return render_error(503)


def handle_csrf_error(_error: CSRFError) -> tuple[Response | str, int]:
    return render_error(
        400,
        str(
            _l(
                "Formuläret har gått ut eller saknar säkerhetstoken. "
                "Ladda om sidan och försök igen."
            )
        ),
    )


def handle_invalid_input(error: InvalidInput) -> tuple[Response | str, int]:
    """Input refused where no view caught it (the guard on every written row): nothing of the
    request is saved, and the page says what was wrong."""
    request_db.rollback_request()
    return render_error(400, " ".join(str(problem.message) for problem in error.problems))


def init_app(app: Flask) -> None:
    app.register_error_handler(InvalidInput, handle_invalid_input)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(DBAPIError, handle_database_error)
    app.register_error_handler(HTTPException, handle_http_error)
    # Unhandled exceptions arrive here as a 500 after Flask logged them (tests re-raise them).
    app.register_error_handler(InternalServerError, handle_http_error)
