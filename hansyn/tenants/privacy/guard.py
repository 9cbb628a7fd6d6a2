"""The last boundary: every text written to a tenant's database, whatever wrote it.

Forms, the CSV import, the CLI and (later) the API each check what they receive, with messages at
the right field. This listener makes the two rules hold even where a path forgot to:

- **no personnummer** in any text column of any tenant table — the flush raises `InvalidInput`
  naming the column, which a view shows like any other refused input (and a 400 page shows when
  nothing caught it); a column that must hold one (a sole trader's organisation number *is* the
  owner's personnummer, public through Bolagsverket) says so with
  ``info={"personnummer": "allowed"}``;
- **no control characters** (`privacy.text`): removed, so SQLite and PostgreSQL store the same.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from hansyn.db import TenantBase
from hansyn.errors import InvalidInput
from hansyn.tenants.privacy.personnummer import PERSONNUMMER_MESSAGE, contains_personnummer
from hansyn.tenants.privacy.text import clean_text, has_control_characters

ALLOWED = "allowed"


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _texts(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    return []


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    return value


def _check(row: TenantBase, only_changed: bool) -> None:
    state = inspect(row)
    for attribute in state.mapper.column_attrs:
        if only_changed and not state.attrs[attribute.key].history.has_changes():
            continue
        value = getattr(row, attribute.key)
        texts = _texts(value)
        if not texts:
            continue
        if any(has_control_characters(text) for text in texts):
            setattr(row, attribute.key, _cleaned(value))
        column = attribute.columns[0]
        if column.info.get("personnummer") == ALLOWED:
            continue
        if any(contains_personnummer(text) for text in texts):
            raise InvalidInput(PERSONNUMMER_MESSAGE, attribute.key)


@event.listens_for(Session, "before_flush")
def _guard_tenant_rows(session: Session, _context: UOWTransaction, _instances: object) -> None:
    for row in session.new:
        if isinstance(row, TenantBase):
            _check(row, only_changed=False)
    for row in session.dirty:
        if isinstance(row, TenantBase):
            _check(row, only_changed=True)
