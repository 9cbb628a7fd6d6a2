"""Keyset pagination for every list page: one page of rows after a cursor, never an OFFSET.

A page is the next `size` rows of a select ordered by a *key*: columns that together are unique
and never NULL (end with the primary key). The cursor is the key of the last row shown, so the
next page is `WHERE key > cursor` (or `<` when descending): the database reads only the rows of
that page through an index on the key, however deep the page and however many rows the list has,
and a row added meanwhile never shifts a page. The price: a page links to the next page and back
to the first, not to page N.

In a view:

    query = select(Supplier)
    if words := search_text():
        query = query.where(contains_text(Supplier.name, words))
    page = paginate(session, query, (Supplier.name, Supplier.id), cursor=page_cursor())
    return render_template("….html", page=page)

and in the template, after the table of `page.items`:

    {% from "macros.html" import pager %}
    {{ pager(page) }}

`pager` keeps the page's other query arguments (search words, filters) in its links. The cursor
is an opaque, URL-safe string; one that was tampered with gives the first page. Two lists on one
page each take their own `cursor_arg` (and pass the same name to `page_cursor`).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import request, url_for
from sqlalchemy import ColumnElement, Select, and_, or_
from sqlalchemy.orm import Session

from hansyn.db import MAX_ID

T = TypeVar("T")
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
CURSOR_ARG = "efter"


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    #: The cursor of the next page, None on the last one.
    next_cursor: str | None
    #: True when this page was asked for with a cursor (there is a first page to go back to).
    has_previous: bool
    #: The query argument that carries this list's cursor (two lists on one page use two).
    cursor_arg: str = CURSOR_ARG

    def next_url(self) -> str | None:
        """This page's URL with the next page's cursor (search and filters kept)."""
        return _url_with_cursor(self.cursor_arg, self.next_cursor) if self.next_cursor else None

    def first_url(self) -> str:
        return _url_with_cursor(self.cursor_arg, None)


def _url_with_cursor(name: str, cursor: str | None) -> str:
    args = {k: v for k, v in request.args.to_dict(flat=False).items() if k != name}
    if cursor is not None:
        args[name] = [cursor]
    return url_for(request.endpoint or "", **(request.view_args or {}), **args)


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, types: Sequence[type]) -> list[Any] | None:
    """The key values of `cursor` if they have the key's `types`, else None (no cursor, or not
    one of ours: a tampered cursor gives the first page, never a database error)."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, binascii.Error):
        return None
    if not isinstance(values, list) or len(values) != len(types):
        return None
    for value, kind in zip(values, types, strict=True):
        if type(value) is not kind or (kind is int and not -MAX_ID - 1 <= value <= MAX_ID):
            return None
    return values


def _after(key: Sequence[ColumnElement[Any]], values: list[Any], descending: bool) -> Any:
    """key > values in lexicographic order (or <), written out so that every database and
    every index can use it: (a > x) OR (a = x AND b > y) OR …"""
    terms = []
    for i, column in enumerate(key):
        equal = [key[j] == values[j] for j in range(i)]
        beyond = column < values[i] if descending else column > values[i]
        terms.append(and_(*equal, beyond))
    return or_(*terms)


def paginate(
    session: Session,
    query: Select[Any],
    key: Sequence[ColumnElement[Any]],
    *,
    cursor: str | None = None,
    size: int = PAGE_SIZE,
    descending: bool = False,
    cursor_arg: str = CURSOR_ARG,
) -> Page[Any]:
    """The page of `query` after `cursor`, ordered by `key` (unique, NOT NULL, primary key last).

    `query` selects one ORM entity; `key` holds its mapped attributes of text or integer type
    (their values make the cursor). The query's own ORDER BY is replaced.
    """
    values = decode_cursor(cursor, [column.type.python_type for column in key])
    ordered = query.order_by(None).order_by(*(c.desc() if descending else c for c in key))
    if values is not None:
        ordered = ordered.where(_after(key, values, descending))
    rows = list(session.scalars(ordered.limit(size + 1)))
    items, more = rows[:size], len(rows) > size
    next_cursor = encode_cursor([getattr(items[-1], c.key) for c in key]) if more else None
    return Page(items, next_cursor, values is not None, cursor_arg)


def paginate_list(
    items: Sequence[T],
    id_of: Callable[[T], int],
    *,
    cursor: str | None = None,
    size: int = PAGE_SIZE,
    cursor_arg: str = CURSOR_ARG,
) -> Page[T]:
    """The page of `items`, a list already computed and ordered in memory, after `cursor`.

    For lists ordered by values that no index holds (a clause's status is computed from its
    placements), so the whole list is computed anyway and only the page is rendered. The cursor
    is the id of the last row shown: the next page starts after that row wherever a change has
    moved it since; a cursor whose row is gone, or not one of ours, gives the first page.
    """
    values = decode_cursor(cursor, [int])
    start = 0
    if values is not None:
        at = next((i for i, item in enumerate(items) if id_of(item) == values[0]), None)
        if at is None:
            values = None
        else:
            start = at + 1
    shown = list(items[start : start + size])
    more = start + size < len(items)
    next_cursor = encode_cursor([id_of(shown[-1])]) if more and shown else None
    return Page(shown, next_cursor, values is not None, cursor_arg)


def _variants(text: str) -> set[str]:
    """Spellings to look for: SQLite's case folding knows only A–Z, so "åsa" must also be
    searched as "Åsa" (PostgreSQL's ILIKE folds all letters, so the variants cost nothing)."""
    return {text, text.lower(), text.upper(), text.capitalize(), text.title()}


def contains_text(column: Any, text: str) -> Any:
    """A search condition: `column` contains `text`, in any case, wildcards in `text` taken
    literally."""
    return or_(*(column.icontains(v, autoescape=True) for v in sorted(_variants(text))))


def search_text(name: str = "q") -> str:
    """The search words the current request asks for (`?q=…`), trimmed and bounded."""
    return request.args.get(name, "").strip()[:200]


def page_cursor(name: str = CURSOR_ARG) -> str | None:
    """The cursor the current request asks for (`?efter=…`)."""
    return request.args.get(name) or None
