"""The socio-economic estimate: public costs avoided when a person moves from support to work.

After Upphandlingsmyndigheten's calculation model for employment requirements ("Beräkna
samhällsekonomiska effekter", with its method description): for the time of the employment, the
municipality stops paying försörjningsstöd and receives municipal income tax, the region receives
its income tax, and the state stops paying activity support or establishment benefit and receives
employer's contributions — less any wage subsidy it pays and the earned income tax credit it
grants. Like the model, it assumes the person would otherwise have stayed unemployed for that time
and leaves out long-term effects (a later job, health) and displacement. It is an estimate, and
every amount is the municipality's to set. Pure functions: no Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Parameters:
    """Amounts per full-time month in kronor, rates in percent."""

    monthly_wage: int
    employer_contribution_percent: Decimal
    municipal_tax_percent: Decimal
    regional_tax_percent: Decimal
    municipal_benefit_per_month: int
    state_benefit_per_month: int
    wage_subsidy_per_month: int
    tax_credit_per_month: int


#: Example values for 2026, to be replaced by each municipality's own: a wage near the lowest
#: rates of service agreements, the employer's contribution of 31.42 %, rounded national average
#: municipal and regional income tax rates, a försörjningsstöd and a state benefit per month of
#: the size the model's example uses, no wage subsidy, and an approximate tax credit at that wage.
DEFAULT_PARAMETERS = Parameters(
    monthly_wage=25_000,
    employer_contribution_percent=Decimal("31.42"),
    municipal_tax_percent=Decimal("20.70"),
    regional_tax_percent=Decimal("11.70"),
    municipal_benefit_per_month=9_000,
    state_benefit_per_month=6_500,
    wage_subsidy_per_month=0,
    tax_credit_per_month=2_000,
)


@dataclass(frozen=True)
class Effect:
    """Kronor gained by each part of the public sector (negative: a cost)."""

    municipality: int
    region: int
    state: int

    @property
    def total(self) -> int:
        return self.municipality + self.region + self.state

    def times(self, months: Fraction | int) -> Effect:
        factor = _decimal(months)
        return Effect(_round(self.municipality * factor), _round(self.region * factor),
                      _round(self.state * factor))


def per_full_time_month(parameters: Parameters, subsidised: bool = False) -> Effect:
    """What one full-time month of employment is estimated to give the public sector."""
    wage = Decimal(parameters.monthly_wage)
    municipal_tax = wage * parameters.municipal_tax_percent / HUNDRED
    regional_tax = wage * parameters.regional_tax_percent / HUNDRED
    contributions = wage * parameters.employer_contribution_percent / HUNDRED
    subsidy = parameters.wage_subsidy_per_month if subsidised else 0
    state = (parameters.state_benefit_per_month + contributions - subsidy
             - parameters.tax_credit_per_month)
    return Effect(
        municipality=_round(parameters.municipal_benefit_per_month + municipal_tax),
        region=_round(regional_tax),
        state=_round(state),
    )


def estimate(parameters: Parameters, full_time_months: Fraction | int,
             subsidised_months: Fraction | int = 0) -> Effect:
    """The estimate for months delivered, of which `subsidised_months` with a wage subsidy."""
    plain = Fraction(full_time_months) - Fraction(subsidised_months)
    unsubsidised = per_full_time_month(parameters).times(plain)
    subsidised = per_full_time_month(parameters, subsidised=True).times(Fraction(subsidised_months))
    return Effect(unsubsidised.municipality + subsidised.municipality,
                  unsubsidised.region + subsidised.region,
                  unsubsidised.state + subsidised.state)


def _decimal(months: Fraction | int) -> Decimal:
    fraction = Fraction(months)
    return Decimal(fraction.numerator) / Decimal(fraction.denominator)


def _round(value: Decimal | int) -> int:
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))
