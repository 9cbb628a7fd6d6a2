"""The admin's supplier pages: list, create, edit, and the supplier's users."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from hansyn.errors import InvalidInput
from hansyn.platform import invitations
from hansyn.platform.forms import refuse
from hansyn.platform.mail import MailNotSentError
from hansyn.platform.models import Membership, Role, Tenant
from hansyn.platform.pagination import page_cursor, paginate, search_text
from hansyn.platform.request_db import control_db, tenant_db, writes_control_plane
from hansyn.tenants.context import current_member, current_tenant, requires_role
from hansyn.tenants.contracts.operations import contract_counts, contracts_of_supplier
from hansyn.tenants.menu import ROLE_LABELS, register_menu_item
from hansyn.tenants.suppliers import operations
from hansyn.tenants.suppliers.forms import ConfirmForm, InviteForm, SupplierForm
from hansyn.tenants.suppliers.models import Supplier

bp = Blueprint("suppliers", __name__)


def _load(supplier_id: int) -> Supplier:
    supplier = operations.get_supplier(tenant_db(), supplier_id)
    if supplier is None:
        abort(404)
    return supplier


def _data(form: SupplierForm) -> operations.SupplierData:
    return operations.SupplierData(
        name=form.name.data or "", org_number=form.org_number.data or "",
        contact_name=form.contact_name.data, contact_email=form.contact_email.data,
        contact_phone=form.contact_phone.data,
    )


@bp.route("/")
@requires_role(Role.ADMIN)
def index() -> str:
    session = tenant_db()
    words = search_text()
    page = paginate(
        session, operations.search_suppliers(words), (Supplier.name, Supplier.id),
        cursor=page_cursor(),
    )
    return render_template(
        "tenants/suppliers/index.html", page=page, words=words,
        contracts=contract_counts(session), org=operations.format_org_number,
    )


@bp.route("/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def create() -> str | Response:
    form = SupplierForm()
    if form.validate_on_submit():
        try:
            supplier = operations.create_supplier(tenant_db(), _data(form), current_member())
        except InvalidInput as error:
            refuse(form, error)
        else:
            flash(_("Leverantören %(name)s är registrerad.", name=supplier.name), "success")
            return redirect(url_for(".detail", supplier_id=supplier.id))
    return render_template("tenants/suppliers/form.html", form=form, supplier=None)


@bp.route("/<int:supplier_id>/edit", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def edit(supplier_id: int) -> str | Response:
    supplier = _load(supplier_id)
    form = SupplierForm(obj=supplier)
    if not form.is_submitted():
        form.org_number.data = operations.format_org_number(supplier.org_number)
    if form.validate_on_submit():
        try:
            operations.update_supplier(tenant_db(), supplier, _data(form), current_member())
        except InvalidInput as error:
            refuse(form, error)
        else:
            flash(_("Uppgifterna är sparade."), "success")
            return redirect(url_for(".detail", supplier_id=supplier.id))
    return render_template("tenants/suppliers/form.html", form=form, supplier=supplier)


def _render_detail(supplier: Supplier, invite: InviteForm | None = None) -> str:
    tenant = current_tenant()
    users = operations.supplier_memberships(control_db(), tenant.id, supplier.id)
    return render_template(
        "tenants/suppliers/detail.html", supplier=supplier, org=operations.format_org_number,
        contracts=contracts_of_supplier(tenant_db(), supplier.id), users=users,
        pending=operations.supplier_invitations(control_db(), tenant.id, supplier.id),
        invite=invite or InviteForm(formdata=None), confirm=ConfirmForm(),
    )


@bp.route("/<int:supplier_id>")
@requires_role(Role.ADMIN)
def detail(supplier_id: int) -> str:
    return _render_detail(_load(supplier_id))


@bp.route("/<int:supplier_id>/users", methods=["POST"])
@writes_control_plane
@requires_role(Role.ADMIN)
def invite(supplier_id: int) -> str | Response:
    """Send an invitation by e-mail. The answer never says whether the address has an account."""
    supplier = _load(supplier_id)
    form = InviteForm()
    if not form.validate_on_submit():
        return _render_detail(supplier, form)
    tenant = control_db().get(Tenant, current_tenant().id)
    assert tenant is not None  # noqa: S101 - the tenant guard loaded it
    try:
        sent = operations.invite_supplier_user(
            control_db(), tenant_db(), tenant, supplier, form.email.data or "",
            form.name.data or "", current_member(),
        )
        invitations.mail_invitation(
            sent, inviter=current_user.name, role_name=ROLE_LABELS[Role.SUPPLIER],
            supplier_name=supplier.name,
        )
    except InvalidInput as error:
        refuse(form, error)
        return _render_detail(supplier, form)
    except MailNotSentError:
        refuse(form, InvalidInput(_l("E-posten kunde inte skickas. Försök igen om en stund.")))
        return _render_detail(supplier, form)
    flash(_("En inbjudan har skickats till %(email)s.", email=sent.invitation.email), "success")
    return redirect(url_for(".detail", supplier_id=supplier.id))


def _load_membership(supplier: Supplier, membership_id: int) -> Membership:
    membership = operations.get_supplier_membership(
        control_db(), current_tenant().id, supplier.id, membership_id
    )
    if membership is None:
        abort(404)
    return membership


@bp.route("/<int:supplier_id>/users/<int:membership_id>/remove", methods=["POST"])
@writes_control_plane
@requires_role(Role.ADMIN)
def remove_user(supplier_id: int, membership_id: int) -> Response:
    supplier = _load(supplier_id)
    membership = _load_membership(supplier, membership_id)
    email = membership.user.email
    operations.remove_supplier_user(control_db(), tenant_db(), membership, current_member())
    flash(_("%(email)s har inte längre tillgång till leverantörens sidor.", email=email), "success")
    return redirect(url_for(".detail", supplier_id=supplier.id))


register_menu_item("tenant.suppliers.index", _l("Leverantörer"), Role.ADMIN, order=30)

