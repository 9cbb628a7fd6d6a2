"""The municipality's own statistics page: each figure as a chart with its table and CSV."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from fractions import Fraction

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from hansyn.tenants.matches.reasons import reason_label, state_label
from hansyn.tenants.placements.labels import EMPLOYMENT_FORM_LABELS, STATUS_LABELS
from hansyn.tenants.statistics import figures, socioeconomic
from hansyn.tenants.statistics.charts import Chart, Series, one_decimal, percent, whole
from hansyn.tenants.statistics.labels import TOTAL_LABEL, category_label, step_label
from hansyn.tenants.statistics.periods import Period
from hansyn.tenants.statistics.settings import estimate_parameters, statistics_settings
from hansyn.tenants.suppliers.operations import list_suppliers

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


def funnel_chart(session: Session, period: Period) -> Chart:
    found = figures.cases(session, period)
    return Chart(
        "funnel", _("Ärenden öppnade under perioden: hur långt de kom, %(period)s",
                    period=period.label()),
        _("Av de ärenden (en arbetssökande för en ledig tjänst) som öppnades under perioden: hur "
          "många som nådde varje steg, fram till i dag. %(opened)d öppnades, %(hired)d ledde "
          "till anställning.", opened=found.reached["opened"], hired=found.reached["hired"]),
        _("Steg"), [step_label(step) for step in figures.STEPS],
        [Series(_("Ärenden"), [found.reached[step] for step in figures.STEPS])],
        csv_url=_csv("funnel", period),
    )


def step_days_chart(session: Session, period: Period) -> Chart:
    found = figures.cases(session, period)
    steps = figures.STEPS[1:]
    return Chart(
        "step_days", _("Tid från öppnat ärende till varje steg (median, dagar), %(period)s",
                       period=period.label()),
        _("Medianen av antalet dagar från att ett ärende öppnades till att det första gången "
          "nådde steget, för ärenden som öppnades under perioden och nådde steget."),
        _("Steg"), [step_label(step) for step in steps],
        [Series(_("Dagar (median)"), [found.median_days(step) for step in steps])],
        formatter=one_decimal, csv_url=_csv("step_days", period),
    )


def case_state_chart(session: Session, period: Period) -> Chart:
    counts = figures.case_states(session, period)
    return Chart(
        "case_states", _("Ärenden per läge vid periodens slut, %(period)s",
                         period=period.label()),
        _("Alla ärenden som fanns när perioden slutade, efter det läge de var i då. Totalt "
          "%(total)s.", total=whole(sum(counts.values()))),
        _("Läge"), [state_label(state) for state in counts],
        [Series(_("Ärenden"), list(counts.values()))], horizontal=True,
        csv_url=_csv("case_states", period),
    )


def reasons_chart(session: Session, period: Period) -> Chart:
    counts = figures.ended_by_reason(session, period)
    return Chart(
        "reasons", _("Skäl när ärenden avslutades utan anställning, %(period)s",
                     period=period.label()),
        _("Ärenden som avslutades eller drogs tillbaka under perioden, per skäl. Totalt %(total)s.",
          total=whole(sum(counts.values()))),
        _("Skäl"), [reason_label(code) for code in counts],
        [Series(_("Ärenden"), list(counts.values()))], horizontal=True,
        csv_url=_csv("reasons", period),
    )


def _placements(session: Session, period: Period) -> figures.PlacementFigures:
    """The period's placement figures, computed once per session (a request's unit of work):
    six charts of a page read them, and each computation follows up every contract."""
    kept: dict[tuple[Period, date], figures.PlacementFigures] = session.info.setdefault(
        "statistics_placements", {})
    key = (period, date.today())
    if key not in kept:
        kept[key] = figures.placements(session, period, key[1])
    return kept[key]


def placements_form_chart(session: Session, period: Period) -> Chart:
    counts = _placements(session, period).by_form()
    return Chart(
        "placements_form", _("Anställningar som började, per anställningsform, %(period)s",
                             period=period.label()),
        _("Placeringar (anställningar genom sysselsättningskrav) som började under perioden, "
          "per anställningsform enligt LAS. Totalt %(total)s.", total=whole(sum(counts.values()))),
        _("Anställningsform"), [str(EMPLOYMENT_FORM_LABELS[form]) for form in counts],
        [Series(_("Anställningar"), list(counts.values()))], horizontal=True,
        csv_url=_csv("placements_form", period),
    )


def placements_sector_chart(session: Session, period: Period) -> Chart:
    counts = _placements(session, period).by_sector()
    return Chart(
        "placements_sector", _("Anställningar som började, per tjänsteområde, %(period)s",
                               period=period.label()),
        _("Placeringar som började under perioden, efter avtalets tjänsteområde. Totalt "
          "%(total)s.", total=whole(sum(counts.values()))),
        _("Tjänsteområde"), [category_label(c.value) for c in counts],
        [Series(_("Anställningar"), list(counts.values()))], horizontal=True,
        csv_url=_csv("placements_sector", period),
    )


def placements_supplier_chart(session: Session, period: Period) -> Chart:
    found = _placements(session, period)
    counts = found.by_supplier()
    names = sorted({s.name for s in list_suppliers(session)} | set(counts))
    return Chart(
        "placements_supplier", _("Anställningar som började och pågår, per leverantör, "
                                 "%(period)s", period=period.label()),
        _("Placeringar som började under perioden, per leverantör. %(ongoing)d anställningar "
          "pågick när perioden slutade.", ongoing=found.ongoing),
        _("Leverantör"), names, [Series(_("Började"), [counts[n] for n in names])],
        horizontal=True, csv_url=_csv("placements_supplier", period),
    )


def months_chart(session: Session, period: Period) -> Chart:
    found = _placements(session, period)
    contracts = found.contracts
    return Chart(
        "months", _("Heltidsmånader levererade under perioden och krävda, per avtal, "
                    "%(period)s", period=period.label()),
        _("Heltidsmånader som anställningarna gav under perioden (enligt uppföljningens regler) "
          "och avtalets krav för hela avtalstiden. Totalt %(delivered)s levererade.",
          delivered=one_decimal(float(found.delivered))),
        _("Avtal"), [c.contract.title for c in contracts] + [str(TOTAL_LABEL)],
        [Series(_("Levererade"), [float(c.delivered) for c in contracts]
                + [float(found.delivered)]),
         Series(_("Krävda"), [float(c.required) for c in contracts]
                + [float(sum((c.required for c in contracts), Fraction(0)))])],
        formatter=one_decimal, horizontal=True, csv_url=_csv("months", period),
    )


def clauses_chart(session: Session, period: Period) -> Chart:
    counts = _placements(session, period).by_status()
    return Chart(
        "clauses", _("Sysselsättningskrav per status vid periodens slut, %(period)s",
                     period=period.label()),
        _("Avtal med krav på heltidsmånader som gällde under perioden, efter uppföljningens "
          "status: uppfyllt, i fas, i riskzonen eller inte uppfyllt. Totalt %(total)s.",
          total=whole(sum(counts.values()))),
        _("Status"), [str(STATUS_LABELS[status]) for status in counts],
        [Series(_("Avtal"), list(counts.values()))], horizontal=True,
        csv_url=_csv("clauses", period),
    )


def estimate_total_chart(session: Session, period: Period) -> Chart:
    found = _placements(session, period)
    effect = socioeconomic.estimate(estimate_parameters(session), found.delivered,
                                    found.subsidised)
    average = effect.total / found.crediting if found.crediting else 0
    parts = [_("Kommunen"), _("Regionen"), _("Staten"), _("Offentlig sektor totalt")]
    return Chart(
        "estimate_total", _("Uppskattad offentlig vinst av periodens anställningar (kronor), "
                            "%(period)s", period=period.label()),
        _("Uppskattningen per heltidsmånad gånger de %(months)s heltidsmånader som "
          "anställningarna gav under perioden (%(subsidised)s med anställningsstöd). Totalt "
          "%(total)s kronor, i genomsnitt %(average)s kronor per anställning.",
          months=one_decimal(float(found.delivered)),
          subsidised=one_decimal(float(found.subsidised)), total=whole(effect.total),
          average=whole(average)),
        _("Del av offentlig sektor"), parts,
        [Series(_("Kronor"), [effect.municipality, effect.region, effect.state, effect.total])],
        csv_url=_csv("estimate_total", period),
    )


CHARTS: dict[str, Callable[[Session, Period], Chart]] = {
    "registered": registered_chart,
    "enrolled": enrolled_chart,
    "trend": trend_chart,
    "procurements": procurement_chart,
    "estimate": estimate_chart,
    "funnel": funnel_chart,
    "step_days": step_days_chart,
    "case_states": case_state_chart,
    "reasons": reasons_chart,
    "placements_form": placements_form_chart,
    "placements_sector": placements_sector_chart,
    "placements_supplier": placements_supplier_chart,
    "months": months_chart,
    "clauses": clauses_chart,
    "estimate_total": estimate_total_chart,
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
