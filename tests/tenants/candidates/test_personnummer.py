"""Personnummer detection: the listed forms with a real date and a valid Luhn digit only."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hansyn.errors import InvalidInput
from hansyn.tenants.candidates.validation import (
    clean_email,
    clean_phone,
    contains_personnummer,
    luhn_valid,
)


@pytest.mark.parametrize(
    "text",
    [
        "811218-9876",
        "811218+9876",
        "19811218-9876",
        "198112189876",
        "Född 19811218-9876, bor i Borås",
        "121212-1212",
        "701063-2391",  # samordningsnummer (day + 60)
    ],
)
def test_personnummer_is_found(text):
    assert contains_personnummer(text)


@pytest.mark.parametrize(
    "text",
    [
        "811218-9875",  # wrong check digit
        "811318-9876",  # month 13
        "0701234567",  # a mobile number: ten bare digits are not a listed form
        "070-123 45 67",
        "+46701234567",
        "031-123456",
        "Ärende 2026-1234",
        "1234567890123",
        "",
    ],
)
def test_other_numbers_are_not_taken_for_one(text):
    assert not contains_personnummer(text)


@given(st.dates(date(1900, 1, 1), date(2099, 12, 31)), st.integers(0, 999))
def test_every_valid_personnummer_is_found(day, serial):
    body = day.strftime("%y%m%d") + f"{serial:03d}"
    check = next(d for d in range(10) if luhn_valid(body + str(d)))
    assert contains_personnummer(f"{body[:6]}-{body[6:]}{check}")
    assert contains_personnummer(f"{day:%Y}{body[2:]}{check}")


@pytest.mark.parametrize(
    "value", ["070-123 45 67", "+46 70 123 45 67", "031-12 34 56", "0046701234567"]
)
def test_phone_numbers_accepted(value):
    assert clean_phone(value) == value


@pytest.mark.parametrize("value", ["123", "070-ABC", "+0 70", "1" * 41])
def test_phone_numbers_refused(value):
    with pytest.raises(InvalidInput):
        clean_phone(value)


def test_email_is_lower_cased_and_checked():
    assert clean_email(" Anna@Example.SE ") == "anna@example.se"
    assert clean_email("") is None
    with pytest.raises(InvalidInput):
        clean_email("anna@example")
