"""Placements in the JSON API, with the placement pages' rules (`placements/views.py`): the
municipality's staff see every placement, a supplier its own (another supplier's answers 404);
a supplier sees its employee by pseudonym, and by name only while consent released the
identity for the hire's case; the target group and the wage subsidy only for staff (a
lönebidrag implies health data). Every person shown is audited, as on the pages.

The hire (`POST /cases/{id}/hire`) goes through `record_hire`: the placement and the case's
HIRED transition in one unit of work. Ending an employment and its suspensions go through the
same operations as the page's forms. Quarterly reports are in `placements/reports_api.py`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from hansyn.db import MAX_ID
from hansyn.errors import InvalidInput
from hansyn.platform.api.errors import ApiError
from hansyn.platform.api.loading import found_first
from hansyn.platform.api.pagination import Page, paginate
from hansyn.platform.api.parsing import Blueprint
from hansyn.platform.api.schemas import (
    ApiSchema,
    PageArgsSchema,
    UtcDateTime,
    day,
    number,
    page_schema,
)
from hansyn.platform.models import Role
from hansyn.platform.request_db import audit_db, tenant_db
from hansyn.tenants.audit.operations import record_reads
from hansyn.tenants.context import current_member, requires_role
from hansyn.tenants.contracts.followup import EndReason
from hansyn.tenants.matches.models import Case, CaseState
from hansyn.tenants.matches.workflow import identity_released
from hansyn.tenants.placements import operations as ops
from hansyn.tenants.placements.models import EmploymentForm, Placement, WageSubsidy
from hansyn.tenants.placements.views import READERS, _pseudonyms, _supplier_id
from hansyn.tenants.vacancies.models import MAX_HOURS_PER_WEEK, Vacancy

bp = Blueprint("placements", __name__, description="Placements: the employments hires create.")
CANDIDATE = "candidate"
#: Fields only the municipality's staff give or see.
STAFF_ONLY = ("programme_id", "wage_subsidy")


class TermsInSchema(ApiSchema):
    """The employment's terms (the hire form and the edit form of the pages)."""

    start_date = fields.Date(required=True, validate=day())
    planned_end = fields.Date(load_default=None, allow_none=True, validate=day(),
                              metadata={"description": "Last day of a fixed-term employment; "
                                                       "null for tillsvidare."})
    employment_form = fields.Enum(EmploymentForm, by_value=True, required=True)
    hours_per_week = fields.Integer(load_default=None, allow_none=True,
                                    validate=number(1, MAX_HOURS_PER_WEEK),
                                    metadata={"description": "Either this or extent_percent."})
    extent_percent = fields.Integer(load_default=None, allow_none=True, validate=number(1, 100))
    programme_id = fields.Integer(load_default=None, allow_none=True, validate=number(1, MAX_ID),
                                  metadata={"description": "The target group (staff only; the "
                                                           "candidate's programme if null)."})
    wage_subsidy = fields.Enum(WageSubsidy, by_value=True, load_default=None, allow_none=True,
                               metadata={"description": "Staff only; null: unchanged (none "
                                                        "for a hire)."})


class SuspensionSchema(ApiSchema):
    id = fields.Integer(required=True)
    first_day = fields.Date(required=True)
    last_day = fields.Date(required=True)


