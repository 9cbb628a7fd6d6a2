"""Placements: the employments a hire creates, their suspensions, and the supplier's quarterly
report on a contract's clause.

A placement is a fact of the employment (its form under LAS, its extent, a wage subsidy, how it
ended); the target group it counts for is one of the tenant's programmes. Leave of any kind is a
suspension with dates only: whether it was sick leave or parental leave is not needed to follow
up a clause, so it is not stored (sick leave is health data).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hansyn.db import TenantBase
from hansyn.platform.models import utcnow
from hansyn.tenants.candidates.models import Candidate
from hansyn.tenants.contracts.followup import EndReason
from hansyn.tenants.contracts.models import Contract
from hansyn.tenants.matches.models import Case
from hansyn.tenants.programmes.models import Programme
from hansyn.tenants.vacancies.models import MAX_HOURS_PER_WEEK, Vacancy

#: A trial period is at most six months (LAS 6 §).
TRIAL_MONTHS = 6


class EmploymentForm(enum.StrEnum):
    """Forms of employment under the Employment Protection Act (LAS)."""

    PERMANENT = "tillsvidare"  # tillsvidareanställning
    GENERAL_FIXED_TERM = "allman_visstid"  # särskild/allmän visstidsanställning
    SUBSTITUTE = "vikariat"
    SEASONAL = "sasong"  # säsongsanställning
    TRIAL = "provanstallning"  # provanställning


#: Forms with an agreed last day.
FIXED_TERM = frozenset(EmploymentForm) - {EmploymentForm.PERMANENT}


class WageSubsidy(enum.StrEnum):
    """State support for the employment (Arbetsförmedlingen's decisions). The lönebidrag forms
    follow from a reduced capacity for work, so they imply health data: subsidies are shown to
    the municipality's staff only, never to suppliers."""

    NONE = "none"
    NYSTARTSJOBB = "nystartsjobb"
    INTRODUKTIONSJOBB = "introduktionsjobb"
    ETABLERINGSJOBB = "etableringsjobb"
    YRKESINTRODUKTION = "yrkesintroduktion"
    LONEBIDRAG = "lonebidrag"  # lönebidrag för anställning
    LONEBIDRAG_UTVECKLING = "lonebidrag_utveckling"  # lönebidrag för utveckling i anställning
    LONEBIDRAG_TRYGGHET = "lonebidrag_trygghet"  # lönebidrag för trygghet i anställning


def _enum(cls: type[enum.StrEnum], length: int = 20) -> Enum:
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


def _values(members: frozenset[EmploymentForm]) -> str:
    return ", ".join(f"'{m.value}'" for m in sorted(members))


class Placement(TenantBase):
    """One employment of one candidate through one hire (a case of the matches domain)."""

    __tablename__ = "placement"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The hire: one case of the matches domain, one placement.
    case_id: Mapped[int] = mapped_column(
        ForeignKey("match_case.id", ondelete="RESTRICT"), unique=True
    )
    #: The case's vacancy and candidate, kept here so that follow-up queries need no join
    #: through the case (neither ever changes on a case).
    vacancy_id: Mapped[int] = mapped_column(
        ForeignKey("vacancy.id", ondelete="RESTRICT"), index=True
    )
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="RESTRICT"), index=True
    )
    #: The target group (målgrupp) the employment counts for.
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="RESTRICT"), index=True
    )
    start_date: Mapped[date] = mapped_column(Date)
    #: The last agreed day of a fixed-term employment; NULL for one until further notice.
    planned_end: Mapped[date | None] = mapped_column(Date)
    #: The extent, given either as hours per week or in percent of full time.
    hours_per_week: Mapped[int | None] = mapped_column(Integer)
    extent_percent: Mapped[int | None] = mapped_column(Integer)
    employment_form: Mapped[EmploymentForm] = mapped_column(_enum(EmploymentForm))
    wage_subsidy: Mapped[WageSubsidy] = mapped_column(
        _enum(WageSubsidy, 30), default=WageSubsidy.NONE
    )
    #: The day the employment was offered (the hire recorded, or the case's offer).
    offered_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[EndReason | None] = mapped_column(_enum(EndReason, 30))
    created_by: Mapped[int | None] = mapped_column(Integer)  # control-plane user id
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    case: Mapped[Case] = relationship()
    vacancy: Mapped[Vacancy] = relationship()
    candidate: Mapped[Candidate] = relationship()
    programme: Mapped[Programme] = relationship()
    suspensions: Mapped[list[Suspension]] = relationship(
        back_populates="placement", cascade="all, delete-orphan", order_by="Suspension.first_day"
    )

    __table_args__ = (
        CheckConstraint(
            "(hours_per_week IS NULL AND extent_percent IS NOT NULL) "
            "OR (hours_per_week IS NOT NULL AND extent_percent IS NULL)",
            name="extent_given_once",
        ),
        CheckConstraint(
            f"hours_per_week IS NULL OR hours_per_week BETWEEN 1 AND {MAX_HOURS_PER_WEEK}",
            name="hours_per_week_range",
        ),
        CheckConstraint(
            "extent_percent IS NULL OR extent_percent BETWEEN 1 AND 100", name="percent_range"
        ),
        CheckConstraint(
            f"(employment_form IN ({_values(FIXED_TERM)}) AND planned_end IS NOT NULL) "
            f"OR (employment_form NOT IN ({_values(FIXED_TERM)}) AND planned_end IS NULL)",
            name="planned_end_when_fixed_term",
        ),
        CheckConstraint(
            "planned_end IS NULL OR planned_end >= start_date", name="planned_end_after_start"
        ),
        CheckConstraint(
            "(ended_on IS NULL AND end_reason IS NULL) "
            "OR (ended_on IS NOT NULL AND end_reason IS NOT NULL)",
            name="end_reason_when_ended",
        ),
        CheckConstraint("ended_on IS NULL OR ended_on >= start_date", name="ends_after_start"),
        CheckConstraint(
            "ended_on IS NULL OR planned_end IS NULL OR ended_on <= planned_end",
            name="ends_within_agreed_time",
        ),
        CheckConstraint(
            f"end_reason IS NULL OR end_reason <> '{EndReason.EXPIRED.value}' "
            "OR ended_on = planned_end",
            name="expires_on_planned_end",
        ),
    )

    @property
    def is_ended(self) -> bool:
        return self.ended_on is not None

    def __repr__(self) -> str:
        return f"<Placement {self.id}>"


