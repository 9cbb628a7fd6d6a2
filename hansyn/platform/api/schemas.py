"""The base of every API schema: marshmallow's own messages in Swedish and English.

marshmallow writes its validation messages in English only; `ApiSchema` gives each field the
project's messages (through Flask-Babel, so the request's language decides), and the validators
the API uses (`length`, `number`, `one_of`) carry their own.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

REQUIRED = _l("Fältet måste anges.")
NULL = _l("Fältet får inte vara null.")
FIELD_MESSAGES: list[tuple[type[fields.Field], dict[str, Any]]] = [
    (fields.Boolean, {"invalid": _l("Ange true eller false.")}),
    (fields.Integer, {"invalid": _l("Ange ett heltal."), "too_large": _l("Talet är för stort.")}),
    (fields.Number, {"invalid": _l("Ange ett tal."), "too_large": _l("Talet är för stort.")}),
    (fields.Date, {"invalid": _l("Ange datumet som ÅÅÅÅ-MM-DD."),
                   "format": _l("Ange datumet som ÅÅÅÅ-MM-DD.")}),
    (fields.DateTime, {"invalid": _l("Ange tiden enligt ISO 8601."),
                       "format": _l("Ange tiden enligt ISO 8601.")}),
    (fields.Enum, {"unknown": _l("Okänt värde.")}),
    (fields.List, {"invalid": _l("Ange en lista.")}),
    (fields.Nested, {"type": _l("Ange ett objekt."), "invalid": _l("Ange ett objekt.")}),
    (fields.String, {"invalid": _l("Ange text."), "invalid_utf8": _l("Ange text.")}),
]


class UtcDateTime(fields.DateTime):
    """A stored time in RFC 3339 with its offset (SQLite gives back naive datetimes, in UTC)."""

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class ApiSchema(ma.Schema):
    class Meta:
        ordered = True

    error_messages = {  # noqa: RUF012 (marshmallow reads it from the class)
        "unknown": _l("Okänt fält."),
        "type": _l("Ange ett JSON-objekt."),
    }

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        messages: dict[str, Any] = {"required": REQUIRED, "null": NULL}
        for kind, own in FIELD_MESSAGES:
            if isinstance(field_obj, kind):
                messages.update(own)
        field_obj.error_messages.update(
            {key: value for key, value in messages.items() if key in field_obj.error_messages}
        )
        super().on_bind_field(field_name, field_obj)


def length(maximum: int, minimum: int | None = None) -> validate.Length:
    if minimum:
        return validate.Length(
            min=minimum, max=maximum,
            error=_l("Mellan %(min)d och %(max)d tecken.", min=minimum, max=maximum),
        )
    return validate.Length(max=maximum, error=_l("Högst %(max)d tecken.", max=maximum))


def number(minimum: int, maximum: int) -> validate.Range:
    return validate.Range(
        min=minimum, max=maximum,
        error=_l("Ange ett heltal mellan %(min)d och %(max)d.", min=minimum, max=maximum),
    )


#: Dates the API takes: wide enough for any employment, narrow enough that date arithmetic
#: (a month ahead, a day before) never leaves Python's calendar.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


def day() -> validate.Range:
    return validate.Range(
        min=FIRST_DAY, max=LAST_DAY,
        error=_l("Ange ett datum mellan %(min)s och %(max)s.", min=FIRST_DAY.isoformat(),
                 max=LAST_DAY.isoformat()),
    )


def items(maximum: int) -> validate.Length:
    return validate.Length(max=maximum, error=_l("Högst %(max)d rader.", max=maximum))


class ErrorDetailSchema(ApiSchema):
    code = fields.String(required=True, metadata={"description": "A stable word: not_found, …"})
    message = fields.String(required=True, metadata={"description": "For people, in sv or en."})
    problems = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Each wrong field with its messages."},
    )


class ErrorSchema(ApiSchema):
    error = fields.Nested(ErrorDetailSchema, required=True)


class PageArgsSchema(ApiSchema):
    """`limit` and `cursor` of every list."""

    limit = fields.Integer(
        load_default=50, validate=number(1, 200),
        metadata={"description": "How many items (1–200, 50 if not given)."},
    )
    cursor = fields.String(
        load_default=None, validate=length(200),
        metadata={"description": "`next_cursor` of the previous page."},
    )


def page_schema(item: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A page of `item`: {"items": […], "next_cursor": "…" or null}."""
    return type(
        name,
        (ApiSchema,),
        {
            "items": fields.List(fields.Nested(item), required=True),
            "next_cursor": fields.String(
                required=True, allow_none=True,
                metadata={"description": "Pass as `cursor` for the next page; null on the last."},
            ),
        },
    )
