"""Cursor pagination of the API's lists: `?limit=50&cursor=…`, answered with
`{"items": […], "next_cursor": "…"}` (null on the last page).

Items come in the order of their id, and the cursor is the id of the last item given, so the next
page is `WHERE id > cursor`: an index read however deep the page, and a row added or removed
meanwhile never shifts a page. The cursor is opaque to clients; one that was not made here is a
400, never silently the first page.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Session

from hansyn.db import MAX_ID
from hansyn.platform.api.errors import ApiError

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(last_id: int) -> str:
    raw = json.dumps({"after": last_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        value = None
    after = value.get("after") if isinstance(value, dict) else None
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= MAX_ID:
        message = _l("Ogiltig cursor: använd next_cursor från förra sidan.")
        raise ApiError(400, "invalid_cursor", message, {"cursor": [str(message)]})
    return after


def paginate(
    session: Session, query: Select[Any], id_column: InstrumentedAttribute[int],
    *, limit: int, cursor: str | None,
) -> Page[Any]:
    """The page of `query` (one ORM entity) after `cursor`, by `id_column` ascending."""
    after = decode_cursor(cursor)
    ordered = query.order_by(None).order_by(id_column)
    if after is not None:
        ordered = ordered.where(id_column > after)
    rows = list(session.scalars(ordered.limit(limit + 1)).unique())
    items = rows[:limit]
    more = len(rows) > limit
    return Page(items, encode_cursor(getattr(items[-1], id_column.key)) if more else None)
