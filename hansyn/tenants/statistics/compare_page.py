"""The comparison page and the published snapshot page, built from control-plane snapshots.

A page is a pure function of the snapshots in force, so it is kept (per process) under a stamp
that changes whenever a snapshot is published or withdrawn: a cheap query decides whether the
kept page still holds.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from hansyn.errors import InvalidInput
from hansyn.platform.statistics import operations as snapshots
from hansyn.platform.statistics.models import StatisticsSnapshot
from hansyn.tenants.statistics import comparison
from hansyn.tenants.statistics.charts import Chart, Series, one_decimal, percent, whole
from hansyn.tenants.statistics.comparison import GROUPINGS, MEASURES, Published, Row
from hansyn.tenants.statistics.periods import Period
from hansyn.tenants.statistics.regions import region_of

CACHE_SIZE = 64
_cache: OrderedDict[tuple[Any, ...], Page] = OrderedDict()
_items: OrderedDict[tuple[Any, ...], list[Published]] = OrderedDict()
_lock = threading.Lock()


def _kept(store: OrderedDict[tuple[Any, ...], Any], key: tuple[Any, ...]) -> Any:
    with _lock:
        if key in store:
            store.move_to_end(key)
            return store[key]
    return None


def _keep(store: OrderedDict[tuple[Any, ...], Any], key: tuple[Any, ...], value: Any) -> None:
    with _lock:
        store[key] = value
        while len(store) > CACHE_SIZE:
            store.popitem(last=False)


@dataclass(frozen=True)
class Line:
    """A table row as shown: every cell already formatted (a kept page renders quickly)."""

    key: str
    label: str
    region: tuple[str, ...]
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    period: str | None
    periods: list[str]
    measure: str
    by: str
    rows: list[Row]
    items: list[Published]
    chart: Chart | None
    county: str | None
    lines: list[Line]

    @property
    def is_share(self) -> bool:
        return self.measure == "procurement_share"

    def period_label(self, code: str) -> str:
        return Period.parse(code).label()


def build_page(control: Session, args: Mapping[str, str], kommunkod: str) -> Page:
    measure = args.get("measure") if args.get("measure") in MEASURES else "registered"
    by = args.get("by") if args.get("by") in GROUPINGS else "county"
    region = region_of(kommunkod)
    county = region.county if region else None
    stamp = snapshots.state_stamp(control)
    key = (args.get("period"), measure, by, county, str(get_locale()), stamp)
    page: Page | None = _kept(_cache, key)
    if page is None:
        periods = snapshots.published_periods(control)
        period = _chosen_period(args.get("period"), periods)
        page = _build(_published(control, period, stamp), periods, period, measure, by, county)
        _keep(_cache, key, page)
    return page


def _published(control: Session, period: str | None, stamp: object) -> list[Published]:
    """Every municipality's figures in force for `period`, read once per change."""
    if period is None:
        return []
    items: list[Published] | None = _kept(_items, (period, stamp))
    if items is None:
        items = [comparison.read(s) for s in snapshots.current_snapshots(control, period)]
        _keep(_items, (period, stamp), items)
    return items


def _chosen_period(text: str | None, periods: list[str]) -> str | None:
    """The quarter asked for (even one nobody published: the page then says so), else the
    newest one published."""
    if text:
        try:
            chosen = Period.parse(text)
        except InvalidInput:
            chosen = None
        if chosen is not None and chosen.is_quarter:
            return chosen.code
    return periods[0] if periods else None


def _build(items: list[Published], periods: list[str], period: str | None, measure: str, by: str,
           county: str | None) -> Page:
    if by == "municipality":
        rows = comparison.municipality_rows(items, measure)
    else:
        rows = comparison.group_rows(items, measure, by)
    chart = _chart(items, rows, period, measure, by, county) if items else None
    return Page(period, periods, measure, by, rows, items, chart, county,
                _lines(rows, items, measure, by))


def _lines(rows: list[Row], items: list[Published], measure: str, by: str) -> list[Line]:
    regions = {i.kommunkod: (i.county, i.fa_name, i.size_label) for i in items}
    show = percent if measure == "procurement_share" else one_decimal
    lines = []
    for row in rows:
        cells = [whole(row.count), whole(row.base) if row.base is not None else "–",
                 show(row.value) if row.value is not None else "–"]
        if by != "municipality":
            cells.append(_("%(shown)d av %(members)d", shown=row.reporting, members=row.members))
        region = regions.get(row.key, ()) if by == "municipality" else ()
        lines.append(Line(row.key, row.label, region, tuple(cells)))
    return lines


def _chart(items: list[Published], rows: list[Row], period: str | None, measure: str, by: str,
           county: str | None) -> Chart:
    shown = rows
    if by == "municipality":
        peers = {i.kommunkod for i in items if i.county == county}
        shown = [r for r in rows if r.key in peers] or rows
    share = measure == "procurement_share"
    unit = _("procent") if share else _("per 10 000 invånare")
    where = (_("kommunerna i %(county)s", county=county) if by == "municipality" and county
             else str(GROUPINGS[by]).lower())
    label = Period.parse(period).label() if period else ""
    return Chart(
        key=f"compare-{measure}-{by}",
        title=f"{MEASURES[measure]}, {unit}, {label}",
        description=_("%(measure)s per %(grouping)s (%(unit)s), %(period)s, enligt den "
                      "statistik som kommunerna har publicerat. Värden som en kommun inte visar "
                      "ingår inte.", measure=MEASURES[measure], grouping=where, unit=unit,
                      period=label),
        category_heading=str(GROUPINGS[by]), categories=[r.label for r in shown],
        series=[Series(unit, [r.value for r in shown])],
        formatter=percent if share else one_decimal, horizontal=True,
    )


def csv_rows(page: Page) -> list[list[object]]:
    if page.is_share:
        header = [str(GROUPINGS[page.by]), _("Med sysselsättningskrav"), _("Upphandlingar"),
                  _("Andel (procent)"), _("Kommuner som visar värdet"), _("Kommuner")]
    else:
        header = [str(GROUPINGS[page.by]), _("Antal"), _("Folkmängd"),
                  _("Per 10 000 invånare"), _("Kommuner som visar värdet"), _("Kommuner")]
    body: list[list[object]] = [
        [r.label, _blank(r.count), _blank(r.base), _blank(_round(r.value)), r.reporting,
         r.members]
        for r in page.rows
    ]
    return [header, *body]


def _blank(value: object) -> object:
    return "" if value is None else value


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def snapshot_tables(snapshot: StatisticsSnapshot) -> list[dict[str, Any]]:
    """A published snapshot's tables as rows of (label parts, value) for display."""
    return list(snapshot.figures.get("tables", []))


__all__ = ["Page", "build_page", "csv_rows", "one_decimal", "snapshot_tables", "whole"]
