"""Gallring: erase the personal data of candidates closed longer than the tenant's period.

What statistics need stays: the row itself (so counts do not change), programme, status and its
dates, and the municipality of residence (kommunkod). Name, contact, reference, notes, the exact
home place, skills, languages, licences and the personal bits of consent rows go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from hansyn.platform.models import utcnow
from hansyn.tenants.audit.operations import SystemActor
from hansyn.tenants.candidates.operations import (
    audit,
    became_unavailable,
    closed_before,
    erase_candidate,
    retention_months,
)

__all__ = ["RetentionReport", "cutoff_for", "erase_candidate", "run_retention"]

DAYS_PER_MONTH = 30.44


@dataclass
class RetentionReport:
    retention_months: int
    cutoff: datetime
    candidate_ids: list[int] = field(default_factory=list)
    dry_run: bool = False


def cutoff_for(months: int, now: datetime) -> datetime:
    return now - timedelta(days=round(months * DAYS_PER_MONTH))


def run_retention(
    session: Session, *, dry_run: bool = False, now: datetime | None = None
) -> RetentionReport:
    """Erase (or, on a dry run, only list) the candidates closed before the cut-off."""
    months = retention_months(session)
    report = RetentionReport(months, cutoff_for(months, now or utcnow()), dry_run=dry_run)
    for candidate in closed_before(session, report.cutoff):
        report.candidate_ids.append(candidate.id)
        if not dry_run:
            erase_candidate(candidate)
            audit(session, SystemActor(), "erase", candidate.id, "gallring")
            became_unavailable(session, candidate, SystemActor())  # other domains erase theirs
    session.flush()
    return report
