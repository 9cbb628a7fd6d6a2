"""Statistics inside the municipality (analysts and admins), publishing its quarters (admins),
and the comparison of every municipality's published figures."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.wrappers import Response

from hansyn.errors import InvalidInput
from hansyn.platform.forms import refuse
from hansyn.platform.models import Role
from hansyn.platform.request_db import control_db, tenant_db, writes_control_plane
from hansyn.platform.statistics import operations as snapshots
from hansyn.tenants.context import Member, current_member, current_tenant, requires_role
from hansyn.tenants.menu import (
    DashboardSection,
    Link,
    register_dashboard_section,
    register_menu_item,
)
from hansyn.tenants.statistics import compare_page, publishing, report, settings
from hansyn.tenants.statistics.charts import HIDDEN
from hansyn.tenants.statistics.comparison import GROUPINGS, MEASURES
from hansyn.tenants.statistics.exporting import csv_download
from hansyn.tenants.statistics.forms import (
    EstimateForm,
    PublishForm,
    SettingsForm,
    WithdrawForm,
)
from hansyn.tenants.statistics.labels import (
    REQUIREMENT_LABELS,
    TOTAL_LABEL,
    category_label,
    cell_label,
    group_label,
)
from hansyn.tenants.statistics.periods import Period
from hansyn.tenants.statistics.socioeconomic import Parameters, per_full_time_month

bp = Blueprint("statistics", __name__)
PERIOD_CHOICES = 12
TABLE_TITLES = {
    "registered": _l("Nyinskrivna arbetssökande per målgrupp"),
    "enrolled": _l("Inskrivna arbetssökande vid kvartalets slut per målgrupp"),
    "procurements": _l("Tjänsteupphandlingar per tjänsteområde"),
    "cases": _l("Ärenden öppnade under kvartalet, per steg de nådde"),
    "reasons": _l("Ärenden avslutade utan anställning, per skäl"),
    "placements": _l("Anställningar som började, per anställningsform och tjänsteområde"),
    "ongoing": _l("Anställningar som pågick vid kvartalets slut"),
    "clauses": _l("Sysselsättningskrav per status vid kvartalets slut"),
}
BREAKDOWN_LABELS = {"form": _l("Anställningsform"), "sector": _l("Tjänsteområde")}


@bp.context_processor
def _statistics_context() -> dict[str, object]:
    member = g.get("member")  # absent on an error page of a request that never got in
    return {
        "current_member_is_admin": bool(member and member.has(Role.ADMIN)),
        "table_titles": TABLE_TITLES,
        "breakdown_labels": BREAKDOWN_LABELS,
        "requirement_labels": REQUIREMENT_LABELS,
    }


def _period(default: Period) -> Period:
    text = request.args.get("period")
    if not text:
        return default
    try:
        return Period.parse(text)
    except InvalidInput:
        abort(404)


def _period_choices(today: date) -> list[Period]:
    latest = Period.containing(today)
    quarters = latest.trailing(PERIOD_CHOICES)[::-1]
    years = Period(today.year).trailing(3)[::-1]
    return quarters + years


@bp.route("/")
@requires_role(Role.ADMIN, Role.ANALYST)
def index() -> str:
    today = date.today()
    period = _period(Period.last_complete(today))
    session = tenant_db()
    charts = [build(session, period) for build in report.CHARTS.values()]
    return render_template(
        "tenants/statistics/index.html", period=period, charts=charts,
        choices=_period_choices(today), is_admin=current_member().has(Role.ADMIN),
        parameters=settings.estimate_parameters(session),
        parameters_default=settings.parameters_are_default(session),
        settings=settings.statistics_settings(session),
    )


@bp.route("/figures/<figure>.csv")
@requires_role(Role.ADMIN, Role.ANALYST)
def figure_csv(figure: str) -> Response:
    build = report.CHARTS.get(figure)
    if build is None:
        abort(404)
    period = _period(Period.last_complete(date.today()))
    chart = build(tenant_db(), period)
    return csv_download(report.csv_rows(chart), f"{figure}-{period.code}.csv")


# Publishing ---------------------------------------------------------------------------------


def _municipality() -> snapshots.Municipality:
    tenant = current_tenant()
    return snapshots.Municipality(tenant.id, tenant.kommunkod, tenant.name)


def _complete_quarters(today: date) -> list[Period]:
    return Period.last_complete(today).trailing(8)[::-1]


@bp.route("/publish", methods=["GET", "POST"])
@writes_control_plane
@requires_role(Role.ADMIN)
def publish() -> str | Response:
    today = date.today()
    form = PublishForm()
    if form.validate_on_submit():
        try:
            period = Period.parse(form.period.data or "")
            snapshot = publishing.publish(
                tenant_db(), control_db(), _municipality(), period, current_member(),
                today=today, digest=form.digest.data or "",
            )
        except InvalidInput as error:
            refuse(None, error)
        else:
            flash(_("Version %(version)d av %(period)s är publicerad.", version=snapshot.version,
                    period=period.label()), "success")
            return redirect(url_for(".published"))
    period = _period(Period.last_complete(today))
    preview, problem = None, None
    try:
        preview = publishing.prepare(tenant_db(), control_db(), current_tenant().id, period,
                                     today)
    except InvalidInput as error:
        problem = str(error.message)
    return render_template(
        "tenants/statistics/publish.html", period=period, preview=preview, problem=problem,
        quarters=_complete_quarters(today), form=PublishForm(period=period.code,
                                                             digest=preview.digest if preview
                                                             else ""),
        versions=snapshots.snapshots_of(control_db(), current_tenant().id, period.code),
        labels=_cell_labels(),
    )


def _cell_labels() -> dict[str, object]:
    return {"group": group_label, "category": category_label, "total": str(TOTAL_LABEL),
            "hidden": HIDDEN, "cell": cell_label}


@bp.route("/published")
@requires_role(Role.ADMIN, Role.ANALYST)
def published() -> str:
    versions = snapshots.snapshots_of(control_db(), current_tenant().id)
    return render_template(
        "tenants/statistics/published.html", versions=versions,
        is_admin=current_member().has(Role.ADMIN), form=WithdrawForm(),
    )


def _snapshot_or_404(snapshot_id: int) -> snapshots.StatisticsSnapshot:
    snapshot = snapshots.snapshot_of(control_db(), current_tenant().id, snapshot_id)
    if snapshot is None:
        abort(404)
    return snapshot


@bp.route("/published/<int:snapshot_id>")
@requires_role(Role.ADMIN, Role.ANALYST)
def snapshot(snapshot_id: int) -> str:
    shown = _snapshot_or_404(snapshot_id)
    return render_template(
        "tenants/statistics/snapshot.html", snapshot=shown,
        period=Period.parse(shown.period), tables=compare_page.snapshot_tables(shown),
        labels=_cell_labels(),
    )


@bp.route("/published/<int:snapshot_id>/withdraw", methods=["POST"])
@writes_control_plane
@requires_role(Role.ADMIN)
def withdraw(snapshot_id: int) -> str | Response:
    shown = _snapshot_or_404(snapshot_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            publishing.withdraw(tenant_db(), control_db(), current_tenant().id, shown.id,
                                current_member(), form.reason.data or "")
        except InvalidInput as error:
            refuse(None, error)
        else:
            flash(_("Version %(version)d av %(period)s är tillbakadragen.",
                    version=shown.version, period=shown.period), "success")
            return redirect(url_for(".published"))
    else:
        for error in form.reason.errors:
            flash(str(error), "error")
    return redirect(url_for(".published"))


# Settings -----------------------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def edit_settings() -> str | Response:
    session = tenant_db()
    current = settings.statistics_settings(session)
    form = SettingsForm(obj=current)
    if form.validate_on_submit():
        data = settings.SettingsData(form.min_count.data, form.procurement_target_percent.data,
                                     form.population.data, form.population_year.data)
        try:
            settings.save_settings(session, data, current_member(), date.today().year)
        except InvalidInput as error:
            refuse(form, error)
        else:
            flash(_("Inställningarna är sparade."), "success")
            return redirect(url_for(".index"))
    return render_template("tenants/statistics/settings.html", form=form)


@bp.route("/estimate", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def edit_estimate() -> str | Response:
    session = tenant_db()
    form = EstimateForm(obj=settings.estimate_parameters(session))
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in Parameters.__dataclass_fields__}
        try:
            settings.save_parameters(session, Parameters(**values), current_member())
        except InvalidInput as error:
            refuse(form, error)
        else:
            flash(_("Parametrarna för uppskattningen är sparade."), "success")
            return redirect(url_for(".index"))
    effect = per_full_time_month(settings.estimate_parameters(session))
    return render_template("tenants/statistics/estimate.html", form=form, effect=effect)


# Comparison ---------------------------------------------------------------------------------


@bp.route("/compare")
@requires_role(Role.ADMIN, Role.ANALYST)
def compare() -> str:
    kommunkod = current_tenant().kommunkod
    page = compare_page.build_page(control_db(), request.args, kommunkod)
    return render_template(
        "tenants/statistics/compare.html", page=page, measures=MEASURES, groupings=GROUPINGS,
        own_kommunkod=kommunkod,
    )


@bp.route("/compare.csv")
@requires_role(Role.ADMIN, Role.ANALYST)
def compare_csv() -> Response:
    page = compare_page.build_page(control_db(), request.args, current_tenant().kommunkod)
    return csv_download(compare_page.csv_rows(page), f"jamforelse-{page.period or 'tom'}.csv")


register_menu_item("tenant.statistics.index", _l("Statistik"), Role.ADMIN, Role.ANALYST,
                   order=80)


def _statistics_section(member: Member) -> DashboardSection | None:
    if not member.has(Role.ANALYST, Role.ADMIN):
        return None
    period = Period.last_complete(date.today())
    versions = snapshots.snapshots_of(control_db(), current_tenant().id)
    in_force = [v for v in versions if not v.withdrawn]
    items = [
        Link(_("Statistik för %(period)s", period=period.label()),
             url_for("tenant.statistics.index")),
        Link(_("Jämför kommunernas publicerade statistik"), url_for("tenant.statistics.compare")),
        Link(ngettext("%(num)d publicerad version i kraft",
                      "%(num)d publicerade versioner i kraft", len(in_force)),
             url_for("tenant.statistics.published")),
    ]
    return DashboardSection("statistics", _("Statistik"), items=items)


register_dashboard_section("statistics", _statistics_section, order=900)
