"""The procurement register: the admin keeps it, analysts read it."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from hansyn.errors import InvalidInput
from hansyn.platform.forms import refuse
from hansyn.platform.models import Role
from hansyn.platform.pagination import page_cursor, paginate, search_text
from hansyn.platform.request_db import tenant_db
from hansyn.tenants.context import current_member, requires_role
from hansyn.tenants.contracts.labels import category_label
from hansyn.tenants.contracts.models import ServiceCategory
from hansyn.tenants.menu import register_menu_item
from hansyn.tenants.procurements import operations
from hansyn.tenants.procurements.forms import DeleteForm, ProcurementForm
from hansyn.tenants.procurements.labels import value_band_label
from hansyn.tenants.procurements.models import Procurement, ValueBand
from hansyn.tenants.statistics.exporting import csv_download

bp = Blueprint("procurements", __name__)


def _procurement_or_404(procurement_id: int) -> Procurement:
    procurement = tenant_db().get(Procurement, procurement_id)
    if procurement is None:
        abort(404)
    return procurement


def _form(procurement: Procurement | None) -> ProcurementForm:
    form = ProcurementForm(obj=procurement)
    contracts = operations.unregistered_contracts(tenant_db(), procurement)
    form.contract_id.choices = [("", _("Inget avtal i Hänsyn"))] + [
        (c.id, f"{c.title} ({c.reference})") for c in contracts
    ]
    if procurement is not None and not form.is_submitted():
        form.category.data = procurement.category.value
        form.value_band.data = procurement.value_band.value
    return form


def _data(form: ProcurementForm) -> operations.ProcurementData:
    return operations.ProcurementData(
        reference=form.reference.data, title=form.title.data or "",
        category=ServiceCategory(form.category.data), value_band=ValueBand(form.value_band.data),
        decided_on=form.decided_on.data,
        employment_requirement=bool(form.employment_requirement.data),
        contract_id=form.contract_id.data,
    )


def _save(form: ProcurementForm, procurement: Procurement | None) -> Procurement | None:
    if not form.validate_on_submit():
        return None
    try:
        return operations.save_procurement(
            tenant_db(), _data(form), current_member(), date.today(), procurement
        )
    except InvalidInput as error:
        refuse(form, error)
        return None


@bp.route("/")
@requires_role(Role.ADMIN, Role.ANALYST)
def index() -> str:
    """The register, newest registered first, 50 a page (keyset), searchable by title or
    reference."""
    words = search_text()
    page = paginate(tenant_db(), operations.search_procurements(words), (Procurement.id,),
                    cursor=page_cursor(), descending=True)
    return render_template(
        "tenants/procurements/index.html", page=page, procurements=page.items, words=words,
        is_admin=current_member().has(Role.ADMIN), category_label=category_label,
        value_band_label=value_band_label,
    )


@bp.route("/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def create() -> str | Response:
    form = _form(None)
    if _save(form, None) is not None:
        flash(_("Upphandlingen är registrerad."), "success")
        return redirect(url_for(".index"))
    return render_template("tenants/procurements/form.html", form=form, procurement=None)


@bp.route("/<int:procurement_id>/edit", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def edit(procurement_id: int) -> str | Response:
    procurement = _procurement_or_404(procurement_id)
    form = _form(procurement)
    if _save(form, procurement) is not None:
        flash(_("Upphandlingen är sparad."), "success")
        return redirect(url_for(".index"))
    return render_template("tenants/procurements/form.html", form=form, procurement=procurement,
                           delete_form=DeleteForm())


@bp.route("/<int:procurement_id>/delete", methods=["POST"])
@requires_role(Role.ADMIN)
def delete(procurement_id: int) -> Response:
    procurement = _procurement_or_404(procurement_id)
    if not DeleteForm().validate_on_submit():
        abort(400)
    operations.delete_procurement(tenant_db(), procurement, current_member())
    flash(_("Upphandlingen är borttagen ur registret."), "success")
    return redirect(url_for(".index"))


@bp.route("/register.csv")
@requires_role(Role.ADMIN, Role.ANALYST)
def export_csv() -> Response:
    rows: list[list[object]] = [[
        _("Diarienummer"), _("Benämning"), _("Tjänsteområde"), _("Uppskattat värde"),
        _("Tilldelningsbeslut"), _("Sysselsättningskrav"),
    ]]
    rows += [
        [p.reference or "", p.title, category_label(p.category), value_band_label(p.value_band),
         p.decided_on.isoformat(), _("ja") if p.employment_requirement else _("nej")]
        for p in operations.list_procurements(tenant_db())
    ]
    return csv_download(rows, "upphandlingar.csv")


register_menu_item("tenant.procurements.index", _l("Upphandlingar"), Role.ADMIN, Role.ANALYST,
                   order=70)
