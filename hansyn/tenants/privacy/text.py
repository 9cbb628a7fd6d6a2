"""Control characters in what people type or import.

A NUL byte is stored as is by SQLite and refused by PostgreSQL; other control characters (bell,
escape, form feed, the C1 range) have no business in a name or a note either. They are removed at
every boundary — forms and the CSV import call `clean_text`, and every row written to a tenant's
database passes `hansyn.tenants.privacy.guard` — so both engines store the same text.
Tab, line feed and carriage return stay: they are how people lay out a note.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None


def clean_text(text: str) -> str:
    """`text` without control characters other than tab, line feed and carriage return."""
    return _CONTROL.sub("", text)
