"""Statistics for `hansyn demo`: a history of registrations and procurements in every demo
municipality, its settings, and its last quarters published — so that a new user sees the
comparison work. Idempotent: the history is written once (an audit row marks it), and a quarter
already published is not published again.

The history rows are anonymous: registrations without personal data, closed and erased as
gallring leaves them, so they count in the statistics and appear on no list. Volumes follow each
municipality's size; the populations are SCB's figures for 31 December 2024, rounded.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from hansyn.db import Databases
from hansyn.platform.models import Tenant
from hansyn.platform.statistics import operations as snapshots
from hansyn.tenants.audit.models import AuditEvent
from hansyn.tenants.audit.operations import DEMO_ACTOR, record
from hansyn.tenants.candidates.models import Candidate, CandidateStatus
from hansyn.tenants.contracts.models import ServiceCategory
from hansyn.tenants.procurements.models import ValueBand
from hansyn.tenants.procurements.operations import ProcurementData, save_procurement
from hansyn.tenants.programmes.models import Programme
from hansyn.tenants.statistics import publishing
from hansyn.tenants.statistics.demo_history import load_case_history
from hansyn.tenants.statistics.models import StatisticsSettings
from hansyn.tenants.statistics.periods import Period

MARKER = "statistics_demo"
POPULATION_YEAR = 2024
HISTORY_FROM = Period(2025, 1)
PUBLISHED_QUARTERS = 4


@dataclass(frozen=True)
class Profile:
    population: int
    #: New registrations per 10,000 inhabitants and quarter.
    registrations: float
    #: Service procurements per quarter, and the share of them with a requirement.
    procurements: float
    requirement_share: float
    #: New contracts per quarter whose clause asks for full-time months (`demo_history`).
    contracts: float


PROFILES = {
    "goteborg": Profile(613_000, 4.2, 24, 0.55, 8.0),
    "boras": Profile(115_000, 5.1, 7, 0.42, 1.6),
    "halmstad": Profile(106_000, 3.6, 6, 0.35, 1.4),
    "varberg": Profile(68_000, 3.0, 4, 0.30, 0.8),
    "falkenberg": Profile(47_000, 3.4, 3, 0.25, 0.6),
    "hylte": Profile(10_900, 6.0, 1.2, 0.20, 0.2),
    "laholm": Profile(26_000, 3.2, 1.8, 0.20, 0.35),
}
PROGRAMME_WEIGHTS = {
    "etablering": 20, "jobbgaranti": 25, "ungdomsgaranti": 14, "jobbtorg": 24,
    "forsorjningsstod": 17,
}
TITLES = {
    ServiceCategory.CLEANING: ["Lokalvård förskolor", "Fönsterputs", "Städning av kontor"],
    ServiceCategory.CONSTRUCTION: ["Ombyggnad skolkök", "Mindre byggentreprenader",
                                   "Markarbeten"],
    ServiceCategory.MEALS: ["Måltider äldreboenden", "Skolmåltider", "Catering"],
    ServiceCategory.GROUNDS: ["Skötsel av parker", "Snöröjning", "Trädvård"],
    ServiceCategory.TRANSPORT: ["Skolskjuts", "Färdtjänst", "Budtjänster"],
    ServiceCategory.PROPERTY: ["Fastighetsskötsel", "Jour och larm", "Vaktmästeri"],
    ServiceCategory.CARE: ["Hemtjänst", "Personlig assistans", "Korttidsboende"],
    ServiceCategory.OTHER: ["Tvätt", "Tolktjänster", "Flyttjänster"],
}


def load_statistics_demo(databases: Databases, slug: str, today: date) -> None:
    profile = PROFILES.get(slug)
    if profile is None:
        return
    rng = random.Random(f"hansyn-demo-{slug}")  # noqa: S311 (demo data, not security)
    with databases.tenant_session(slug, write=True) as session:
        if session.scalar(select(AuditEvent.id).where(AuditEvent.subject_type == MARKER)) is None:
            _history(session, profile, rng, today)
        load_case_history(session, slug, profile.contracts, today)
    _publish(databases, slug, today)


def _history(session: Session, profile: Profile, rng: random.Random, today: date) -> None:
    _settings(session, profile)
    programmes = {p.code: p.id for p in session.scalars(select(Programme))}
    for period in _quarters(today):
        _registrations(session, period, profile, programmes, rng, today)
        _procurements(session, period, profile, rng, today)
    record(session, DEMO_ACTOR, "create", MARKER, None, "demo")
    session.flush()


def _quarters(today: date) -> list[Period]:
    quarters = [Period.containing(today)]
    while quarters[-1] > HISTORY_FROM:
        quarters.append(quarters[-1].previous())
    return quarters[::-1]


def _settings(session: Session, profile: Profile) -> None:
    settings = session.scalar(select(StatisticsSettings)) or StatisticsSettings()
    settings.min_count = 5
    settings.procurement_target_percent = 50
    settings.population = round(profile.population, -2)
    settings.population_year = POPULATION_YEAR
    session.add(settings)


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(8 + rng.randrange(9), rng.randrange(60)), tzinfo=UTC)


def _registrations(session: Session, period: Period, profile: Profile, programmes: dict[str, int],
                   rng: random.Random, today: date) -> None:
    expected = profile.registrations * profile.population / 10_000
    count = max(0, round(rng.gauss(expected, expected ** 0.5)))
    codes, weights = list(PROGRAMME_WEIGHTS), list(PROGRAMME_WEIGHTS.values())
    last_day = min(period.last_day, today - timedelta(days=1))
    span = (last_day - period.first_day).days
    for code in rng.choices(codes, weights, k=count):
        registered = _moment(period.first_day + timedelta(days=rng.randrange(span + 1)), rng)
        closed = min(registered + timedelta(days=rng.randrange(60, 420)),
                     _moment(today - timedelta(days=1), rng))
        closed = max(closed, registered + timedelta(hours=1))
        session.add(Candidate(
            programme_id=programmes[code], status=CandidateStatus.CLOSED,
            status_changed_at=closed, closed_at=closed, erased_at=closed, created_at=registered,
            updated_at=closed,
        ))


def _procurements(session: Session, period: Period, profile: Profile, rng: random.Random,
                  today: date) -> None:
    count = max(0, round(rng.gauss(profile.procurements, profile.procurements ** 0.5)))
    last_day = min(period.last_day, today)
    span = (last_day - period.first_day).days
    for _number in range(count):
        category = rng.choice(list(ServiceCategory))
        decided = period.first_day + timedelta(days=rng.randrange(span + 1))
        data = ProcurementData(
            reference=None, title=f"{rng.choice(TITLES[category])} {decided.year}",
            category=category, value_band=rng.choice(list(ValueBand)[:4]), decided_on=decided,
            employment_requirement=rng.random() < profile.requirement_share,
        )
        save_procurement(session, data, DEMO_ACTOR, today)


def _publish(databases: Databases, slug: str, today: date) -> None:
    for period in Period.last_complete(today).trailing(PUBLISHED_QUARTERS):
        with databases.control_session(write=True) as control, \
                databases.tenant_session(slug, write=True) as session:
            tenant = control.scalar(select(Tenant).where(Tenant.slug == slug))
            if tenant is None or snapshots.snapshots_of(control, tenant.id, period.code):
                continue
            municipality = snapshots.Municipality(tenant.id, tenant.kommunkod, tenant.name)
            preview = publishing.prepare(session, control, tenant.id, period, today)
            publishing.publish(session, control, municipality, period, DEMO_ACTOR, today=today,
                               digest=preview.digest)
