"""Personal API keys (`hansyn.platform.api_tokens`): each member creates and revokes their own,
for one of their roles in this municipality; an admin sees every live key of the municipality
and may revoke any (someone left, a system was retired). The key itself is shown once."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from hansyn.errors import InvalidInput
from hansyn.platform import api_tokens
from hansyn.platform.forms import refuse
from hansyn.platform.models import Membership, Role
from hansyn.platform.request_db import control_db, writes_control_plane
from hansyn.tenants.context import (
    active_tenant,
    current_member,
    current_tenant,
    requires_role,
    user_memberships,
)
from hansyn.tenants.menu import register_menu_item, role_label
from hansyn.tenants.tokens.forms import RevokeForm, TokenForm

bp = Blueprint("tokens", __name__)
EVERY_ROLE = tuple(Role)


def _memberships() -> dict[str, Membership]:
    tenant = active_tenant(current_tenant().slug)
    if tenant is None:
        abort(404)
    return {m.role.value: m for m in user_memberships(tenant, current_member().user_id)}


def _form() -> TokenForm:
    form = TokenForm()
    form.role.choices = [SelectChoice(role, role_label(Role(role))) for role in _memberships()]
    return form


def _page(form: TokenForm, created: api_tokens.NewToken | None = None) -> str:
    session, tenant, member = control_db(), current_tenant(), current_member()
    return render_template(
        "tenants/tokens/index.html",
        form=form,
        created=created,
        own=api_tokens.tokens_of_user(session, tenant.id, member.user_id),
        everyone=api_tokens.tokens_of_tenant(session, tenant.id) if member.has(Role.ADMIN) else [],
        revoke=RevokeForm(),
        now=api_tokens.utcnow(),
        role_label=role_label,
    )


@bp.route("/", methods=["GET"])
@requires_role(*EVERY_ROLE)
def index() -> str:
    return _page(_form())


@bp.route("/", methods=["POST"])
@writes_control_plane
@requires_role(*EVERY_ROLE)
def create() -> str:
    form = _form()
    if not form.validate_on_submit():
        return _page(form)
    membership = _memberships()[form.role.data or ""]
    try:
        created = api_tokens.create_token(
            control_db(), membership, form.name.data or "", form.expires_on.data  # type: ignore[arg-type]
        )
    except InvalidInput as error:
        refuse(form, error)
        return _page(form)
    return _page(_form(), created)


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@writes_control_plane
@requires_role(*EVERY_ROLE)
def revoke(token_id: int) -> Response:
    member = current_member()
    token = api_tokens.get_token(control_db(), current_tenant().id, token_id)
    own = token is not None and token.membership.user_id == member.user_id
    if token is None or not (own or member.has(Role.ADMIN)):
        abort(404)
    if not RevokeForm().validate_on_submit():
        abort(400)
    api_tokens.revoke_token(token)
    flash(_("Nyckeln ”%(name)s” är återkallad och fungerar inte längre.", name=token.name),
          "success")
    return redirect(url_for(".index"))


register_menu_item("tenant.tokens.index", _l("API-nycklar"), *EVERY_ROLE, order=95)
