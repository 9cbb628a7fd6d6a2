"""The tenant admin's programme catalogue: list, add, rename, deactivate, delete unused."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from hansyn.errors import InvalidInput
from hansyn.platform.forms import refuse
from hansyn.platform.models import Role
from hansyn.platform.pagination import page_cursor, paginate
from hansyn.platform.request_db import tenant_db
from hansyn.tenants.context import current_member, requires_role
from hansyn.tenants.menu import register_menu_item
from hansyn.tenants.programmes import operations
from hansyn.tenants.programmes.forms import ProgrammeActionForm, ProgrammeForm
from hansyn.tenants.programmes.models import Programme

bp = Blueprint("programmes", __name__)


def _programme_or_404(programme_id: int) -> Programme:
    programme = tenant_db().get(Programme, programme_id)
    if programme is None:
        abort(404)
    return programme


@bp.route("/", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def index() -> str | WerkzeugResponse:
    session = tenant_db()
    form = ProgrammeForm()
    if form.validate_on_submit():
        try:
            operations.add_programme(session, form.name.data or "", current_member())
        except InvalidInput as error:
            refuse(form, error)
        else:
            flash(_("Programmet är tillagt."), "success")
            return redirect(url_for(".index"))
    page = paginate(
        session, select(Programme), (Programme.sort_order, Programme.id), cursor=page_cursor()
    )
    return render_template(
        "tenants/programmes/index.html",
        form=form,
        page=page,
        uses={p.id: operations.uses(session, p) for p in page.items},
        action_form=ProgrammeActionForm(),
    )


@bp.route("/<int:programme_id>/edit", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def edit(programme_id: int) -> str | WerkzeugResponse:
    programme = _programme_or_404(programme_id)
    form = ProgrammeForm(data={"name": programme.name})
    if form.validate_on_submit():
        try:
            operations.rename_programme(
                tenant_db(), programme, form.name.data or "", current_member()
            )
        except InvalidInput as error:
            refuse(form, error)
        else:
            flash(_("Programmet har bytt namn."), "success")
            return redirect(url_for(".index"))
    return render_template("tenants/programmes/edit.html", form=form, programme=programme)


@bp.route("/<int:programme_id>/active", methods=["POST"])
@requires_role(Role.ADMIN)
def toggle(programme_id: int) -> WerkzeugResponse:
    programme = _programme_or_404(programme_id)
    if not ProgrammeActionForm().validate_on_submit():
        abort(400)
    operations.set_active(tenant_db(), programme, not programme.active, current_member())
    flash(
        _("Programmet är aktivt.") if programme.active else _("Programmet är inaktiverat."),
        "success",
    )
    return redirect(url_for(".index"))


@bp.route("/<int:programme_id>/delete", methods=["POST"])
@requires_role(Role.ADMIN)
def delete(programme_id: int) -> WerkzeugResponse:
    programme = _programme_or_404(programme_id)
    if not ProgrammeActionForm().validate_on_submit():
        abort(400)
    try:
        operations.delete_programme(tenant_db(), programme, current_member())
    except InvalidInput as error:
        refuse(None, error)
    else:
        flash(_("Programmet är borttaget."), "success")
    return redirect(url_for(".index"))


register_menu_item("tenant.programmes.index", _l("Program och målgrupper"), Role.ADMIN, order=50)
