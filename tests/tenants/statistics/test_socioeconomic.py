"""The socio-economic estimate's arithmetic, table-driven."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from hansyn.tenants.statistics.socioeconomic import (
    DEFAULT_PARAMETERS,
    Effect,
    Parameters,
    estimate,
    per_full_time_month,
)

ROUND = Parameters(
    monthly_wage=20_000, employer_contribution_percent=Decimal("30"),
    municipal_tax_percent=Decimal("20"), regional_tax_percent=Decimal("10"),
    municipal_benefit_per_month=8_000, state_benefit_per_month=5_000,
    wage_subsidy_per_month=6_000, tax_credit_per_month=1_000,
)


@pytest.mark.parametrize(("subsidised", "expected"), [
    # kommun: 8 000 + 20 % of 20 000; region: 10 %; stat: 5 000 + 30 % - 1 000 (- 6 000)
    (False, Effect(municipality=12_000, region=2_000, state=10_000)),
    (True, Effect(municipality=12_000, region=2_000, state=4_000)),
])
def test_one_full_time_month(subsidised, expected):
    effect = per_full_time_month(ROUND, subsidised=subsidised)
    assert effect == expected
    assert effect.total == expected.municipality + expected.region + expected.state


@pytest.mark.parametrize(("months", "subsidised", "total"), [
    (0, 0, 0),
    (12, 0, 12 * 24_000),
    (12, 12, 12 * 18_000),
    (Fraction(9, 2), 0, 108_000),
    (6, 2, 4 * 24_000 + 2 * 18_000),
])
def test_months_delivered(months, subsidised, total):
    assert estimate(ROUND, months, subsidised).total == total


def test_the_defaults_give_a_gain_per_month_for_each_part():
    effect = per_full_time_month(DEFAULT_PARAMETERS)
    assert effect.municipality > 0
    assert effect.region > 0
    assert effect.state > 0
    assert 20_000 < effect.total < 40_000


def test_the_admin_edits_the_parameters_with_a_decimal_comma(login):
    client = login(alfa=["admin"])
    values = {"monthly_wage": "26 000", "employer_contribution_percent": "31,42",
              "municipal_tax_percent": "21,12", "regional_tax_percent": "11,48",
              "municipal_benefit_per_month": "9500", "state_benefit_per_month": "7000",
              "wage_subsidy_per_month": "0", "tax_credit_per_month": "2100"}
    refused = client.post_form("/alfa/statistics/estimate", {**values, "monthly_wage": "-5"})
    assert "Ange ett belopp i kronor från 0 till 1 000 000." in refused.text
    saved = client.post_form("/alfa/statistics/estimate", {**values, "monthly_wage": "26000"})
    assert saved.status_code == 302
    page = client.get("/alfa/statistics/")
    assert "31.42 %" in page.text or "31,42" in page.text
    assert "Parametrarna är exempelvärden" not in page.text
    analyst = login(alfa=["analyst"])
    assert analyst.get("/alfa/statistics/estimate").status_code == 403
