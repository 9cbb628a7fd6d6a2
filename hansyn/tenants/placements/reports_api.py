"""The supplier's quarterly reports on a contract's clause in the JSON API, with the report
page's rules (`placements/views.py`, `placements/reporting.py`): the staff read every
contract's reports, a supplier its own; the supplier saves a draft and hands it in once the
quarter is over, and an admin approves it or returns it with a comment.

A report carries figures and placement ids only, never a name, so reading one audits nobody;
each step is a `ReportEvent` and an audit row, as on the page.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from hansyn.platform.api.errors import ApiError
from hansyn.platform.api.loading import found_first
from hansyn.platform.api.parsing import Blueprint
from hansyn.platform.api.schemas import ApiSchema, UtcDateTime, length
from hansyn.platform.models import Role
from hansyn.platform.request_db import tenant_db
from hansyn.tenants.context import current_member, requires_role
from hansyn.tenants.contracts.followup import ClauseStatus
from hansyn.tenants.contracts.models import Contract
from hansyn.tenants.contracts.operations import get_contract_for_member
from hansyn.tenants.placements import reporting
from hansyn.tenants.placements.models import PeriodicReport, ReportSide, ReportState
from hansyn.tenants.placements.views import READERS

bp = Blueprint("reports", __name__, description="The supplier's quarterly reports.")
EDITABLE = (None, ReportState.DRAFT, ReportState.RETURNED)
#: Who takes each step: the supplier hands in, the municipality's admin decides.
STEPS = {ReportState.SUBMITTED: Role.SUPPLIER, ReportState.APPROVED: Role.ADMIN,
         ReportState.RETURNED: Role.ADMIN}


class ReportLineSchema(ApiSchema):
    placement_id = fields.Integer(required=True)
    months = fields.Float(required=True, metadata={"description": "Full-time months credited "
                                                                  "in the quarter."})
    counts = fields.Boolean(required=True,
                            metadata={"description": "Whether it counts for the clause."})


class ReportFiguresSchema(ApiSchema):
    required_months = fields.Float(allow_none=True)
    in_quarter_months = fields.Float(allow_none=True)
    delivered_months = fields.Float(allow_none=True)
    planned_months = fields.Float(allow_none=True)
    status = fields.Enum(ClauseStatus, by_value=True, allow_none=True)
    first_hire_on = fields.Date(allow_none=True)
    lines = fields.List(fields.Nested(ReportLineSchema), required=True)


class ReportEventSchema(ApiSchema):
    at = UtcDateTime(required=True)
    state = fields.Enum(ReportState, by_value=True, required=True)
    side = fields.Enum(ReportSide, by_value=True, required=True)
    comment = fields.String(allow_none=True)


class ReportSchema(ApiSchema):
    contract_id = fields.Integer(required=True)
    year = fields.Integer(required=True)
    quarter = fields.Integer(required=True)
    state = fields.Enum(ReportState, by_value=True, allow_none=True,
                        metadata={"description": "null: nothing saved yet."})
    frozen = fields.Boolean(required=True, metadata={
        "description": "true: the figures as handed in; false: as the placements stand now."})
    supplier_comment = fields.String(allow_none=True)
    figures = fields.Nested(ReportFiguresSchema, required=True)
    submitted_at = UtcDateTime(allow_none=True)
    decided_at = UtcDateTime(allow_none=True)
    events = fields.List(fields.Nested(ReportEventSchema), required=True)


class ReportQuarterSchema(ApiSchema):
    year = fields.Integer(required=True)
    quarter = fields.Integer(required=True)
    state = fields.Enum(ReportState, by_value=True, allow_none=True)
    submitted_at = UtcDateTime(allow_none=True)
    decided_at = UtcDateTime(allow_none=True)


class DraftInSchema(ApiSchema):
    comment = fields.String(load_default=None, allow_none=True,
                            validate=length(reporting.MAX_COMMENT))


class StepInSchema(ApiSchema):
    to_state = fields.String(required=True,
                             validate=validate.OneOf([s.value for s in STEPS],
                                                     error=_l("Okänt värde.")),
                             metadata={"description": "submitted (the supplier), approved or "
                                                      "returned (an admin)."})
    comment = fields.String(load_default=None, allow_none=True,
                            validate=length(reporting.MAX_COMMENT),
                            metadata={"description": "Required to return a report."})


# ---------------------------------------------------------------- loading


def _contract_or_404(contract_id: int) -> Contract:
    return get_contract_for_member(tenant_db(), contract_id, current_member())


def _quarter_or_404(contract_id: int, year: int, quarter: int) -> reporting.Quarter:
    contract = _contract_or_404(contract_id)
    period = reporting.Quarter(year, quarter)
    if not 1 <= quarter <= 4 or not reporting.is_reportable(contract, period, date.today()):
        raise ApiError(404)
    return period


def _months(value: object) -> float | None:
    return float(reporting.months_of(value)) if value is not None else None


def _figures(stored: dict[str, Any]) -> dict[str, Any]:
    """Figures as `reporting.figures` keeps them (months as exact fractions in text)."""
    return {
        "required_months": _months(stored.get("required")),
        "in_quarter_months": _months(stored.get("in_quarter")),
        "delivered_months": _months(stored.get("delivered")),
        "planned_months": _months(stored.get("planned")),
        "status": ClauseStatus(stored["status"]) if stored.get("status") else None,
        "first_hire_on": date.fromisoformat(stored["first_hire_on"])
        if stored.get("first_hire_on") else None,
        "lines": [{"placement_id": line["placement"], "months": float(Fraction(line["months"])),
                   "counts": bool(line["counts"])} for line in stored.get("lines", [])],
    }


def _as_json(contract: Contract, period: reporting.Quarter) -> dict[str, Any]:
    report = reporting.get_report(tenant_db(), contract, period)
    frozen = report is not None and report.state is not ReportState.DRAFT and bool(report.figures)
    stored = (report.figures if frozen and report is not None and report.figures
              else reporting.figures(tenant_db(), contract, period))
    return {
        "contract_id": contract.id, "year": period.year, "quarter": period.number,
        "state": report.state if report else None, "frozen": frozen,
        "supplier_comment": report.supplier_comment if report else None,
        "figures": _figures(stored),
        "submitted_at": report.submitted_at if report else None,
        "decided_at": report.decided_at if report else None,
        "events": list(report.events) if report else [],
    }


def _existing(contract: Contract, period: reporting.Quarter) -> PeriodicReport | None:
    return reporting.get_report(tenant_db(), contract, period)


# ---------------------------------------------------------------- routes


@bp.route("/contracts/<int:contract_id>/reports", methods=["GET"])
@requires_role(*READERS)
@bp.response(200, ReportQuarterSchema(many=True))
def quarters(contract_id: int) -> list[dict[str, Any]]:
    """The contract's quarters that have begun, newest first, with their report's state"""
    contract = _contract_or_404(contract_id)
    reports = reporting.reports_of(tenant_db(), contract)
    found = []
    for period in reporting.quarters(contract, date.today()):
        report = reports.get(period)
        found.append({"year": period.year, "quarter": period.number,
                      "state": report.state if report else None,
                      "submitted_at": report.submitted_at if report else None,
                      "decided_at": report.decided_at if report else None})
    return found


@bp.route("/contracts/<int:contract_id>/reports/<int:year>/<int:quarter>")
class ReportResource(MethodView):
    @requires_role(*READERS)
    @bp.etag
    @bp.response(200, ReportSchema)
    def get(self, contract_id: int, year: int, quarter: int) -> dict[str, Any]:
        """One quarter's report: frozen figures once handed in, else as they stand now"""
        period = _quarter_or_404(contract_id, year, quarter)
        return _as_json(_contract_or_404(contract_id), period)

    @requires_role(Role.SUPPLIER)
    @found_first(_quarter_or_404)
    @bp.etag
    @bp.arguments(DraftInSchema)
    @bp.response(200, ReportSchema)
    def put(self, data: dict[str, Any], contract_id: int, year: int,
            quarter: int) -> dict[str, Any]:
        """Save the supplier's comment as a draft (If-Match); 409 once handed in"""
        period = _quarter_or_404(contract_id, year, quarter)
        contract = _contract_or_404(contract_id)
        bp.check_etag(_as_json(contract, period), ReportSchema)
        _must_be_editable(_existing(contract, period))
        reporting.save_draft(tenant_db(), contract, period, data["comment"], current_member(),
                             date.today())
        return _as_json(contract, period)


