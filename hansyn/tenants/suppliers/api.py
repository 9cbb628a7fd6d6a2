"""Suppliers in the JSON API: the municipality admin's register, as on the pages."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import fields
from sqlalchemy import select

from hansyn.platform.api.errors import ApiError
from hansyn.platform.api.loading import found_first
from hansyn.platform.api.pagination import Page, paginate
from hansyn.platform.api.parsing import Blueprint
from hansyn.platform.api.schemas import ApiSchema, PageArgsSchema, UtcDateTime, length, page_schema
from hansyn.platform.models import Role
from hansyn.platform.request_db import tenant_db
from hansyn.tenants.context import current_member, requires_role
from hansyn.tenants.suppliers import operations
from hansyn.tenants.suppliers.models import Supplier

bp = Blueprint("suppliers", __name__, description="Suppliers (admins).")


class SupplierInSchema(ApiSchema):
    name = fields.String(required=True, validate=length(200))
    org_number = fields.String(required=True, validate=length(20),
                               metadata={"description": "Organisationsnummer, 556677-8899"})
    contact_name = fields.String(load_default=None, allow_none=True, validate=length(200))
    contact_email = fields.String(load_default=None, allow_none=True, validate=length(254))
    contact_phone = fields.String(load_default=None, allow_none=True, validate=length(40))


class SupplierSchema(ApiSchema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    org_number = fields.Function(lambda s: operations.format_org_number(s.org_number),
                                 required=True, metadata={"type": "string"})
    contact_name = fields.String(allow_none=True)
    contact_email = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)
    created_at = UtcDateTime(required=True)


SupplierPageSchema = page_schema(SupplierSchema, "SupplierPage")


def _data(data: dict[str, Any]) -> operations.SupplierData:
    return operations.SupplierData(**data)


def _supplier_or_404(supplier_id: int) -> Supplier:
    supplier = operations.get_supplier(tenant_db(), supplier_id)
    if supplier is None:
        raise ApiError(404)
    return supplier


@bp.route("/")
class Suppliers(MethodView):
    @requires_role(Role.ADMIN)
    @bp.arguments(PageArgsSchema, location="query")
    @bp.response(200, SupplierPageSchema)
    def get(self, args: dict[str, Any]) -> Page[Supplier]:
        """The municipality's suppliers, by id"""
        return paginate(tenant_db(), select(Supplier), Supplier.id, limit=args["limit"],
                        cursor=args["cursor"])

    @requires_role(Role.ADMIN)
    @bp.arguments(SupplierInSchema)
    @bp.response(201, SupplierSchema)
    def post(self, data: dict[str, Any]) -> Supplier:
        """Register a supplier"""
        return operations.create_supplier(tenant_db(), _data(data), current_member())


@bp.route("/<int:supplier_id>")
class SupplierResource(MethodView):
    @requires_role(Role.ADMIN)
    @bp.etag
    @bp.response(200, SupplierSchema)
    def get(self, supplier_id: int) -> Supplier:
        """One supplier"""
        return _supplier_or_404(supplier_id)

    @requires_role(Role.ADMIN)
    @found_first(_supplier_or_404)
    @bp.etag
    @bp.arguments(SupplierInSchema)
    @bp.response(200, SupplierSchema)
    def put(self, data: dict[str, Any], supplier_id: int) -> Supplier:
        """Replace a supplier's details (If-Match: the ETag you read)"""
        supplier = _supplier_or_404(supplier_id)
        bp.check_etag(supplier, SupplierSchema)
        return operations.update_supplier(tenant_db(), supplier, _data(data), current_member())
