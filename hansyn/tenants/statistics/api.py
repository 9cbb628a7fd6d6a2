"""The municipality's statistics in the JSON API, read-only: the same figures as the statistics
page (`statistics/report.py`: each chart's categories and series) for its analysts and admins,
and the comparison of every municipality's published quarters (control-plane snapshots only,
never another municipality's database), as the comparison page builds it.

Counts only: nothing here names a person, so nothing is audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from hansyn.platform.api.errors import ApiError
from hansyn.platform.api.parsing import Blueprint
from hansyn.platform.api.schemas import ApiSchema
from hansyn.platform.models import Role
from hansyn.platform.request_db import control_db, tenant_db
from hansyn.tenants.context import current_tenant, requires_role
from hansyn.tenants.statistics import compare_page, report
from hansyn.tenants.statistics.charts import Chart
from hansyn.tenants.statistics.comparison import GROUPINGS, MEASURES
from hansyn.tenants.statistics.periods import Period

bp = Blueprint("statistics", __name__, description="Statistics: counts, never a person.")
READERS = (Role.ADMIN, Role.ANALYST)
PERIOD = r"^\d{4}(Q[1-4])?$"
QUARTER = r"^\d{4}Q[1-4]$"


def _period_field(pattern: str, description: str) -> fields.String:
    return fields.String(
        load_default=None,
        validate=validate.Regexp(pattern, error=_l("Ange perioden som ÅÅÅÅ eller ÅÅÅÅQ1–Q4, "
                                                   "till exempel 2026Q3.")),
        metadata={"description": description},
    )


class PeriodArgsSchema(ApiSchema):
    period = _period_field(PERIOD, "A quarter (2026Q3) or a year (2026); the last complete "
                                   "quarter if not given.")


class FigureSeriesSchema(ApiSchema):
    name = fields.String(required=True)
    values = fields.List(fields.Float(allow_none=True), required=True,
                         metadata={"description": "One per category; null: no value."})


class FigureSchema(ApiSchema):
    key = fields.String(required=True, validate=validate.OneOf(list(report.CHARTS)))
    title = fields.String(required=True)
    description = fields.String(required=True)
    category_heading = fields.String(required=True)
    categories = fields.List(fields.String(), required=True)
    series = fields.List(fields.Nested(FigureSeriesSchema), required=True)


class StatisticsSchema(ApiSchema):
    period = fields.String(required=True)
    label = fields.String(required=True)
    figures = fields.List(fields.Nested(FigureSchema), required=True)


class ComparisonArgsSchema(ApiSchema):
    period = _period_field(QUARTER, "A quarter (2026Q3); the newest one published if not "
                                    "given.")
    measure = fields.String(load_default="registered", validate=validate.OneOf(
        list(MEASURES), error=_l("Okänt värde.")))
    by = fields.String(load_default="county", validate=validate.OneOf(
        list(GROUPINGS), error=_l("Okänt värde.")))


class ComparisonRowSchema(ApiSchema):
    key = fields.String(required=True, metadata={"description": "Kommunkod, county, FA-region "
                                                                "or size class."})
    label = fields.String(required=True)
    count = fields.Integer(allow_none=True, metadata={"description": "null: hidden or not "
                                                                     "published."})
    base = fields.Integer(allow_none=True, metadata={"description": "Population, or the "
                                                                    "number of procurements."})
    value = fields.Float(allow_none=True, metadata={"description": "Per 10,000 inhabitants, "
                                                                   "or percent for the share."})
    reporting = fields.Integer(required=True,
                               metadata={"description": "Municipalities that showed a value."})
    members = fields.Integer(required=True)


class ComparisonSchema(ApiSchema):
    period = fields.String(allow_none=True,
                           metadata={"description": "null: nothing is published yet."})
    periods = fields.List(fields.String(), required=True,
                          metadata={"description": "Every quarter published, newest first."})
    measure = fields.String(required=True)
    measure_label = fields.String(required=True)
    by = fields.String(required=True)
    rows = fields.List(fields.Nested(ComparisonRowSchema), required=True)


def _period(text: str | None) -> Period:
    return Period.parse(text) if text else Period.last_complete(date.today())


def _figure(chart: Chart) -> dict[str, Any]:
    return {
        "key": chart.key, "title": chart.title, "description": chart.description,
        "category_heading": chart.category_heading, "categories": list(chart.categories),
        "series": [{"name": s.name, "values": list(s.values)} for s in chart.series],
    }


@bp.route("/figures", methods=["GET"])
@requires_role(*READERS)
@bp.arguments(PeriodArgsSchema, location="query")
@bp.response(200, StatisticsSchema)
def figures(args: dict[str, Any]) -> dict[str, Any]:
    """Every figure of the statistics page for a period"""
    period = _period(args["period"])
    session = tenant_db()
    return {"period": period.code, "label": period.label(),
            "figures": [_figure(build(session, period)) for build in report.CHARTS.values()]}


@bp.route("/figures/<figure_key>", methods=["GET"])
@requires_role(*READERS)
@bp.arguments(PeriodArgsSchema, location="query")
@bp.response(200, FigureSchema)
def figure(args: dict[str, Any], figure_key: str) -> dict[str, Any]:
    """One figure (`registered`, `funnel`, `months`, … as listed by GET figures)"""
    build = report.CHARTS.get(figure_key)
    if build is None:
        raise ApiError(404)
    return _figure(build(tenant_db(), _period(args["period"])))


@bp.route("/comparison", methods=["GET"])
@requires_role(*READERS)
@bp.arguments(ComparisonArgsSchema, location="query")
@bp.response(200, ComparisonSchema)
def comparison(args: dict[str, Any]) -> dict[str, Any]:
    """Every municipality's published figures for a quarter, per municipality or group"""
    wanted = {key: value for key, value in args.items() if value is not None}
    page = compare_page.build_page(control_db(), wanted, current_tenant().kommunkod)
    return {
        "period": page.period, "periods": page.periods, "measure": page.measure,
        "measure_label": str(MEASURES[page.measure]), "by": page.by,
        "rows": [{"key": r.key, "label": r.label, "count": r.count, "base": r.base,
                  "value": r.value, "reporting": r.reporting, "members": r.members}
                 for r in page.rows],
    }