class Suspension(TenantBase):
    """A period of leave within a placement (days inclusive); it does not count as worked."""

    __tablename__ = "placement_suspension"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placement.id", ondelete="CASCADE"), index=True
    )
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    placement: Mapped[Placement] = relationship(back_populates="suspensions")

    __table_args__ = (CheckConstraint("last_day >= first_day", name="ends_after_start"),)

    def __repr__(self) -> str:
        return f"<Suspension {self.id}>"


class ReportState(enum.StrEnum):
    DRAFT = "draft"  # the supplier is writing it
    SUBMITTED = "submitted"  # waiting for the municipality
    APPROVED = "approved"
    RETURNED = "returned"  # the municipality sent it back with a comment


#: States in which the report was handed in at least once and carries its figures.
HANDED_IN = frozenset({ReportState.SUBMITTED, ReportState.APPROVED, ReportState.RETURNED})
DECIDED = frozenset({ReportState.APPROVED, ReportState.RETURNED})


def _states(states: frozenset[ReportState]) -> str:
    return "state IN (" + ", ".join(f"'{s.value}'" for s in sorted(states)) + ")"


class PeriodicReport(TenantBase):
    """The supplier's report on one contract's clause for one quarter.

    While a draft it is prefilled from the placements as they stand; handing it in freezes the
    figures (`figures`), so that what the municipality approves does not change afterwards.
    """

    __tablename__ = "placement_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contract.id", ondelete="RESTRICT"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    state: Mapped[ReportState] = mapped_column(_enum(ReportState), default=ReportState.DRAFT)
    #: The supplier's own words on the quarter (editable while a draft or returned).
    supplier_comment: Mapped[str | None] = mapped_column(Text)
    #: The figures as handed in: months as exact fractions ("7/2"), placements by id only.
    figures: Mapped[dict[str, object] | None] = mapped_column(JSON)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    contract: Mapped[Contract] = relationship()
    events: Mapped[list[ReportEvent]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportEvent.id"
    )

    __table_args__ = (
        UniqueConstraint("contract_id", "year", "quarter"),
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_range"),
        CheckConstraint(
            f"({_states(HANDED_IN)} AND submitted_at IS NOT NULL AND figures IS NOT NULL) "
            f"OR (NOT {_states(HANDED_IN)} AND submitted_at IS NULL)",
            name="figures_when_handed_in",
        ),
        CheckConstraint(
            f"({_states(DECIDED)} AND decided_at IS NOT NULL) "
            f"OR (NOT {_states(DECIDED)} AND decided_at IS NULL)",
            name="decided_when_approved_or_returned",
        ),
    )

    def __repr__(self) -> str:
        return f"<PeriodicReport {self.id} {self.year}Q{self.quarter}>"


class ReportSide(enum.StrEnum):
    SUPPLIER = "supplier"
    MUNICIPALITY = "municipality"


class ReportEvent(TenantBase):
    """One row per step of a report (saved, handed in, approved, returned), with its comment;
    append-only."""

    __tablename__ = "placement_report_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("placement_report.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    state: Mapped[ReportState] = mapped_column(_enum(ReportState))
    side: Mapped[ReportSide] = mapped_column(_enum(ReportSide))
    user_id: Mapped[int | None] = mapped_column(Integer)
    user_email: Mapped[str | None] = mapped_column(String(254))
    comment: Mapped[str | None] = mapped_column(Text)

    report: Mapped[PeriodicReport] = relationship(back_populates="events")

    def __repr__(self) -> str:
        return f"<ReportEvent {self.id} {self.state.value}>"
