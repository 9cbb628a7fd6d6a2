"""Organisationsnummer: ten digits, an optional hyphen, and a Luhn check digit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hansyn.errors import InvalidInput
from hansyn.tenants.suppliers.operations import (
    format_org_number,
    luhn_valid,
    normalise_org_number,
)

bodies = st.text(alphabet="0123456789", min_size=9, max_size=9)


def _complete(body: str) -> str:
    return next(body + str(d) for d in range(10) if luhn_valid(body + str(d)))


@pytest.mark.parametrize("value", ["5566778899", "556677-8899", " 556677-8899 ", "556677 8899"])
def test_accepted_forms(value):
    assert normalise_org_number(value) == "5566778899"


@pytest.mark.parametrize("value", ["", "556677889", "55667788990", "5566-778899", "55667788x9"])
def test_wrong_shape_says_ten_digits(value):
    with pytest.raises(InvalidInput, match="tio siffror") as caught:
        normalise_org_number(value)
    assert caught.value.field == "org_number"


def test_wrong_check_digit_is_named():
    with pytest.raises(InvalidInput, match="Kontrollsiffran"):
        normalise_org_number("556677-8898")


@given(bodies)
def test_exactly_one_check_digit_fits_every_body(body):
    number = _complete(body)
    assert [luhn_valid(body + str(d)) for d in range(10)].count(True) == 1
    assert normalise_org_number(format_org_number(number)) == number


@given(bodies, st.integers(0, 9), st.integers(1, 9))
def test_changing_one_digit_breaks_the_check(body, position, delta):
    number = _complete(body)
    digits = list(number)
    digits[position] = str((int(digits[position]) + delta) % 10)
    assert not luhn_valid("".join(digits))
