"""Error pages in the user's language, never a stack trace; JSON for JSON clients."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
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


def _wants_json() -> bool:
    return is_api_request() or request.accept_mimetypes.best == "application/json"


def render_error(code: int, message: str | None = None) -> tuple[Response | str, int]:
    text = message or str(MESSAGES.get(code, MESSAGES[500]))
    if _wants_json():
        return jsonify(api_errors.error_body(code, None, text)), code
    return render_template("errors/error.html", code=code, message=text), code


def handle_http_error(error: HTTPException) -> tuple[Response | str, int] | Response:
    if is_api_request():
        return api_errors.http_error_response(error)
    return render_error(error.code or 500)


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
    app.register_error_handler(HTTPException, handle_http_error)
    # Unhandled exceptions arrive here as a 500 after Flask logged them (tests re-raise them).
    app.register_error_handler(InternalServerError, handle_http_error)
