"""The municipality's own statistics page: each figure as a chart with its table and CSV."""

from __future__ import annotations

from collections.abc import Callable

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from hansyn.tenants.statistics import figures, socioeconomic
from hansyn.tenants.statistics.charts import Chart, Series, percent, whole
from hansyn.tenants.statistics.periods import Period
from hansyn.tenants.statistics.settings import estimate_parameters, statistics_settings

TREND_LENGTH = 8


def _csv(key: str, period: Period) -> str:
    return url_for("tenant.statistics.figure_csv", figure=key, period=period.code)


def registered_chart(session: Session, period: Period) -> Chart:
    groups = figures.registered(session, period)
    return Chart(
        "registered", _("Nyinskrivna arbetssökande per målgrupp, %(period)s",
                        period=period.label()),
        _("Antal arbetssökande som skrevs in under perioden, per program eller målgrupp. "
          "Totalt %(total)s.", total=whole(sum(g.count for g in groups))),
        _("Målgrupp"), [g.name for g in groups],
        [Series(_("Antal"), [g.count for g in groups])], horizontal=True,
        csv_url=_csv("registered", period),
    )


def enrolled_chart(session: Session, period: Period) -> Chart:
    groups = figures.enrolled(session, period)
    return Chart(
        "enrolled", _("Inskrivna vid periodens slut per målgrupp, %(period)s",
                      period=period.label()),
        _("Antal arbetssökande som var inskrivna (aktiva eller pausade) den %(day)s. "
          "Totalt %(total)s.", day=period.last_day.isoformat(),
          total=whole(sum(g.count for g in groups))),
        _("Målgrupp"), [g.name for g in groups],
        [Series(_("Antal"), [g.count for g in groups])], horizontal=True,
        csv_url=_csv("enrolled", period),
    )


def trend_chart(session: Session, period: Period) -> Chart:
    periods = period.trailing(TREND_LENGTH)
    counts = figures.registered_per_period(session, periods)
    return Chart(
        "trend", _("Nyinskrivna arbetssökande per period"),
        _("Antal nyinskrivna under var och en av de senaste %(n)d perioderna, till och med "
          "%(period)s.", n=len(periods), period=period.label()),
        _("Period"), [p.label() for p in periods], [Series(_("Nyinskrivna"), counts)],
        csv_url=_csv("trend", period),
    )


def procurement_chart(session: Session, period: Period) -> Chart:
    periods = period.trailing(TREND_LENGTH)
    shares = figures.procurement_shares(session, periods)
    target = statistics_settings(session).procurement_target_percent
    latest = shares[-1]
    return Chart(
        "procurements", _("Andel tjänsteupphandlingar med sysselsättningskrav"),
        _("Andelen av tjänsteupphandlingarna med tilldelningsbeslut under perioden som har "
          "sysselsättningskrav, mot kommunens mål på %(target)d %%. %(period)s: %(with)d av "
          "%(total)d.", target=target, period=period.label(), total=latest.total,
          **{"with": latest.with_requirement}),
        _("Period"), [s.period.label() for s in shares],
        [Series(_("Andel med krav"), [s.percent for s in shares]),
         Series(_("Mål"), [float(target)] * len(shares))],
        formatter=percent, csv_url=_csv("procurements", period),
    )


def estimate_chart(session: Session, period: Period) -> Chart:
    effect = socioeconomic.per_full_time_month(estimate_parameters(session))
    parts = [_("Kommunen"), _("Regionen"), _("Staten"), _("Offentlig sektor totalt")]
    values = [effect.municipality, effect.region, effect.state, effect.total]
    return Chart(
        "estimate", _("Uppskattad offentlig vinst per heltidsmånad i arbete (kronor)"),
        _("En uppskattning enligt Upphandlingsmyndighetens beräkningsmodell: minskade "
          "utbetalningar och ökade skatter och avgifter när en person går från stöd till "
          "arbete, med kommunens parametrar. Totalt %(total)s kronor per heltidsmånad.",
          total=whole(effect.total)),
        _("Del av offentlig sektor"), parts, [Series(_("Kronor per heltidsmånad"), values)],
        csv_url=_csv("estimate", period),
    )


CHARTS: dict[str, Callable[[Session, Period], Chart]] = {
    "registered": registered_chart,
    "enrolled": enrolled_chart,
    "trend": trend_chart,
    "procurements": procurement_chart,
    "estimate": estimate_chart,
}


def csv_rows(chart: Chart) -> list[list[object]]:
    """The chart's table: a header row, then one row per category with the raw values."""
    header: list[object] = [chart.category_heading, *(s.name for s in chart.series)]
    body = [
        [category, *(_raw(s.values[i]) for s in chart.series)]
        for i, category in enumerate(chart.categories)
    ]
    return [header, *body]


def _raw(value: float | None) -> object:
    if value is None:
        return ""
    return round(value, 1) if isinstance(value, float) and not value.is_integer() else int(value)