class PlacementSchema(ApiSchema):
    id = fields.Integer(required=True)
    case_id = fields.Integer(required=True)
    vacancy_id = fields.Integer(required=True)
    contract_id = fields.Integer(required=True)
    supplier_id = fields.Integer(required=True)
    candidate_id = fields.Integer(allow_none=True,
                                  metadata={"description": "Staff only; null for suppliers."})
    candidate_name = fields.String(allow_none=True, metadata={
        "description": "Staff: the name (null once erased). A supplier: only while consent "
                       "released it for the hire's case."})
    pseudonym = fields.String(allow_none=True,
                              metadata={"description": "The supplier's pseudonym (suppliers)."})
    programme_id = fields.Integer(allow_none=True, metadata={"description": "Staff only."})
    wage_subsidy = fields.Enum(WageSubsidy, by_value=True, allow_none=True,
                               metadata={"description": "Staff only."})
    start_date = fields.Date(required=True)
    planned_end = fields.Date(allow_none=True)
    employment_form = fields.Enum(EmploymentForm, by_value=True, required=True)
    hours_per_week = fields.Integer(allow_none=True)
    extent_percent = fields.Integer(allow_none=True)
    offered_on = fields.Date(required=True)
    ended_on = fields.Date(allow_none=True)
    end_reason = fields.Enum(EndReason, by_value=True, allow_none=True)
    suspensions = fields.List(fields.Nested(SuspensionSchema), required=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


PlacementPageSchema = page_schema(PlacementSchema, "PlacementPage")


class PlacementListArgsSchema(PageArgsSchema):
    contract_id = fields.Integer(load_default=None, validate=number(1, MAX_ID))
    ended = fields.Boolean(load_default=None, allow_none=True,
                           metadata={"description": "true: ended only; false: running only."})


class EndInSchema(ApiSchema):
    ended_on = fields.Date(required=True, validate=day(),
                           metadata={"description": "The last day of the employment."})
    end_reason = fields.Enum(EndReason, by_value=True, required=True)


class SuspensionInSchema(ApiSchema):
    first_day = fields.Date(required=True, validate=day())
    last_day = fields.Date(required=True, validate=day())


# ---------------------------------------------------------------- how a placement is shown


def _names(placements: list[Placement], purpose: str) -> dict[int, dict[str, Any]]:
    """Who each placement's employee is to this member, by placement id; each one audited."""
    supplier_id = _supplier_id()
    candidate_ids = sorted({p.candidate_id for p in placements})
    if supplier_id is None:
        shown = {p.id: {"candidate_id": p.candidate_id, "candidate_name": p.candidate.name,
                        "pseudonym": None, "programme_id": p.programme_id,
                        "wage_subsidy": p.wage_subsidy} for p in placements}
    else:
        pseudonyms = _pseudonyms(supplier_id, candidate_ids)
        shown = {p.id: {"candidate_id": None, "candidate_name": _released_name(p),
                        "pseudonym": pseudonyms[p.candidate_id], "programme_id": None,
                        "wage_subsidy": None} for p in placements}
    if purpose:
        record_reads(audit_db(), current_member(), CANDIDATE, candidate_ids, purpose,
                     supplier_id)
    return shown


def _released_name(placement: Placement) -> str | None:
    return placement.candidate.name if identity_released(placement.case) else None


def _as_json(placements: list[Placement], purpose: str = "") -> list[dict[str, Any]]:
    """The placements as this member may see them; audited when `purpose` is given (an ETag
    check computes the representation without showing it)."""
    names = _names(placements, purpose)
    return [
        {
            "id": p.id, "case_id": p.case_id, "vacancy_id": p.vacancy_id,
            "contract_id": p.vacancy.contract_id, "supplier_id": p.vacancy.contract.supplier_id,
            **names[p.id],
            "start_date": p.start_date, "planned_end": p.planned_end,
            "employment_form": p.employment_form, "hours_per_week": p.hours_per_week,
            "extent_percent": p.extent_percent, "offered_on": p.offered_on,
            "ended_on": p.ended_on, "end_reason": p.end_reason,
            "suspensions": list(p.suspensions),
            "created_at": p.created_at, "updated_at": p.updated_at,
        }
        for p in placements
    ]


def _one(placement_id: int, purpose: str = "api placement") -> dict[str, Any]:
    return _as_json([_placement_or_404(placement_id)], purpose)[0]


def _placement_or_404(placement_id: int) -> Placement:
    placement = ops.get_placement(tenant_db(), placement_id, _supplier_id())
    if placement is None:
        raise ApiError(404)
    return placement


def _check_etag(placement_id: int) -> None:
    """412 unless If-Match names the placement as this member last read it."""
    bp.check_etag(_one(placement_id, purpose=""), PlacementSchema)


def _terms(data: dict[str, Any]) -> ops.PlacementTerms:
    if _supplier_id() is not None:
        given = [name for name in STAFF_ONLY if data[name] is not None]
        if given:
            message = _l("Bara kommunens personal anger målgrupp och anställningsstöd.")
            raise InvalidInput(message, given[0], others=[InvalidInput(message, n)
                                                          for n in given[1:]])
    return ops.PlacementTerms(**data)


# ---------------------------------------------------------------- routes


@bp.route("/placements/", methods=["GET"])
@requires_role(*READERS)
@bp.arguments(PlacementListArgsSchema, location="query")
@bp.response(200, PlacementPageSchema)
def list_placements(args: dict[str, Any]) -> Page[dict[str, Any]]:
    """Placements by id: every one (staff), your own (suppliers)"""
    query = ops.placements_query(_supplier_id(), args["ended"])
    if args["contract_id"] is not None:
        query = query.where(Vacancy.contract_id == args["contract_id"])
    page = paginate(tenant_db(), query, Placement.id, limit=args["limit"], cursor=args["cursor"])
    return Page(_as_json(page.items, "api placement list"), page.next_cursor)


@bp.route("/placements/<int:placement_id>")
class PlacementResource(MethodView):
    @requires_role(*READERS)
    @bp.etag
    @bp.response(200, PlacementSchema)
    def get(self, placement_id: int) -> dict[str, Any]:
        """One placement (a supplier's own only)"""
        return _one(placement_id)

    @requires_role(*READERS)
    @found_first(_placement_or_404)
    @bp.etag
    @bp.arguments(TermsInSchema)
    @bp.response(200, PlacementSchema)
    def put(self, data: dict[str, Any], placement_id: int) -> dict[str, Any]:
        """Change the employment's terms (If-Match); the start only while it lies ahead"""
        _check_etag(placement_id)
        placement = _placement_or_404(placement_id)
        ops.update_placement(tenant_db(), placement, _terms(data), current_member(),
                             today=date.today())
        return _one(placement.id)


@bp.route("/placements/<int:placement_id>/end", methods=["PUT"])
@requires_role(*READERS)
@found_first(_placement_or_404)
@bp.etag
@bp.arguments(EndInSchema)
@bp.response(200, PlacementSchema)
def end(data: dict[str, Any], placement_id: int) -> dict[str, Any]:
    """Record or correct how and when the employment ended (If-Match: the placement's ETag)"""
    _check_etag(placement_id)
    placement = _placement_or_404(placement_id)
    ops.end_placement(tenant_db(), placement, data["ended_on"], data["end_reason"],
                      current_member())
    return _one(placement.id)


@bp.route("/placements/<int:placement_id>/suspensions", methods=["POST"])
@requires_role(*READERS)
@found_first(_placement_or_404)
@bp.arguments(SuspensionInSchema)
@bp.response(201, PlacementSchema)
def suspend(data: dict[str, Any], placement_id: int) -> dict[str, Any]:
    """Record leave (days inclusive, within the employment); it does not count as worked"""
    placement = _placement_or_404(placement_id)
    ops.add_suspension(tenant_db(), placement, data["first_day"], data["last_day"],
                       current_member())
    return _one(placement.id)


def _suspension_or_404(placement_id: int, suspension_id: int) -> Any:
    placement = _placement_or_404(placement_id)
    found = next((s for s in placement.suspensions if s.id == suspension_id), None)
    if found is None:
        raise ApiError(404)
    return found


@bp.route("/placements/<int:placement_id>/suspensions/<int:suspension_id>", methods=["DELETE"])
@requires_role(*READERS)
@found_first(_suspension_or_404)
@bp.etag
@bp.response(200, PlacementSchema)
def unsuspend(placement_id: int, suspension_id: int) -> dict[str, Any]:
    """Remove a suspension (If-Match: the placement's ETag); answers the placement"""
    _check_etag(placement_id)
    placement = _placement_or_404(placement_id)
    suspension = _suspension_or_404(placement_id, suspension_id)
    ops.remove_suspension(tenant_db(), placement, suspension, current_member())
    return _one(placement.id)


def _hire_case_or_404(case_id: int) -> Case:
    """The case, if this member may hire through it: the staff any, a supplier its own."""
    case = tenant_db().get(Case, case_id)
    supplier_id = _supplier_id()
    if case is None or (supplier_id is not None and case.supplier_id != supplier_id):
        raise ApiError(404)
    return case


@bp.route("/cases/<int:case_id>/hire", methods=["POST"])
@requires_role(Role.SUPPLIER, Role.COORDINATOR, Role.ADMIN)
@found_first(_hire_case_or_404)
@bp.arguments(TermsInSchema)
@bp.response(201, PlacementSchema)
def hire(data: dict[str, Any], case_id: int) -> dict[str, Any]:
    """Record the hire of an offered case: its placement, and the case becomes `hired`
    (409 for a case that is not offered)"""
    case = _hire_case_or_404(case_id)
    if case.state is not CaseState.OFFERED:
        raise ApiError(409, "case_not_offered",
                       _l("Bara ett ärende där anställning har erbjudits kan registreras som "
                          "anställning."))
    placement = ops.record_hire(tenant_db(), case, _terms(data), current_member())
    return _one(placement.id, "api hire")
