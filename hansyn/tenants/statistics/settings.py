"""The statistics settings and the estimate's parameters: one row each, created on first use."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from hansyn.errors import InvalidInput, Problems
from hansyn.platform.models import utcnow
from hansyn.tenants.audit.operations import Actor, record
from hansyn.tenants.statistics.disclosure import DEFAULT_K, MIN_K
from hansyn.tenants.statistics.models import (
    DEFAULT_PROCUREMENT_TARGET,
    SocioEconomicParameters,
    StatisticsSettings,
)
from hansyn.tenants.statistics.socioeconomic import DEFAULT_PARAMETERS, Parameters

MAX_K = 50
FIRST_POPULATION_YEAR = 1968


def statistics_settings(session: Session) -> StatisticsSettings:
    """The saved settings, or the defaults (not saved: a page that only reads writes nothing)."""
    settings = session.scalar(select(StatisticsSettings).order_by(StatisticsSettings.id))
    return settings or StatisticsSettings(
        min_count=DEFAULT_K, procurement_target_percent=DEFAULT_PROCUREMENT_TARGET
    )


@dataclass(frozen=True)
class SettingsData:
    min_count: int | None
    procurement_target_percent: int | None
    population: int | None
    population_year: int | None


def save_settings(session: Session, data: SettingsData, actor: Actor, this_year: int) -> None:
    problems = Problems()
    with problems.check():
        if data.min_count is None or not MIN_K <= data.min_count <= MAX_K:
            raise InvalidInput(
                _l("Gränsen ska vara ett heltal från %(min)d till %(max)d.", min=MIN_K,
                   max=MAX_K), "min_count")
    with problems.check():
        target = data.procurement_target_percent
        if target is None or not 0 <= target <= 100:
            raise InvalidInput(_l("Målet ska vara mellan 0 och 100 procent."),
                               "procurement_target_percent")
    with problems.check():
        _check_population(data, this_year)
    problems.raise_any()
    settings = statistics_settings(session)
    if settings.id is None:
        session.add(settings)
    settings.min_count = data.min_count or MIN_K
    settings.procurement_target_percent = data.procurement_target_percent or 0
    settings.population = data.population
    settings.population_year = data.population_year if data.population else None
    settings.updated_at = utcnow()
    session.flush()
    record(session, actor, "update", "statistics_settings", settings.id, "statistics")


def _check_population(data: SettingsData, this_year: int) -> None:
    if data.population is None:
        return
    if not 1 <= data.population <= 2_000_000:
        raise InvalidInput(_l("Ange folkmängden som ett heltal, till exempel 115000."),
                           "population")
    year = data.population_year
    if year is None or not FIRST_POPULATION_YEAR <= year <= this_year:
        raise InvalidInput(_l("Ange vilket år folkmängden gäller (den 31 december)."),
                           "population_year")


def estimate_parameters(session: Session) -> Parameters:
    row = session.scalar(select(SocioEconomicParameters).order_by(SocioEconomicParameters.id))
    if row is None:
        return DEFAULT_PARAMETERS
    return Parameters(
        monthly_wage=row.monthly_wage,
        employer_contribution_percent=Decimal(row.employer_contribution_percent),
        municipal_tax_percent=Decimal(row.municipal_tax_percent),
        regional_tax_percent=Decimal(row.regional_tax_percent),
        municipal_benefit_per_month=row.municipal_benefit_per_month,
        state_benefit_per_month=row.state_benefit_per_month,
        wage_subsidy_per_month=row.wage_subsidy_per_month,
        tax_credit_per_month=row.tax_credit_per_month,
    )


def parameters_are_default(session: Session) -> bool:
    return session.scalar(select(SocioEconomicParameters.id)) is None


AMOUNT_FIELDS = ("monthly_wage", "municipal_benefit_per_month", "state_benefit_per_month",
                 "wage_subsidy_per_month", "tax_credit_per_month")
PERCENT_FIELDS = ("employer_contribution_percent", "municipal_tax_percent",
                  "regional_tax_percent")


def save_parameters(session: Session, parameters: Parameters, actor: Actor) -> None:
    problems = Problems()
    for name in AMOUNT_FIELDS:
        with problems.check():
            if not 0 <= getattr(parameters, name) <= 1_000_000:
                raise InvalidInput(_l("Ange ett belopp i kronor från 0 till 1 000 000."), name)
    for name in PERCENT_FIELDS:
        with problems.check():
            if not 0 <= getattr(parameters, name) <= 100:
                raise InvalidInput(_l("Ange en procentsats mellan 0 och 100."), name)
    problems.raise_any()
    row = session.scalar(select(SocioEconomicParameters).order_by(SocioEconomicParameters.id))
    if row is None:
        row = SocioEconomicParameters()
        session.add(row)
    for name in (*AMOUNT_FIELDS, *PERCENT_FIELDS):
        setattr(row, name, getattr(parameters, name))
    row.updated_at = utcnow()
    row.updated_by_email = actor.email
    session.flush()
    record(session, actor, "update", "socioeconomic_parameters", row.id, "statistics")
