"""Contracts and their social clause in the JSON API: the admin registers and edits them, a
supplier reads its own (another supplier's contract answers 404, as on the pages)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from marshmallow import fields
from sqlalchemy import select

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
    length,
    number,
    page_schema,
)
from hansyn.platform.models import Role
from hansyn.platform.request_db import tenant_db
from hansyn.tenants.context import current_member, requires_role
from hansyn.tenants.contracts import operations
from hansyn.tenants.contracts.followup import ClauseStatus, FirstHire, FollowUp
from hansyn.tenants.contracts.models import (
    DEFAULT_EARLY_END_SHARE,
    ClauseType,
    Contract,
    ServiceCategory,
)

bp = Blueprint("contracts", __name__, description="Contracts with a social clause.")
#: The clause's fields, named inside `clause` in the API's errors.
CLAUSE_FIELDS = ("clause_type", "full_time_months", "persons", "months_per_person",
                 "first_hire_deadline", "early_end_share", "target_groups", "description")


class ClauseInSchema(ApiSchema):
    clause_type = fields.Enum(ClauseType, by_value=True, required=True)
    full_time_months = fields.Integer(load_default=None, allow_none=True,
                                      validate=number(1, 10_000))
    persons = fields.Integer(load_default=None, allow_none=True, validate=number(1, 1_000))
    months_per_person = fields.Integer(load_default=None, allow_none=True,
                                       validate=number(1, 120))
    first_hire_deadline = fields.Date(load_default=None, allow_none=True)
    early_end_share = fields.Integer(load_default=DEFAULT_EARLY_END_SHARE, validate=number(0, 100))
    target_group_ids = fields.List(fields.Integer(validate=number(1, MAX_ID)),
                                   load_default=list,
                                   metadata={"description": "Programme ids (GET programmes)."})
    description = fields.String(load_default=None, allow_none=True, validate=length(4000))


class ContractInSchema(ApiSchema):
    reference = fields.String(required=True, validate=length(60),
                              metadata={"description": "Diarienummer of the procurement."})
    title = fields.String(required=True, validate=length(200))
    category = fields.Enum(ServiceCategory, by_value=True, required=True)
    supplier_id = fields.Integer(required=True, validate=number(1, MAX_ID))
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    clause = fields.Nested(ClauseInSchema, required=True)


class ClauseSchema(ApiSchema):
    clause_type = fields.Enum(ClauseType, by_value=True, required=True)
    full_time_months = fields.Integer(allow_none=True)
    persons = fields.Integer(allow_none=True)
    months_per_person = fields.Integer(allow_none=True)
    total_months = fields.Integer(required=True)
    first_hire_deadline = fields.Date(required=True)
    early_end_share = fields.Integer(required=True)
    target_group_ids = fields.Function(lambda c: [g.id for g in c.target_groups], required=True,
                                       metadata={"type": "array", "items": {"type": "integer"}})
    description = fields.String(allow_none=True)


class ContractSchema(ApiSchema):
    id = fields.Integer(required=True)
    reference = fields.String(required=True)
    title = fields.String(required=True)
    category = fields.Enum(ServiceCategory, by_value=True, required=True)
    supplier_id = fields.Integer(required=True)
    supplier_name = fields.Function(lambda c: c.supplier.name, required=True,
                                    metadata={"type": "string"})
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    clause = fields.Nested(ClauseSchema, allow_none=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


ContractPageSchema = page_schema(ContractSchema, "ContractPage")


def _data(data: dict[str, Any]) -> operations.ContractData:
    clause = data["clause"]
    return operations.ContractData(
        reference=data["reference"], title=data["title"], category=data["category"],
        supplier_id=data["supplier_id"], start_date=data["start_date"],
        end_date=data["end_date"],
        clause=operations.ClauseData(
            **{**clause, "target_group_ids": tuple(clause["target_group_ids"])}
        ),
    )


def _save(data: dict[str, Any], contract: Contract | None) -> Contract:
    try:
        return operations.save_contract(tenant_db(), _data(data), current_member(), contract)
    except InvalidInput as error:
        problems = [
            InvalidInput(p.message, f"clause.{p.field}" if p.field in CLAUSE_FIELDS else p.field)
            for p in error.problems
        ]
        raise InvalidInput(problems[0].message, problems[0].field, others=problems[1:]) from None


def _contract_or_404(contract_id: int) -> Contract:
    return operations.get_contract_for_member(tenant_db(), contract_id, current_member())


@bp.route("/")
class Contracts(MethodView):
    @requires_role(Role.ADMIN, Role.SUPPLIER)
    @bp.arguments(PageArgsSchema, location="query")
    @bp.response(200, ContractPageSchema)
    def get(self, args: dict[str, Any]) -> Page[Contract]:
        """Every contract (admins) or your own (suppliers), by id"""
        member = current_member()
        query = select(Contract)
        if not member.has(Role.ADMIN):
            query = query.where(Contract.supplier_id == (member.supplier_id or 0))
        return paginate(tenant_db(), query, Contract.id, limit=args["limit"],
                        cursor=args["cursor"])

    @requires_role(Role.ADMIN)
    @bp.arguments(ContractInSchema)
    @bp.response(201, ContractSchema)
    def post(self, data: dict[str, Any]) -> Contract:
        """Register a contract with its social clause"""
        return _save(data, None)


@bp.route("/<int:contract_id>")
class ContractResource(MethodView):
    @requires_role(Role.ADMIN, Role.SUPPLIER)
    @bp.etag
    @bp.response(200, ContractSchema)
    def get(self, contract_id: int) -> Contract:
        """One contract (a supplier's own only)"""
        member = current_member()
        contract = operations.get_contract_for_member(tenant_db(), contract_id, member)
        if not member.has(Role.ADMIN) and contract.supplier_id != member.supplier_id:
            raise ApiError(404)
        return contract

    @requires_role(Role.ADMIN)
    @found_first(_contract_or_404)
    @bp.etag
    @bp.arguments(ContractInSchema)
    @bp.response(200, ContractSchema)
    def put(self, data: dict[str, Any], contract_id: int) -> Contract:
        """Replace a contract and its clause (If-Match: the ETag you read)"""
        contract = operations.get_contract_for_member(tenant_db(), contract_id, current_member())
        bp.check_etag(contract, ContractSchema)
        return _save(data, contract)


class FollowUpSchema(ApiSchema):
    """Where the contract's employment requirement stands (the follow-up page's figures)."""

    contract_id = fields.Integer(required=True)
    required_months = fields.Float(required=True)
    delivered_months = fields.Float(required=True)
    planned_months = fields.Float(required=True,
                                  metadata={"description": "Delivered plus ongoing to plan."})
    remaining_months = fields.Float(required=True)
    status = fields.Enum(ClauseStatus, by_value=True, required=True)
    why = fields.List(fields.String(), required=True)
    first_hire = fields.Enum(FirstHire, by_value=True, required=True)
    first_hire_on = fields.Date(allow_none=True)
    met_on = fields.Date(allow_none=True, metadata={"description": "Reached, or forecast."})


class ContractFollowUpSchema(ApiSchema):
    """A row of the follow-up list: the contract, and its follow-up if its clause asks for
    months (null otherwise: a dialogue requirement is followed up in dialogue)."""

    contract_id = fields.Integer(required=True)
    reference = fields.String(required=True)
    title = fields.String(required=True)
    supplier_id = fields.Integer(required=True)
    supplier_name = fields.String(required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    follow_up = fields.Nested(FollowUpSchema, allow_none=True)


ContractFollowUpPageSchema = page_schema(ContractFollowUpSchema, "ContractFollowUpPage")
#: Who sees the follow-up: as the follow-up pages (a supplier its own contracts only).
FOLLOW_UP_READERS = (Role.ADMIN, Role.COORDINATOR, Role.SUPPLIER)


def _follow_up_json(contract: Contract, found: FollowUp | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "contract_id": contract.id, "required_months": float(found.required),
        "delivered_months": float(found.delivered), "planned_months": float(found.planned),
        "remaining_months": float(found.remaining), "status": found.status,
        "why": [str(w.value) for w in found.why], "first_hire": found.first_hire,
        "first_hire_on": found.first_hire_on, "met_on": found.met_on,
    }


def _visible_contract(contract_id: int) -> Contract:
    member = current_member()
    contract = operations.get_contract_for_member(tenant_db(), contract_id, member)
    if not member.has(Role.ADMIN, Role.COORDINATOR) and contract.supplier_id != member.supplier_id:
        raise ApiError(404)
    return contract


@bp.route("/follow-up", methods=["GET"])
@requires_role(*FOLLOW_UP_READERS)
@bp.arguments(PageArgsSchema, location="query")
@bp.response(200, ContractFollowUpPageSchema)
def follow_ups(args: dict[str, Any]) -> Page[dict[str, Any]]:
    """Every contract (staff) or your own (suppliers), by id, with its follow-up as of today"""
    from hansyn.tenants.placements.operations import contract_follow_ups

    member = current_member()
    query = select(Contract)
    if not member.has(Role.ADMIN, Role.COORDINATOR):
        query = query.where(Contract.supplier_id == (member.supplier_id or 0))
    page = paginate(tenant_db(), query, Contract.id, limit=args["limit"], cursor=args["cursor"])
    found = contract_follow_ups(tenant_db(), page.items, date.today())
    rows = [
        {"contract_id": c.id, "reference": c.reference, "title": c.title,
         "supplier_id": c.supplier_id, "supplier_name": c.supplier.name,
         "start_date": c.start_date, "end_date": c.end_date,
         "follow_up": _follow_up_json(c, found.get(c.id))}
        for c in page.items
    ]
    return Page(rows, page.next_cursor)


@bp.route("/<int:contract_id>/follow-up", methods=["GET"])
@requires_role(*FOLLOW_UP_READERS)
@bp.response(200, FollowUpSchema)
def follow_up(contract_id: int) -> dict[str, Any]:
    """The clause's follow-up as of today (a supplier's own contracts only); 404 for a contract
    whose clause asks for no months"""
    from hansyn.tenants.placements.operations import contract_follow_up

    contract = _visible_contract(contract_id)
    found = _follow_up_json(contract, contract_follow_up(tenant_db(), contract, date.today()))
    if found is None:
        raise ApiError(404, "not_followed_up", _l("Avtalets krav följs inte upp i månader."))
    return found
