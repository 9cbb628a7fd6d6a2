"""The supplier's quarterly report on a contract's clause: draft → submitted → approved, or
returned with a comment and submitted again. Prefilled from the placements; handing it in
freezes its figures. Every step is a `ReportEvent` and an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from hansyn.errors import InvalidInput
from hansyn.platform.models import utcnow
from hansyn.tenants.audit.operations import Actor, record
from hansyn.tenants.contracts import followup
from hansyn.tenants.contracts.followup import ONE_DAY, add_months
from hansyn.tenants.contracts.models import Contract
from hansyn.tenants.placements.models import (
    PeriodicReport,
    Placement,
    ReportEvent,
    ReportSide,
    ReportState,
)
from hansyn.tenants.placements.operations import (
    as_employment,
    clause_terms,
    followed_up,
    placements_of_contracts,
)

SUBJECT = "placement_report"
MAX_COMMENT = 4000


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last(self) -> date:
        return add_months(self.first, 3) - ONE_DAY

    def next(self) -> Quarter:
        return Quarter.of(add_months(self.first, 3))

    def __str__(self) -> str:
        return f"{self.year} Q{self.number}"


def quarters(contract: Contract, today: date) -> list[Quarter]:
    """The quarters of the contract that have begun, newest first."""
    if today < contract.start_date:
        return []
    found, quarter = [], Quarter.of(contract.start_date)
    last = Quarter.of(min(today, contract.end_date))
    while quarter <= last:
        found.append(quarter)
        quarter = quarter.next()
    return found[::-1]


def is_reportable(contract: Contract, quarter: Quarter, today: date) -> bool:
    return quarter in quarters(contract, today)


def get_report(session: Session, contract: Contract, quarter: Quarter) -> PeriodicReport | None:
    return session.scalar(
        select(PeriodicReport)
        .where(
            PeriodicReport.contract_id == contract.id,
            PeriodicReport.year == quarter.year,
            PeriodicReport.quarter == quarter.number,
        )
        .options(selectinload(PeriodicReport.events))
    )


def reports_of(session: Session, contract: Contract) -> dict[Quarter, PeriodicReport]:
    rows = session.scalars(select(PeriodicReport).where(PeriodicReport.contract_id == contract.id))
    return {Quarter(r.year, r.quarter): r for r in rows}


# ---------------------------------------------------------------- figures


def _fraction(value: Fraction) -> str:
    return str(value)


def figures(session: Session, contract: Contract, quarter: Quarter) -> dict[str, object]:
    """The quarter's figures from the placements as they stand: months as exact fractions in
    text ("7/2"), and each placement of the quarter by its id only (no personal data)."""
    clause = contract.clause
    if clause is None or not followed_up(clause):
        return {"quarter": str(quarter), "lines": []}
    terms = clause_terms(contract, clause)
    placements = placements_of_contracts(session, [contract.id]).get(contract.id, [])
    employments = [as_employment(p) for p in placements]
    result = followup.follow_up(terms, employments, quarter.last)
    lines = [
        {
            "placement": placement.id,
            "months": _fraction(
                followup.credit(terms, employment, quarter.last)
                - followup.credit(terms, employment, quarter.first - ONE_DAY)
            ),
            "counts": followup.counts_for(terms, employment),
        }
        for placement, employment in zip(placements, employments, strict=True)
        if _active_in(placement, quarter)
    ]
    return {
        "quarter": str(quarter),
        "required": _fraction(result.required),
        "in_quarter": _fraction(
            followup.credit_between(terms, employments, quarter.first, quarter.last)
        ),
        "delivered": _fraction(result.delivered),
        "planned": _fraction(result.planned),
        "status": result.status.value,
        "first_hire_on": result.first_hire_on.isoformat() if result.first_hire_on else None,
        "lines": lines,
    }


def _active_in(placement: Placement, quarter: Quarter) -> bool:
    end = placement.ended_on or placement.planned_end
    return placement.start_date <= quarter.last and (end is None or end >= quarter.first)


def months_of(value: object) -> Fraction:
    """A month figure as stored in `figures`."""
    return Fraction(str(value))


# ---------------------------------------------------------------- steps


def _comment(text: str | None) -> str | None:
    comment = (text or "").strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(_l("Högst %(max)d tecken.", max=MAX_COMMENT), "comment")
    return comment or None


def _step(
    session: Session,
    report: PeriodicReport,
    state: ReportState,
    side: ReportSide,
    actor: Actor,
    comment: str | None,
) -> PeriodicReport:
    report.state = state
    report.events.append(
        ReportEvent(
            state=state, side=side, user_id=actor.user_id, user_email=actor.email, comment=comment
        )
    )
    session.flush()
    record(session, actor, state.value, SUBJECT, report.id, "reports", report.contract.supplier_id)
    return report


def _editable(
    session: Session, contract: Contract, quarter: Quarter, today: date
) -> PeriodicReport:
    if not is_reportable(contract, quarter, today):
        raise InvalidInput(_l("Kvartalet ligger utanför avtalets tid eller har inte börjat."))
    report = get_report(session, contract, quarter)
    if report is None:
        report = PeriodicReport(
            contract=contract, year=quarter.year, quarter=quarter.number, state=ReportState.DRAFT
        )
        session.add(report)
    elif report.state not in (ReportState.DRAFT, ReportState.RETURNED):
        raise InvalidInput(_l("Rapporten är redan inskickad."))
    return report


def save_draft(
    session: Session,
    contract: Contract,
    quarter: Quarter,
    comment: str | None,
    actor: Actor,
    today: date,
) -> PeriodicReport:
    """The supplier saves its comment without handing the report in."""
    text = _comment(comment)
    report = _editable(session, contract, quarter, today)
    report.supplier_comment = text
    state = report.state
    return _step(session, report, state, ReportSide.SUPPLIER, actor, text)


def submit(
    session: Session,
    contract: Contract,
    quarter: Quarter,
    comment: str | None,
    actor: Actor,
    today: date,
) -> PeriodicReport:
    """Hand the report in: its figures are frozen as they stand now. Only after the quarter."""
    text = _comment(comment)
    if quarter.last >= today:
        raise InvalidInput(
            _l(
                "Kvartalet är inte slut ännu; rapporten kan skickas in från %(date)s.",
                date=(quarter.last + ONE_DAY).isoformat(),
            )
        )
    report = _editable(session, contract, quarter, today)
    report.supplier_comment = text
    report.figures = figures(session, contract, quarter)
    report.submitted_at, report.decided_at = utcnow(), None
    return _step(session, report, ReportState.SUBMITTED, ReportSide.SUPPLIER, actor, text)


def _decide(
    session: Session,
    report: PeriodicReport,
    state: ReportState,
    comment: str | None,
    actor: Actor,
) -> PeriodicReport:
    text = _comment(comment)
    if report.state is not ReportState.SUBMITTED:
        raise InvalidInput(_l("Bara en inskickad rapport kan godkännas eller återsändas."))
    if state is ReportState.RETURNED and not text:
        raise InvalidInput(_l("Skriv vad leverantören ska komplettera."), "comment")
    report.decided_at = utcnow()
    return _step(session, report, state, ReportSide.MUNICIPALITY, actor, text)


def approve(
    session: Session, report: PeriodicReport, comment: str | None, actor: Actor
) -> PeriodicReport:
    return _decide(session, report, ReportState.APPROVED, comment, actor)


def return_report(
    session: Session, report: PeriodicReport, comment: str | None, actor: Actor
) -> PeriodicReport:
    return _decide(session, report, ReportState.RETURNED, comment, actor)
