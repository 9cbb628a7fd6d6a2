"""Finding Swedish personnummer and samordningsnummer in what people type.

People type them in many shapes: ``900101-1239``, ``900101 1239``, ``19900101 1239``, with an
en dash or a non-breaking hyphen (Word, Excel), a slash, grouped (``9001 0112 39``) or bare
(``9001011239``), and with a mistyped check digit. Dashes and spaces are normalised first; then
every run of ten or twelve digits (single separators allowed between them) whose date part is a
real date — or a samordningsnummer's, day + 60 — is judged:

- written as a personnummer (the date, one separator, four digits): found, whatever the check
  digit says — a real date and a serial identify a person even with a typo in the last digit;
- ten digits whose first six are split twice (``2026-01-15 10:30``, ``15.01.2026 10:30``,
  ``070-111 22 33``): a date with a time, or a phone number, never a personnummer;
- ten digits starting with 0 (a phone number starts with 0): written like a phone number (a
  separator after the 2–4 digit area code) it is one; otherwise the check digit decides;
- twelve digits in another layout (a date and a time, ``202601151030``): the check digit decides;
- any other ten digits whose first six are a real date: found.

Organisation numbers have a month of 20 or more, postcodes have five digits and dates eight, so
none of them is ever taken for a personnummer; `tests/tenants/privacy/test_personnummer.py`
checks this with generated phone numbers, dates, postcodes and organisation numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from hansyn.tenants.luhn import luhn_valid

PERSONNUMMER_MESSAGE = _l(
    "Personnummer får inte registreras i Hänsyn. Ta bort numret och försök igen."
)

#: Every dash people's software inserts, as the ASCII hyphen.
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]")
#: Every kind of space (no-break, narrow, thin, …) and runs of them, as one space.
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u2000-\u200a]+")
SEPARATORS = frozenset("-+ /.")
SAMORDNING_OFFSET = 60


def normalise(text: str) -> str:
    """Dashes as ``-`` and every run of spaces as one space."""
    return _SPACES.sub(" ", _DASHES.sub("-", text))


@dataclass(frozen=True)
class DigitRun:
    """Ten or twelve digits as written: the digits and where separators stood between them."""

    digits: str
    separators: tuple[int, ...]  # the number of digits before each separator


def _runs_from(text: str, start: int) -> Iterator[DigitRun]:
    digits: list[str] = []
    separators: list[int] = []
    position = start
    while position < len(text) and len(digits) < 12:
        char = text[position]
        if char.isdigit():
            digits.append(char)
            position += 1
            ends = position == len(text) or not text[position].isdigit()
            if ends and len(digits) in (10, 12):
                yield DigitRun("".join(digits), tuple(separators))
        elif char in SEPARATORS and position + 1 < len(text) and text[position + 1].isdigit():
            separators.append(len(digits))
            position += 1
        else:
            return


def digit_runs(text: str) -> Iterator[DigitRun]:
    """Every run of 10 or 12 ASCII digits with single separators, starting after a non-digit."""
    for start, char in enumerate(text):
        if char in "0123456789" and (start == 0 or not text[start - 1].isdigit()):
            yield from _runs_from(text, start)


def _real_date(year: int, month: int, day: int) -> bool:
    if day > SAMORDNING_OFFSET:
        day -= SAMORDNING_OFFSET
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _has_real_date(digits: str) -> bool:
    if len(digits) == 12:
        century = digits[:2]
        return century in {"18", "19", "20"} and _real_date(
            int(digits[:4]), int(digits[4:6]), int(digits[6:8])
        )
    month, day = int(digits[2:4]), int(digits[4:6])
    return any(_real_date(century + int(digits[:2]), month, day) for century in (1900, 2000))


def is_personnummer(run: DigitRun) -> bool:
    """The rules in the module's docstring, for one run of digits."""
    digits = run.digits
    if not _has_real_date(digits):
        return False
    date_length = len(digits) - 4
    if run.separators == (date_length,):
        return True
    if len(digits) == 10 and sum(1 for at in run.separators if at <= 6) >= 2:
        return False  # the first six digits split twice: 2026-01-15 10:30, 070-111 22 33
    check = luhn_valid(digits[-10:])
    if len(digits) == 12:
        return check
    if digits.startswith("0"):
        written_as_phone = bool(run.separators) and run.separators[0] <= 4
        return check and not written_as_phone
    return True


def contains_personnummer(text: str | None, *, phone_field: bool = False) -> bool:
    """True if `text` holds a personnummer or samordningsnummer in any of the shapes above.

    In a phone field ten digits starting with 0 are a phone number, however they are grouped.
    """
    if not text:
        return False
    return any(
        is_personnummer(run)
        for run in digit_runs(normalise(text))
        if not (phone_field and _phone_shaped(run))
    )


def _phone_shaped(run: DigitRun) -> bool:
    return len(run.digits) == 10 and run.digits.startswith("0") and run.separators != (6,)
