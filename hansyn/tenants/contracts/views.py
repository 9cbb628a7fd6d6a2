"""Contract pages: the admin lists, creates and edits contracts with their social clause; a
supplier's users see their own contracts, read-only."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from hansyn.errors import InvalidInput
from hansyn.platform.forms import refuse
from hansyn.platform.models import Role
from hansyn.platform.pagination import page_cursor, paginate, search_text
from hansyn.platform.request_db import tenant_db
from hansyn.tenants.context import Member, current_member, requires_role
from hansyn.tenants.contracts import operations
from hansyn.tenants.contracts.followup import FollowUp
from hansyn.tenants.contracts.forms import ContractForm
from hansyn.tenants.contracts.labels import category_label, clause_type_label
from hansyn.tenants.contracts.models import ClauseType, Contract, ServiceCategory, SocialClause
from hansyn.tenants.menu import (
    DashboardSection,
    Link,
    register_dashboard_section,
    register_menu_item,
)
from hansyn.tenants.placements.labels import STATUS_LABELS
from hansyn.tenants.placements.operations import contract_follow_up, contract_follow_ups
from hansyn.tenants.programmes.models import Programme
from hansyn.tenants.suppliers.operations import format_org_number, list_suppliers

bp = Blueprint("contracts", __name__)
DASHBOARD_LIMIT = 8


def _helpers() -> dict[str, object]:
    return {
        "category_label": category_label,
        "clause_type_label": clause_type_label,
        "clause_summary": operations.clause_summary,
        "clause_scope": operations.clause_scope,
        "phase": lambda contract: operations.contract_phase(contract, date.today()),
        "org": format_org_number,
    }


def _form(contract: Contract | None = None) -> ContractForm:
    form = ContractForm(obj=contract)
    session = tenant_db()
    form.supplier_id.choices = [SelectChoice("", _("Välj leverantör"))] + [
        SelectChoice(s.id, s.name) for s in list_suppliers(session)
    ]
    clause = contract.clause if contract else None
    chosen = {group.id for group in clause.target_groups} if clause else set()
    # Inactive programmes stay listed where the clause already names them, so saving keeps them.
    programmes = session.scalars(
        select(Programme)
        .where(Programme.active.is_(True) | Programme.id.in_(chosen))
        .order_by(Programme.sort_order, Programme.id)
    )
    form.target_groups.choices = [SelectChoice(p.id, p.name) for p in programmes]
    if form.is_submitted():
        return form
    if contract is not None and clause is not None:
        _fill_clause(form, contract, clause)
    else:
        form.target_groups.data = []
    if contract is None:
        # "Registrera avtal" on a supplier's page comes with that supplier chosen.
        form.supplier_id.data = request.args.get("supplier_id", type=int)
    return form


def _fill_clause(form: ContractForm, contract: Contract, clause: SocialClause) -> None:
    form.category.data = contract.category.value
    form.clause_type.data = clause.clause_type.value
    for name in ("full_time_months", "persons", "months_per_person", "first_hire_deadline",
                 "early_end_share", "description"):
        getattr(form, name).data = getattr(clause, name)
    form.target_groups.data = [group.id for group in clause.target_groups]


def _data(form: ContractForm) -> operations.ContractData:
    clause = operations.ClauseData(
        clause_type=ClauseType(form.clause_type.data),
        full_time_months=form.full_time_months.data,
        persons=form.persons.data,
        months_per_person=form.months_per_person.data,
        first_hire_deadline=form.first_hire_deadline.data,
        early_end_share=form.early_end_share.data,
        target_group_ids=tuple(form.target_groups.data or ()),
        description=form.description.data,
    )
    return operations.ContractData(
        reference=form.reference.data or "", title=form.title.data or "",
        category=ServiceCategory(form.category.data), supplier_id=form.supplier_id.data,
        start_date=form.start_date.data, end_date=form.end_date.data, clause=clause,
    )


def _save(form: ContractForm, contract: Contract | None) -> Contract | None:
    if not form.validate_on_submit():
        return None
    try:
        return operations.save_contract(tenant_db(), _data(form), current_member(), contract)
    except InvalidInput as error:
        refuse(form, error)
        return None


@bp.route("/")
@requires_role(Role.ADMIN, Role.SUPPLIER)
def index() -> str:
    member = current_member()
    supplier_id = None if member.has(Role.ADMIN) else (member.supplier_id or 0)
    words = search_text()
    page = paginate(
        tenant_db(), operations.search_contracts(supplier_id, words), (Contract.id,),
        cursor=page_cursor(), descending=True,
    )
    return render_template(
        "tenants/contracts/index.html", page=page, words=words,
        is_admin=member.has(Role.ADMIN), **_helpers(),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def create() -> str | Response:
    form = _form()
    saved = _save(form, None)
    if saved is not None:
        flash(_("Avtalet %(reference)s är registrerat.", reference=saved.reference), "success")
        return redirect(url_for(".detail", contract_id=saved.id))
    return render_template("tenants/contracts/form.html", form=form, contract=None)


@bp.route("/<int:contract_id>/edit", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def edit(contract_id: int) -> str | Response:
    contract = operations.get_contract_for_member(tenant_db(), contract_id, current_member())
    form = _form(contract)
    saved = _save(form, contract)
    if saved is not None:
        flash(_("Avtalet är sparat."), "success")
        return redirect(url_for(".detail", contract_id=saved.id))
    return render_template("tenants/contracts/form.html", form=form, contract=contract)


@bp.route("/<int:contract_id>")
@requires_role(Role.ADMIN, Role.SUPPLIER)
def detail(contract_id: int) -> str:
    member = current_member()
    contract = operations.get_contract_for_member(tenant_db(), contract_id, member)
    if not member.has(Role.ADMIN) and contract.supplier_id != member.supplier_id:
        abort(404)
    return render_template(
        "tenants/contracts/detail.html", contract=contract, is_admin=member.has(Role.ADMIN),
        result=contract_follow_up(tenant_db(), contract, date.today()),
        status_labels=STATUS_LABELS, **_helpers(),
    )


register_menu_item("tenant.contracts.index", _l("Avtal"), Role.ADMIN, Role.SUPPLIER, order=40)


def _contract_links(contracts: list[Contract]) -> list[Link]:
    shown = contracts[:DASHBOARD_LIMIT]
    results = contract_follow_ups(tenant_db(), shown, date.today())
    return [
        Link(
            f"{c.title} ({c.supplier.name}) – {operations.clause_summary(c.clause)}"
            + _status_suffix(results.get(c.id)),
            url_for("tenant.placements.followup", contract_id=c.id),
        )
        for c in shown
    ]


def _status_suffix(result: FollowUp | None) -> str:
    return f"; {STATUS_LABELS[result.status]}" if result is not None else ""


def _admin_section(member: Member) -> DashboardSection | None:
    if not member.has(Role.ADMIN):
        return None
    session = tenant_db()
    suppliers, contracts = list_suppliers(session), operations.list_contracts(session)
    items = [
        Link(_("Leverantörer: %(num)d", num=len(suppliers)), url_for("tenant.suppliers.index")),
        Link(_("Avtal: %(num)d", num=len(contracts)), url_for("tenant.contracts.index")),
        *_contract_links(contracts),
    ]
    return DashboardSection("contracts", _("Leverantörer och avtal"), items=items)


def _supplier_section(member: Member) -> DashboardSection | None:
    if not member.has(Role.SUPPLIER) or member.supplier_id is None:
        return None
    contracts = operations.contracts_of_supplier(tenant_db(), member.supplier_id)
    return DashboardSection(
        "supplier-contracts", _("Våra avtal"), items=_contract_links(contracts),
        empty=_("Ni har inga avtal med sysselsättningskrav registrerade i kommunen ännu."),
    )


register_dashboard_section("contracts", _admin_section, order=20)
register_dashboard_section("supplier-contracts", _supplier_section, order=21)
