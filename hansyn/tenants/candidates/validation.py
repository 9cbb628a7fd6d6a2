"""Checks on what people type about a job seeker: personnummer, GDPR art. 9 words, phone, e-mail.

Hänsyn never stores a personnummer (data minimisation): the one detector is
`hansyn.tenants.privacy.personnummer`, applied here to every field and, for every table of every
tenant, when rows are written (`hansyn.tenants.privacy.guard`).
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from hansyn.errors import InvalidInput
from hansyn.tenants.luhn import luhn_valid
from hansyn.tenants.privacy.personnummer import PERSONNUMMER_MESSAGE, contains_personnummer
from hansyn.tenants.privacy.special_categories import Finding, find_special_categories

__all__ = [
    "PERSONNUMMER_MESSAGE",
    "clean_email",
    "clean_phone",
    "contains_personnummer",
    "luhn_valid",
    "refuse_personnummer",
    "refuse_special_categories",
    "special_categories_message",
]

_PHONE_CHARS = re.compile(r"[\s\-()/.]")
_PHONE = re.compile(r"^(?:\+|00)[1-9]\d{6,14}$|^0\d{6,11}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


def refuse_personnummer(
    text: str | None, field: str | None = None, *, phone_field: bool = False
) -> None:
    if contains_personnummer(text, phone_field=phone_field):
        raise InvalidInput(PERSONNUMMER_MESSAGE, field)


#: The categories of `privacy/data/special_categories_sv.txt`, in the page's language.
CATEGORY_LABELS = {
    "hälsa": _l("hälsa"),
    "etniskt ursprung": _l("etniskt ursprung"),
    "religion eller övertygelse": _l("religion eller övertygelse"),
    "fackligt medlemskap": _l("fackligt medlemskap"),
    "politiska åsikter": _l("politiska åsikter"),
    "sexuell läggning eller sexualliv": _l("sexuell läggning eller sexualliv"),
    "lagöverträdelser": _l("lagöverträdelser"),
}


def category_label(category: str) -> str:
    return str(CATEGORY_LABELS.get(category, category))


def special_categories_message(findings: list[Finding]) -> str:
    words = ", ".join(f"”{f.word}” ({category_label(f.category)})" for f in findings)
    return str(_l("Känsliga personuppgifter (GDPR art. 9): %(words)s.", words=words))


def refuse_special_categories(
    text: str | None, field: str | None = None, *, allowed: str = ""
) -> None:
    """Refuse art. 9 words in what a supplier can see; words of `allowed` (the vocabulary label
    the text resolves to: "Autism, omsorgserfarenhet" is a competence) are no finding."""
    allowed_words = {f.word.casefold() for f in find_special_categories(allowed)}
    findings = [
        f for f in find_special_categories(text) if f.word.casefold() not in allowed_words
    ]
    if findings:
        raise InvalidInput(
            _l(
                "%(found)s Sådant visas för leverantörer och får inte stå här.",
                found=special_categories_message(findings),
            ),
            field,
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