def _must_be_editable(report: PeriodicReport | None) -> None:
    if (report.state if report else None) not in EDITABLE:
        raise ApiError(409, "report_handed_in", _l("Rapporten är redan inskickad."))


@bp.route("/contracts/<int:contract_id>/reports/<int:year>/<int:quarter>/transitions",
          methods=["POST"])
@requires_role(Role.SUPPLIER, Role.ADMIN)
@found_first(_quarter_or_404)
@bp.arguments(StepInSchema)
@bp.response(200, ReportSchema)
def step(data: dict[str, Any], contract_id: int, year: int, quarter: int) -> dict[str, Any]:
    """Hand the report in (`submitted`, the supplier, after the quarter), or decide on it
    (`approved`, `returned` with a comment: an admin); 409 in a state that does not allow it"""
    period = _quarter_or_404(contract_id, year, quarter)
    contract = _contract_or_404(contract_id)
    target = ReportState(data["to_state"])
    member, session, today = current_member(), tenant_db(), date.today()
    if not member.has(STEPS[target]):
        raise ApiError(403)
    report = _existing(contract, period)
    if target is ReportState.SUBMITTED:
        _must_be_editable(report)
        if period.last >= today:
            raise ApiError(409, "quarter_not_over",
                           _l("Kvartalet är inte slut ännu; rapporten kan skickas in från "
                              "%(date)s.", date=period.next().first.isoformat()))
        reporting.submit(session, contract, period, data["comment"], member, today)
    else:
        if report is None or report.state is not ReportState.SUBMITTED:
            raise ApiError(409, "report_not_submitted",
                           _l("Bara en inskickad rapport kan godkännas eller återsändas."))
        decide = reporting.approve if target is ReportState.APPROVED else reporting.return_report
        decide(session, report, data["comment"], member)
    return _as_json(contract, period)
