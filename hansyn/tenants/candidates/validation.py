"""Checks on what people type about a job seeker: personnummer, phone, e-mail.

Hänsyn never stores a personnummer (data minimisation), so any text that contains one is refused.
A number counts as a personnummer only when its date is a real date (or a samordningsnummer's day
+ 60) and its last digit passes the Luhn check — so phone numbers are not mistaken for one.
"""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l

from hansyn.errors import InvalidInput
from hansyn.tenants.luhn import luhn_valid

# YYMMDD-NNNN, YYMMDD+NNNN, YYYYMMDD-NNNN and YYYYMMDDNNNN, not inside a longer run of digits.
_PERSONNUMMER = re.compile(r"(?<!\d)(\d{2})?(\d{6})([-+])?(\d{4})(?!\d)")
_PHONE_CHARS = re.compile(r"[\s\-()/.]")
_PHONE = re.compile(r"^(?:\+|00)[1-9]\d{6,14}$|^0\d{6,11}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


def _real_date(yymmdd: str, century: str | None) -> bool:
    month, day = int(yymmdd[2:4]), int(yymmdd[4:6])
    if day > 60:  # samordningsnummer
        day -= 60
    for prefix in [century] if century else ["19", "20"]:
        try:
            date(int(prefix + yymmdd[:2]), month, day)
        except ValueError:
            continue
        return True
    return False


def contains_personnummer(text: str | None) -> bool:
    """True if `text` holds a Swedish personnummer or samordningsnummer in a recognised form."""
    if not text:
        return False
    for match in _PERSONNUMMER.finditer(text):
        century, yymmdd, separator, tail = match.groups()
        if century is None and separator is None:
            continue  # ten bare digits are as likely a phone number: only the listed forms count
        if _real_date(yymmdd, century) and luhn_valid(yymmdd + tail):
            return True
    return False


def refuse_personnummer(text: str | None, field: str | None = None) -> None:
    if contains_personnummer(text):
        raise InvalidInput(
            _l("Personnummer får inte registreras i Hänsyn. Ta bort numret och försök igen."), field
        )


def clean_phone(text: str | None, field: str = "phone") -> str | None:
    """A Swedish or international phone number, kept as typed (trimmed); None when blank."""
    value = (text or "").strip()
    if not value:
        return None
    if len(value) > 40 or not _PHONE.match(_PHONE_CHARS.sub("", value)):
        raise InvalidInput(
            _l(
                "Ange ett telefonnummer med riktnummer, t.ex. 070-123 45 67 eller +46 70 123 45 67."
            ),
            field,
        )
    return value


def clean_email(text: str | None, field: str = "email") -> str | None:
    value = (text or "").strip()
    if not value:
        return None
    refuse_personnummer(value, field)
    if len(value) > 254 or not _EMAIL.match(value):
        raise InvalidInput(_l("Ange en giltig e-postadress, t.ex. namn@exempel.se."), field)
    return value.lower()
