"""Personnummer detection in the shapes people really type, and ordinary numbers that must pass.

The detector is `hansyn.tenants.privacy.personnummer`; its docstring states the rules.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hansyn.errors import InvalidInput
from hansyn.tenants.candidates.validation import clean_email, clean_phone
from hansyn.tenants.luhn import luhn_valid
from hansyn.tenants.privacy.personnummer import contains_personnummer


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
        "900101 1239",  # a space
        "19900101 1239",
        "900101\u20131239",  # an en dash (Word)
        "900101\u20111239",  # a non-breaking hyphen (Excel, Word)
        "900101\u2014 1239".replace("\u2014 ", "\u2014"),  # an em dash
        "900101\u00a01239",  # a no-break space
        "900101/1239",  # a slash
        "9001 0112 39",  # grouped
        "9001011239",  # no separator
        "19900101-1234",  # a real date, a separator, four digits: the check digit is mistyped
        "900101-1234",
        "050505-1234",  # born 2005: starts with 0, but written as a personnummer
        "pnr:900101-1239.",
        "Sara Svensson 900101-1239",
    ],
)
def test_personnummer_is_found(text):
    assert contains_personnummer(text)


@pytest.mark.parametrize(
    "text",
    [
        "811318-9876",  # month 13
        "811232-9876",  # day 32
        "0701234567",  # a mobile number, bare: not a valid check digit
        "070-123 45 67",
        "070-111 22 33",
        "+46701234567",
        "+46 70 111 22 33",
        "0046 70 111 22 33",
        "031-123456",
        "031-12 34 56",
        "08-123 456 78",
        "Ärende 2026-1234",
        "1234567890123",
        "556677-8899",  # an organisation number: month 66
        "5566778899",
        "415 05 Göteborg",
        "2026-01-15",
        "15/01/2026",
        "2026-01-15 10:30",
        "202601151030",  # a date and a time
        "ISO 9001:2015",
        "Sara Svensson 070-111 22 33",
        "",
    ],
)
def test_other_numbers_are_not_taken_for_one(text):
    assert not contains_personnummer(text)


def _check_digit(body: str) -> str:
    return next(str(d) for d in range(10) if luhn_valid(body + str(d)))


@given(st.dates(date(1900, 1, 1), date(2099, 12, 31)), st.integers(0, 999), st.booleans())
def test_every_personnummer_and_samordningsnummer_is_found(day, serial, samordning):
    shown_day = day.day + (60 if samordning else 0)
    body = f"{day:%y%m}{shown_day:02d}{serial:03d}"
    check = _check_digit(body)
    century = f"{day:%Y}"[:2]
    for text in (
        f"{body[:6]}-{body[6:]}{check}",
        f"{body[:6]} {body[6:]}{check}",
        f"{body[:6]}\u2013{body[6:]}{check}",
        f"{century}{body}{check}",
        f"{century}{body[:6]} {body[6:]}{check}",
        f"{body[:6]}/{body[6:]}{check}",
    ):
        assert contains_personnummer(text), text


@given(st.dates(date(1910, 1, 1), date(1999, 12, 31)), st.integers(0, 9999))
def test_a_real_date_a_separator_and_four_digits_is_found_whatever_the_check_digit(day, tail):
    assert contains_personnummer(f"{day:%y%m%d}-{tail:04d}")
    assert contains_personnummer(f"{day:%Y%m%d}-{tail:04d}")


# ------------------------------------------------------------------ ordinary text still passes

_digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


@st.composite
def swedish_phone_numbers(draw: st.DrawFn) -> str:
    """Numbers as people write them: mobile 07X-XXX XX XX, area codes 08, 031, 0XXX."""
    rest = draw(st.text(alphabet="0123456789", min_size=7, max_size=7))
    shape = draw(st.integers(0, 6))
    mobile = "07" + draw(st.sampled_from("02369"))
    if shape == 0:
        return f"{mobile}-{rest[:3]} {rest[3:5]} {rest[5:]}"
    if shape == 1:
        return f"{mobile} {rest[:3]} {rest[3:5]} {rest[5:]}"
    if shape == 2:
        return f"+46 {mobile[1:]} {rest[:3]} {rest[3:5]} {rest[5:]}"
    if shape == 3:
        return f"+46{mobile[1:]}{rest}"
    if shape == 4:
        return f"08-{rest[:3]} {rest[3:5]} {rest[5:]}"
    if shape == 5:
        return f"031-{rest[:2]} {rest[2:4]} {rest[4:6]}"
    return f"{mobile}-{rest}"


@given(swedish_phone_numbers(), st.sampled_from(["", "Ring ", "tel. ", "Mobil: "]))
def test_phone_numbers_pass(number, prefix):
    assert not contains_personnummer(prefix + number)
    assert not contains_personnummer(number, phone_field=True)


@given(st.text(alphabet="0123456789", min_size=10, max_size=10).filter(lambda d: d[0] == "0"))
def test_bare_ten_digits_starting_with_0_pass_in_the_phone_field(digits):
    assert not contains_personnummer(digits, phone_field=True)


@given(st.dates(date(1900, 1, 1), date(2099, 12, 31)), st.sampled_from(["%Y-%m-%d", "%d/%m/%Y",
       "%Y%m%d", "%d.%m.%Y", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "den %d %B %Y", "%y%m%d"]))
def test_dates_pass(day, pattern):
    assert not contains_personnummer(day.strftime(pattern))


@given(st.integers(10000, 99999), st.sampled_from(["Göteborg", "Borås", "Angered"]))
def test_postcodes_pass(code, town):
    assert not contains_personnummer(f"{code // 100} {code % 100:02d} {town}")
    assert not contains_personnummer(f"{code} {town}")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9).filter(lambda d: d[2] >= "2"))
def test_organisation_numbers_pass(body):
    number = body + _check_digit(body)
    assert not contains_personnummer(number)
    assert not contains_personnummer(f"{number[:6]}-{number[6:]}")
    assert not contains_personnummer(f"Org.nr 16{number}")


@given(st.text(alphabet=st.characters(exclude_categories=("Nd",)), max_size=200))
def test_text_without_digits_passes(text):
    assert not contains_personnummer(text)


# ------------------------------------------------------------------ phone and e-mail fields


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
