"""The municipality's statistics settings, the parameters of the socio-economic estimate, and
its private record of the true figures behind each published version.

`PublishedFigures` never leaves the tenant: suppression of a new version of a quarter needs the
values the earlier versions were computed from (see `disclosure.Earlier`), and only the tenant
may know what was hidden.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from hansyn.db import TenantBase
from hansyn.platform.models import utcnow
from hansyn.tenants.statistics.disclosure import DEFAULT_K

#: Göteborg's target: at least half of the service procurements carry an employment requirement.
DEFAULT_PROCUREMENT_TARGET = 50


class StatisticsSettings(TenantBase):
    """One row: the threshold k, the procurement target and the population to compare with."""

    __tablename__ = "statistics_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    min_count: Mapped[int] = mapped_column(Integer, default=DEFAULT_K)
    procurement_target_percent: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_PROCUREMENT_TARGET
    )
    population: Mapped[int | None] = mapped_column(Integer)
    population_year: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        CheckConstraint("min_count >= 3", name="threshold_at_least_three"),
        CheckConstraint("procurement_target_percent BETWEEN 0 AND 100", name="target_percent"),
        CheckConstraint("population IS NULL OR population > 0", name="population_positive"),
    )


class SocioEconomicParameters(TenantBase):
    """One row: the amounts per full-time month of the estimate (kronor, percent)."""

    __tablename__ = "socioeconomic_parameters"

    id: Mapped[int] = mapped_column(primary_key=True)
    monthly_wage: Mapped[int] = mapped_column(Integer)
    employer_contribution_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    municipal_tax_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    regional_tax_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    municipal_benefit_per_month: Mapped[int] = mapped_column(Integer)
    state_benefit_per_month: Mapped[int] = mapped_column(Integer)
    wage_subsidy_per_month: Mapped[int] = mapped_column(Integer)
    tax_credit_per_month: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by_email: Mapped[str | None] = mapped_column(String(254))

    __table_args__ = (
        CheckConstraint(
            "monthly_wage >= 0 AND municipal_benefit_per_month >= 0 AND "
            "state_benefit_per_month >= 0 AND wage_subsidy_per_month >= 0 AND "
            "tax_credit_per_month >= 0",
            name="amounts_not_negative",
        ),
        CheckConstraint(
            "employer_contribution_percent BETWEEN 0 AND 100 AND "
            "municipal_tax_percent BETWEEN 0 AND 100 AND regional_tax_percent BETWEEN 0 AND 100",
            name="percentages",
        ),
    )


class PublishedFigures(TenantBase):
    """The true figures behind one published version (the snapshot's id in the control plane)."""

    __tablename__ = "published_figures"

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(Integer, unique=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    version: Mapped[int] = mapped_column(Integer)
    truth: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
