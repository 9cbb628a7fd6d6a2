"""Errors of the JSON API, in one shape whatever went wrong:

    {"error": {"code": "invalid_input", "message": "…", "fields": {"reference": ["…"]}}}

`code` is a stable word a program can test, `message` is for people (Swedish, or English when the
token's user chose English or the request asks for it with Accept-Language), `fields` names each
field that was wrong with its messages (nested fields joined by dots: "clause.persons").
An error never commits what the request wrote before it (the request's sessions roll back).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Response, jsonify
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from hansyn.errors import InvalidInput
from hansyn.platform import request_db

#: The stable `code` of each status the API answers with.
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    428: "precondition_required",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
}
MESSAGES = {
    400: _l("Förfrågan gick inte att förstå."),
    401: _l("Ange en giltig API-nyckel: Authorization: Bearer <nyckel>."),
    403: _l("Din roll får inte göra det här."),
    404: _l("Finns inte."),
    405: _l("Metoden stöds inte för den här adressen."),
    409: _l("Det går inte i det läge objektet är i nu."),
    412: _l(
        "Objektet har ändrats sedan du hämtade det (If-Match stämmer inte). Hämta det igen och "
        "gör om ändringen."
    ),
    413: _l("Det du skickade är för stort."),
    415: _l("Skicka JSON (Content-Type: application/json)."),
    422: _l("Uppgifterna innehåller fel."),
    428: _l("Ange If-Match med objektets ETag, så att ingen annans ändring skrivs över."),
    429: _l("För många förfrågningar. Vänta en stund och försök igen."),
    500: _l("Något gick fel hos oss. Försök igen om en stund."),
    503: _l("Tjänsten är tillfälligt otillgänglig."),
}


INVALID_JSON = _l("Kroppen är inte giltig JSON.")


class ApiError(HTTPException):
    """An error with its own code and message, e.g. `ApiError(409, "conflict", message)`."""

    def __init__(
        self,
        status: int,
        code: str | None = None,
        message: Any = None,
        fields: Mapping[str, list[str]] | None = None,
    ) -> None:
        super().__init__(description=str(message or MESSAGES.get(status, "")))
        self.code = status
        self.error_code = code or CODES.get(status, "error")
        self.fields = dict(fields or {})


def error_body(status: int, code: str | None = None, message: Any = None,
               fields: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {
        "code": code or CODES.get(status, "error"),
        "message": str(message or MESSAGES.get(status, MESSAGES[500])),
    }
    if fields:
        error["fields"] = {name: [str(m) for m in messages] for name, messages in fields.items()}
    return {"error": error}


def error_response(status: int, code: str | None = None, message: Any = None,
                   fields: Mapping[str, list[str]] | None = None,
                   headers: Mapping[str, str] | None = None) -> Response:
    request_db.rollback_request()
    response = jsonify(error_body(status, code, message, fields))
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="hansyn"'
    return response


def fields_of(problems: Iterable[InvalidInput]) -> tuple[dict[str, list[str]], list[str]]:
    """Problems by field, and the messages that name no field."""
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in problems:
        if problem.field:
            by_field.setdefault(problem.field, []).append(str(problem.message))
        else:
            general.append(str(problem.message))
    return by_field, general


def invalid_input_response(
    error: InvalidInput, aliases: Mapping[str, str] | None = None
) -> Response:
    by_field, general = fields_of(error.problems)
    if aliases:
        by_field = {aliases.get(name, name): messages for name, messages in by_field.items()}
    message = " ".join(general) if general else None
    return error_response(422, "invalid_input", message, by_field)


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """webargs/marshmallow's nested messages ({"json": {"clause": {"persons": ["…"]}}}) as
    {"clause.persons": ["…"]}; the location ("json", "query") is left out."""
    found: dict[str, list[str]] = {}
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            found.update(flatten_messages(value, name))
    elif isinstance(messages, list | tuple) and all(not isinstance(m, Mapping) for m in messages):
        found[prefix or "_schema"] = [str(m) for m in messages]
    elif isinstance(messages, list | tuple):
        for index, value in enumerate(messages):
            found.update(flatten_messages(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        found[prefix or "_schema"] = [str(messages)]
    return found


LOCATIONS = frozenset({"json", "query", "headers", "path", "form", "files", "view_args"})


def _without_location(messages: Any) -> Any:
    if isinstance(messages, Mapping) and set(messages) <= LOCATIONS:
        merged: dict[str, Any] = {}
        for value in messages.values():
            if isinstance(value, Mapping):
                merged.update(value)
        return merged
    return messages


def http_error_response(error: HTTPException) -> Response:
    status = error.code or 500
    if isinstance(error, ApiError):
        return error_response(status, error.error_code, error.description, error.fields)
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if "messages" in data and status == 400:  # webargs: the body is not JSON at all
        return error_response(400, "invalid_json", INVALID_JSON, None, headers)
    if "messages" in data:  # webargs: the body or the query did not match the schema
        fields = flatten_messages(_without_location(data["messages"]))
        return error_response(422, "invalid_input", None, fields, headers)
    retry_after = getattr(error, "retry_after", None)
    if status == 429 and retry_after is not None:
        headers.setdefault("Retry-After", str(retry_after))
    return error_response(status, None, None, None, headers)
