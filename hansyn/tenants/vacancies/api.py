"""Vacancies in the JSON API, reached through their contract as on the pages: a supplier posts
and edits its own, admins and coordinators read all; and a supplier's ranked, pseudonymised
candidates for one of its open vacancies, with the "ask to meet" request (the matches domain)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate
from sqlalchemy import select

from hansyn.platform.api.errors import ApiError
from hansyn.platform.api.loading import found_first
from hansyn.platform.api.pagination import Page, paginate
from hansyn.platform.api.parsing import Blueprint
from hansyn.platform.api.schemas import (
    ApiSchema,
    PageArgsSchema,
    UtcDateTime,
    items,
    length,
    number,
    page_schema,
)
from hansyn.platform.models import Role
from hansyn.platform.request_db import tenant_db
from hansyn.tenants.context import current_member, requires_role
from hansyn.tenants.contracts.models import Contract
from hansyn.tenants.matches import operations as match_ops
from hansyn.tenants.matches.models import Case, CaseState
from hansyn.tenants.matches.views import ranked_for_supplier
from hansyn.tenants.vacancies import operations as ops
from hansyn.tenants.vacancies.forms import (
    LICENCE_CLASSES,
    MAX_DURATION_MONTHS,
    MAX_POSITIONS,
    lines,
)
from hansyn.tenants.vacancies.models import MAX_HOURS_PER_WEEK, Extent, Vacancy, VacancyStatus

bp = Blueprint("vacancies", __name__, description="Vacancies on suppliers' contracts.")
READERS = (Role.SUPPLIER, Role.ADMIN, Role.COORDINATOR)
MATCH_PURPOSE = "supplier list api"
LIST_ITEMS = ops.MAX_LIST_ITEMS


def _texts(description: str | None = None) -> fields.List:
    return fields.List(fields.String(validate=length(ops.MAX_ITEM_LENGTH)), load_default=list,
                       validate=items(LIST_ITEMS), metadata={"description": description or ""})


class VacancyInSchema(ApiSchema):
    title = fields.String(required=True, validate=length(200, 1))
    occupation = fields.String(required=True, validate=length(200, 1),
                               metadata={"description": "An occupation of the JobTech taxonomy."})
    required_skills = _texts()
    desired_skills = _texts()
    required_languages = _texts("e.g. \"svenska B1\"")
    driving_licence = fields.String(load_default=None, allow_none=True,
                                    validate=validate.OneOf(LICENCE_CLASSES))
    locality = fields.String(required=True, validate=length(200, 1))
    locality_id = fields.String(load_default="", validate=length(20))
    positions = fields.Integer(load_default=1, validate=number(1, MAX_POSITIONS))
    start_date = fields.Date(required=True)
    duration_months = fields.Integer(load_default=None, allow_none=True,
                                     validate=number(1, MAX_DURATION_MONTHS))
    extent = fields.Enum(Extent, by_value=True, required=True)
    hours_per_week = fields.Integer(load_default=MAX_HOURS_PER_WEEK,
                                    validate=number(1, MAX_HOURS_PER_WEEK))


class VacancyUpdateSchema(VacancyInSchema):
    status = fields.Enum(VacancyStatus, by_value=True, required=True)


class VacancySchema(ApiSchema):
    id = fields.Integer(required=True)
    contract_id = fields.Integer(required=True)
    supplier_id = fields.Function(lambda v: v.contract.supplier_id, required=True,
                                  metadata={"type": "integer"})
    title = fields.String(required=True)
    occupation = fields.String(attribute="occupation_label", required=True)
    occupation_key = fields.String(required=True)
    required_skills = fields.List(fields.String(), required=True)
    desired_skills = fields.List(fields.String(), required=True)
    required_languages = fields.List(fields.String(), required=True)
    driving_licence = fields.String(allow_none=True)
    locality = fields.String(attribute="locality_name", required=True)
    locality_id = fields.String(required=True)
    positions = fields.Integer(required=True)
    start_date = fields.Date(required=True)
    duration_months = fields.Integer(allow_none=True)
    extent = fields.Enum(Extent, by_value=True, required=True)
    hours_per_week = fields.Integer(required=True)
    status = fields.Enum(VacancyStatus, by_value=True, required=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


VacancyPageSchema = page_schema(VacancySchema, "VacancyPage")


class VacancyListArgsSchema(PageArgsSchema):
    status = fields.Enum(VacancyStatus, by_value=True, load_default=None)


class MatchedTermSchema(ApiSchema):
    wanted = fields.String(required=True)
    offered = fields.String(required=True)
    similarity = fields.Float(required=True)


class RankedCandidateSchema(ApiSchema):
    """A candidate as the supplier may see one: a pseudonym, never who it is."""

    pseudonym = fields.String(required=True, metadata={"description": "Yours only, e.g. K-7F3A9C"})
    score = fields.Float(required=True)
    distance_km = fields.Integer(allow_none=True,
                                 metadata={"description": "Rounded up to 5 km steps."})
    skills = fields.List(fields.String(), required=True)
    languages = fields.List(fields.String(), required=True)
    driving_licences = fields.List(fields.String(), required=True)
    matched = fields.List(fields.Nested(MatchedTermSchema), required=True)
    missing = fields.List(fields.String(), required=True)
    meeting_requested = fields.Boolean(required=True)


class MatchesSchema(ApiSchema):
    vacancy_id = fields.Integer(required=True)
    status = fields.Enum(VacancyStatus, by_value=True, required=True)
    candidates = fields.List(fields.Nested(RankedCandidateSchema), required=True)


class MeetingInSchema(ApiSchema):
    pseudonym = fields.String(required=True, validate=length(16, 1))


class MeetingSchema(ApiSchema):
    case_id = fields.Integer(attribute="id", required=True)
    vacancy_id = fields.Integer(required=True)
    state = fields.Enum(CaseState, by_value=True, required=True)


def _supplier_id() -> int | None:
    member = current_member()
    return member.supplier_id if member.has(Role.SUPPLIER) else None


def _reads_all() -> bool:
    return current_member().has(Role.ADMIN, Role.COORDINATOR)


def _own_vacancy_or_404(contract_id: int, vacancy_id: int) -> Vacancy:
    supplier_id = _supplier_id()
    vacancy = (ops.get_vacancy(tenant_db(), contract_id, vacancy_id, supplier_id)
               if supplier_id is not None else None)
    if vacancy is None:
        raise ApiError(404)
    return vacancy


def _readable_vacancy_or_404(contract_id: int, vacancy_id: int) -> Vacancy:
    if _reads_all():
        vacancy = ops.get_vacancy(tenant_db(), contract_id, vacancy_id, None)
        if vacancy is None:
            raise ApiError(404)
        return vacancy
    return _own_vacancy_or_404(contract_id, vacancy_id)


def _own_contract_or_404(contract_id: int) -> Contract:
    contract = next((c for c in ops.contracts_of(tenant_db(), _supplier_id())
                     if c.id == contract_id), None)
    if contract is None:
        raise ApiError(404)
    return contract


def _data(data: dict[str, Any], status: VacancyStatus = VacancyStatus.OPEN) -> ops.VacancyData:
    return ops.VacancyData(
        title=data["title"], occupation=data["occupation"].strip(),
        required_skills=lines("\n".join(data["required_skills"])),
        desired_skills=lines("\n".join(data["desired_skills"])),
        required_languages=lines("\n".join(data["required_languages"])),
        driving_licence=data["driving_licence"] or None, locality=data["locality"].strip(),
        locality_id=data["locality_id"].strip(), positions=data["positions"],
        start_date=data["start_date"], duration_months=data["duration_months"],
        extent=data["extent"], hours_per_week=data["hours_per_week"],
        status=data.get("status", status),
    )


@bp.route("/vacancies/", methods=["GET"])
@requires_role(*READERS)
@bp.arguments(VacancyListArgsSchema, location="query")
@bp.response(200, VacancyPageSchema)
def list_vacancies(args: dict[str, Any]) -> Page[Vacancy]:
    """Your own vacancies (suppliers), or every vacancy (admins, coordinators), by id"""
    supplier_id = None if _reads_all() else _supplier_id()
    query = _vacancies_query(supplier_id, args["status"])
    return paginate(tenant_db(), query, Vacancy.id, limit=args["limit"], cursor=args["cursor"])


def _vacancies_query(supplier_id: int | None, status: VacancyStatus | None) -> Any:
    query = select(Vacancy).join(Contract)
    if supplier_id is not None:
        query = query.where(Contract.supplier_id == supplier_id)
    if status is not None:
        query = query.where(Vacancy.status == status)
    return query


@bp.route("/contracts/<int:contract_id>/vacancies/", methods=["POST"])
@requires_role(Role.SUPPLIER)
@found_first(_own_contract_or_404)
@bp.arguments(VacancyInSchema)
@bp.response(201, VacancySchema)
def create_vacancy(data: dict[str, Any], contract_id: int) -> Vacancy:
    """Post a vacancy on one of your contracts (it opens at once)"""
    contract = _own_contract_or_404(contract_id)
    return ops.create_vacancy(tenant_db(), contract, _data(data), current_member())


@bp.route("/contracts/<int:contract_id>/vacancies/<int:vacancy_id>")
class VacancyResource(MethodView):
    @requires_role(*READERS)
    @bp.etag
    @bp.response(200, VacancySchema)
    def get(self, contract_id: int, vacancy_id: int) -> Vacancy:
        """One vacancy (a supplier's own only)"""
        return _readable_vacancy_or_404(contract_id, vacancy_id)

    @requires_role(Role.SUPPLIER)
    @found_first(_own_vacancy_or_404)
    @bp.etag
    @bp.arguments(VacancyUpdateSchema)
    @bp.response(200, VacancySchema)
    def put(self, data: dict[str, Any], contract_id: int, vacancy_id: int) -> Vacancy:
        """Replace your vacancy (If-Match: the ETag you read); `status` opens or closes"""
        vacancy = _own_vacancy_or_404(contract_id, vacancy_id)
        bp.check_etag(vacancy, VacancySchema)
        return ops.update_vacancy(tenant_db(), vacancy, _data(data), current_member())


@bp.route("/contracts/<int:contract_id>/vacancies/<int:vacancy_id>/matches", methods=["GET"])
@requires_role(Role.SUPPLIER)
@bp.response(200, MatchesSchema)
def matches(contract_id: int, vacancy_id: int) -> dict[str, Any]:
    """Your open vacancy's best candidates, ranked, pseudonymised (each one shown is audited)"""
    vacancy = _own_vacancy_or_404(contract_id, vacancy_id)
    ranked = ranked_for_supplier(vacancy, MATCH_PURPOSE)
    return {"vacancy_id": vacancy.id, "status": vacancy.status,
            "candidates": [c.as_json() for c in ranked]}


@bp.route("/contracts/<int:contract_id>/vacancies/<int:vacancy_id>/meeting-requests",
          methods=["POST"])
@requires_role(Role.SUPPLIER)
@found_first(_own_vacancy_or_404)
@bp.arguments(MeetingInSchema)
@bp.response(201, MeetingSchema)
def request_meeting(data: dict[str, Any], contract_id: int, vacancy_id: int) -> Case:
    """Ask to meet a candidate you were shown (by pseudonym); asking twice gives the same case"""
    vacancy = _own_vacancy_or_404(contract_id, vacancy_id)
    if vacancy.status is not VacancyStatus.OPEN:
        raise ApiError(409, "vacancy_not_open", _l("Annonsen är inte öppen."))
    return match_ops.request_meeting(tenant_db(), vacancy, vacancy.contract.supplier_id,
                                     data["pseudonym"], current_member())
