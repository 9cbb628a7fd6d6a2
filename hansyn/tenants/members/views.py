"""The admin's page of the municipality's people: staff roles, invitations, deactivation."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from hansyn.errors import InvalidInput
from hansyn.platform import invitations
from hansyn.platform.forms import ButtonForm, refuse
from hansyn.platform.mail import MailNotSentError
from hansyn.platform.models import Role, Tenant
from hansyn.platform.pagination import page_cursor, search_text
from hansyn.platform.request_db import control_db, tenant_db, writes_control_plane
from hansyn.tenants.context import current_member, current_tenant, requires_role
from hansyn.tenants.members import operations
from hansyn.tenants.members.forms import RolesForm, StaffInviteForm
from hansyn.tenants.menu import ROLE_LABELS, register_menu_item
from hansyn.tenants.suppliers.operations import list_suppliers

bp = Blueprint("members", __name__)


def _tenant() -> Tenant:
    tenant = control_db().get(Tenant, current_tenant().id)
    assert tenant is not None  # noqa: S101 - the tenant guard loaded it
    return tenant


def _person(user_id: int) -> operations.Person:
    person = operations.get_person(control_db(), current_tenant().id, user_id)
    if person is None:
        abort(404)
    return person


def _render_index(invite: StaffInviteForm | None = None) -> str:
    tenant_id, words = current_tenant().id, search_text()
    staff, supplier_users = (
        operations.people_page(control_db(), tenant_id, staff=is_staff, words=words,
                               cursor=page_cursor(name), cursor_arg=name)
        for is_staff, name in ((True, "personal"), (False, "leverantorer"))
    )
    return render_template(
        "tenants/members/index.html",
        staff=staff,
        supplier_users=supplier_users,
        words=words,
        suppliers={s.id: s.name for s in list_suppliers(tenant_db())},
        pending=invitations.open_invitations(control_db(), tenant_id),
        invite=invite or StaffInviteForm(formdata=None), button=ButtonForm(),
        role_labels=ROLE_LABELS, me=current_member().user_id,
    )


@bp.route("/")
@requires_role(Role.ADMIN)
def index() -> str:
    return _render_index()


@bp.route("/invite", methods=["POST"])
@writes_control_plane
@requires_role(Role.ADMIN)
def invite() -> str | Response:
    form = StaffInviteForm()
    if not form.validate_on_submit():
        return _render_index(form)
    role = Role(form.role.data)
    try:
        sent = operations.invite_staff(
            control_db(), tenant_db(), _tenant(), form.email.data or "", form.name.data or "",
            role, current_member(),
        )
        invitations.mail_invitation(
            sent, inviter=current_user.name, role_name=ROLE_LABELS[role]
        )
    except InvalidInput as error:
        refuse(form, error)
        return _render_index(form)
    except MailNotSentError:
        refuse(form, InvalidInput(_l("E-posten kunde inte skickas. Försök igen om en stund.")))
        return _render_index(form)
    flash(_("En inbjudan har skickats till %(email)s.", email=sent.invitation.email), "success")
    return redirect(url_for(".index"))


@bp.route("/<int:user_id>/roles", methods=["GET", "POST"])
@writes_control_plane
@requires_role(Role.ADMIN)
def roles(user_id: int) -> str | Response:
    person = _person(user_id)
    form = RolesForm(data={"roles": [r.value for r in person.roles]})
    if form.validate_on_submit():
        try:
            operations.set_staff_roles(
                control_db(), tenant_db(), _tenant(), person,
                {Role(value) for value in form.roles.data or []}, current_member(),
            )
        except InvalidInput as error:
            refuse(form, error)
        else:
            flash(_("Rollerna för %(name)s är sparade.", name=person.user.name), "success")
            return redirect(url_for(".index"))
    return render_template("tenants/members/roles.html", person=person, form=form)


def _act(user_id: int, action: str) -> Response:
    person = _person(user_id)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    act = operations.remove_from_tenant if action == "remove" else operations.deactivate
    try:
        act(control_db(), tenant_db(), _tenant(), person, current_member())
    except InvalidInput as error:
        refuse(None, error)
    else:
        done = (
            _("%(name)s har inte längre någon roll i kommunen.", name=person.user.name)
            if action == "remove"
            else _("Kontot för %(name)s är avstängt.", name=person.user.name)
        )
        flash(done, "success")
    return redirect(url_for(".index"))


@bp.route("/<int:user_id>/remove", methods=["POST"])
@writes_control_plane
@requires_role(Role.ADMIN)
def remove(user_id: int) -> Response:
    return _act(user_id, "remove")


@bp.route("/<int:user_id>/deactivate", methods=["POST"])
@writes_control_plane
@requires_role(Role.ADMIN)
def deactivate(user_id: int) -> Response:
    return _act(user_id, "deactivate")


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
@writes_control_plane
@requires_role(Role.ADMIN)
def revoke_invitation(invitation_id: int) -> Response:
    invitation = operations.get_open_invitation(control_db(), current_tenant().id, invitation_id)
    if invitation is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    operations.revoke_invitation(control_db(), tenant_db(), invitation, current_member())
    flash(_("Inbjudan till %(email)s är återkallad.", email=invitation.email), "success")
    return redirect(url_for(".index"))


register_menu_item("tenant.members.index", _l("Användare"), Role.ADMIN, order=80)
