"""What leaves the municipality: the quarter's tables, suppressed, as a snapshot in the control
plane. Only counts by fixed categories are published — nothing about a person, a case or a
placement — and every table passes disclosure control first.

The payload (layout 2; layout 1 had the first three tables only):

    {"tables": [{"name": "registered", "kind": "one_way", "dimensions": [[...codes...]],
                 "values": {"etablering": 12, "jobbtorg": null, "*": 40}}, ...],
     "measures": {"months_delivered": 42, "estimate_kronor": 1240000,
                  "median_days": {"consented": 6.5, ...}},
     "procurement_target_percent": 50}

A value of null is hidden. Keys are the cell's place in its table: a category, `*` for a total,
`row/column` in a cross table.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from hansyn.errors import InvalidInput
from hansyn.platform.statistics import operations as snapshots
from hansyn.platform.statistics.models import StatisticsSnapshot
from hansyn.tenants.audit.operations import Actor, record
from hansyn.tenants.contracts.followup import ClauseStatus
from hansyn.tenants.matches.reasons import REASONS
from hansyn.tenants.placements.models import EmploymentForm
from hansyn.tenants.statistics import figures, socioeconomic
from hansyn.tenants.statistics.disclosure import (
    CannotProtect,
    Cell,
    Earlier,
    Suppression,
    one_way,
    singles,
    suppress,
    two_breakdowns,
    two_way,
)
from hansyn.tenants.statistics.labels import CATEGORIES, GROUPS, public_group
from hansyn.tenants.statistics.models import PublishedFigures
from hansyn.tenants.statistics.periods import Period
from hansyn.tenants.statistics.settings import estimate_parameters, statistics_settings

LAYOUT = 2
REQUIREMENT = ("with", "without")
FORMS = tuple(form.value for form in EmploymentForm)
STATUSES = tuple(status.value for status in ClauseStatus)
REASON_CODES = tuple(code for code, _kind, _system in REASONS)
#: Magnitudes are published only when at least k placements contributed, rounded so that a
#: correction of one employment between two versions does not show its length.
MONTHS_STEP = 1
KRONOR_STEP = 10_000


@dataclass(frozen=True)
class TableLayout:
    name: str
    kind: str
    dimensions: tuple[tuple[str, ...], ...]

    def prefix(self, key: str) -> str:
        return f"{self.name}/{key}"


@dataclass(frozen=True)
class PreparedTable:
    layout: TableLayout
    cells: list[Cell]

    def local(self, cell: Cell) -> str:
        return cell.key.removeprefix(f"{self.layout.name}/")


@dataclass(frozen=True)
class Preview:
    """The quarter as it would be published, with what stays inside (`truth`)."""

    period: Period
    min_count: int
    tables: list[PreparedTable]
    suppression: Suppression
    payload: dict[str, Any]
    truth: dict[str, int]

    @property
    def digest(self) -> str:
        text = json.dumps(self.payload, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    def shown(self, cell: Cell) -> int | None:
        return None if cell.key in self.suppression.hidden else cell.value


def _group_counts(counts: list[figures.GroupCount]) -> dict[str, int]:
    grouped: Counter[str] = Counter(dict.fromkeys(GROUPS, 0))
    for group in counts:
        grouped[public_group(group.code)] += group.count
    return dict(grouped)


def quarter_tables(session: Session, period: Period,
                   found: figures.PlacementFigures) -> list[PreparedTable]:
    """The tables of layout 2 with their true values (`found`: the period's placements)."""
    return [*_candidate_tables(session, period), *_case_tables(session, period),
            *_placement_tables(found)]


def _case_tables(session: Session, period: Period) -> list[PreparedTable]:
    found = figures.cases(session, period)
    reasons = figures.ended_by_reason(session, period)
    return [
        PreparedTable(TableLayout("cases", "singles", (figures.STEPS,)),
                      singles("cases", found.reached)),
        PreparedTable(TableLayout("reasons", "one_way", (REASON_CODES,)),
                      one_way("reasons", {code: reasons.get(code, 0) for code in REASON_CODES})),
    ]


def _placement_tables(found: figures.PlacementFigures) -> list[PreparedTable]:
    forms = {form.value: n for form, n in found.by_form().items()}
    sectors = {category.value: n for category, n in found.by_sector().items()}
    statuses = {status.value: n for status, n in found.by_status().items()}
    return [
        PreparedTable(TableLayout("placements", "two_breakdowns", (FORMS, CATEGORIES)),
                      two_breakdowns("placements", ("form", forms), ("sector", sectors))),
        PreparedTable(TableLayout("ongoing", "singles", (("ongoing",),)),
                      singles("ongoing", {"ongoing": found.ongoing})),
        PreparedTable(TableLayout("clauses", "one_way", (STATUSES,)),
                      one_way("clauses", statuses)),
    ]


def measures(session: Session, period: Period, found: figures.PlacementFigures,
             k: int) -> dict[str, Any]:
    """Magnitudes: shown only when at least k placements (or cases) contributed."""
    enough = found.crediting >= k
    effect = socioeconomic.estimate(estimate_parameters(session), found.delivered,
                                    found.subsidised)
    cases = figures.cases(session, period)
    medians: dict[str, float | None] = {}
    for step in figures.STEPS[1:]:
        shown = len(cases.days.get(step, [])) >= k
        value = cases.median_days(step)
        medians[step] = round(value, 1) if shown and value is not None else None
    return {
        "months_delivered": _rounded(float(found.delivered), MONTHS_STEP) if enough else None,
        "estimate_kronor": _rounded(effect.total, KRONOR_STEP) if enough else None,
        "median_days": medians,
    }


def _rounded(value: float, step: int) -> int:
    return int(round(value / step) * step)


def _candidate_tables(session: Session, period: Period) -> list[PreparedTable]:
    procurement = figures.procurements(session, period)
    crossed = {
        (category.value, "with" if flag else "without"): n
        for (category, flag), n in procurement.items()
    }
    return [
        PreparedTable(TableLayout("registered", "one_way", (GROUPS,)),
                      one_way("registered", _group_counts(figures.registered(session, period)))),
        PreparedTable(TableLayout("enrolled", "one_way", (GROUPS,)),
                      one_way("enrolled", _group_counts(figures.enrolled(session, period)))),
        PreparedTable(TableLayout("procurements", "two_way", (CATEGORIES, REQUIREMENT)),
                      two_way("procurements", CATEGORIES, REQUIREMENT, crossed)),
    ]


def _check_quarter(period: Period, today: date) -> None:
    if not period.is_quarter:
        raise InvalidInput(_l("Välj ett kvartal: ett helt år publiceras inte."), "period")
    if period.end_day > today:
        raise InvalidInput(_l("Kvartalet är inte slut ännu: publicera det när det har gått."),
                           "period")


def earlier_versions(
    session: Session, control: Session, tenant_id: int, period: Period, cells: list[Cell]
) -> list[Earlier]:
    """Every version of the quarter published before (withdrawn ones too: they may have been
    downloaded), with the true values the tenant kept. A version whose record is missing is
    taken to hide the values of today — the worst case, since its hidden cells are then bound
    to this version's."""
    current = {cell.key: cell.value for cell in cells}
    kept = {
        row.snapshot_id: row.truth
        for row in session.scalars(select(PublishedFigures).where(PublishedFigures.period
                                                                 == period.code))
    }
    versions = []
    for snapshot in snapshots.snapshots_of(control, tenant_id, period.code):
        published = published_values(snapshot)
        truth = {key: int(value) for key, value in kept.get(snapshot.id, current).items()}
        versions.append(Earlier.from_published(published, truth))
    return versions


def published_values(snapshot: StatisticsSnapshot) -> dict[str, int | None]:
    """Cell key → published value (None: hidden) of a snapshot."""
    values: dict[str, int | None] = {}
    for table in snapshot.figures.get("tables", []):
        for key, value in table["values"].items():
            values[f"{table['name']}/{key}"] = value
    return values


def prepare(
    session: Session, control: Session, tenant_id: int, period: Period, today: date
) -> Preview:
    """The quarter as it would leave the municipality now; InvalidInput when it may not."""
    _check_quarter(period, today)
    settings = statistics_settings(session)
    found = figures.placements(session, period, today)
    tables = quarter_tables(session, period, found)
    cells = [cell for table in tables for cell in table.cells]
    earlier = earlier_versions(session, control, tenant_id, period, cells)
    try:
        suppression = suppress(cells, settings.min_count, earlier)
    except CannotProtect as error:
        raise InvalidInput(
            _l("Kvartalet kan inte publiceras i en ny version: tillsammans med en tidigare "
               "version skulle ett dolt värde gå att räkna ut. Den tidigare versionen gäller.")
        ) from error
    payload = {
        "tables": [_table_payload(table, suppression) for table in tables],
        "measures": measures(session, period, found, settings.min_count),
        "procurement_target_percent": settings.procurement_target_percent,
    }
    truth = {cell.key: cell.value for cell in cells}
    return Preview(period, settings.min_count, tables, suppression, payload, truth)


def _table_payload(table: PreparedTable, suppression: Suppression) -> dict[str, Any]:
    shown = suppression.apply(table.cells)
    return {
        "name": table.layout.name,
        "kind": table.layout.kind,
        "dimensions": [list(codes) for codes in table.layout.dimensions],
        "values": {table.local(cell): shown[cell.key] for cell in table.cells},
    }


def publish(
    session: Session,
    control: Session,
    municipality: snapshots.Municipality,
    period: Period,
    actor: Actor,
    *,
    today: date,
    digest: str,
) -> StatisticsSnapshot:
    """Write the quarter as the admin saw it in the preview (`digest`), as the next version."""
    preview = prepare(session, control, municipality.tenant_id, period, today)
    if preview.digest != digest:
        raise InvalidInput(_l("Siffrorna har ändrats sedan du granskade dem. Granska dem igen "
                              "innan du publicerar."))
    settings = statistics_settings(session)
    snapshot = snapshots.publish_snapshot(
        control, municipality, period.code, layout=LAYOUT, min_count=preview.min_count,
        figures=preview.payload, population=settings.population,
        population_year=settings.population_year,
        publisher=snapshots.Publisher(actor.user_id, actor.email),
    )
    session.add(PublishedFigures(snapshot_id=snapshot.id, period=period.code,
                                 version=snapshot.version, truth=preview.truth))
    record(session, actor, "publish", "statistics_snapshot", snapshot.id, period.code)
    session.flush()
    return snapshot


def withdraw(
    session: Session, control: Session, tenant_id: int, snapshot_id: int, actor: Actor,
    reason: str,
) -> StatisticsSnapshot:
    snapshot = snapshots.snapshot_of(control, tenant_id, snapshot_id)
    if snapshot is None:
        raise LookupError(snapshot_id)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_l("Ange varför versionen dras tillbaka."), "reason")
    if len(reason) > 500:
        raise InvalidInput(_l("Skälet får vara högst 500 tecken."), "reason")
    snapshots.withdraw_snapshot(control, snapshot, snapshots.Publisher(actor.user_id,
                                                                       actor.email), reason)
    record(session, actor, "withdraw", "statistics_snapshot", snapshot.id, snapshot.period)
    session.flush()
    return snapshot
