"""Vacancy pages: suppliers post and edit their own, admins and coordinators read all.

The ranked pseudonymised candidates of a vacancy, and its cases, are the matches domain's.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from hansyn.errors import InvalidInput
from hansyn.matching.vocabulary import Vocabulary
from hansyn.platform.forms import refuse
from hansyn.platform.models import Role
from hansyn.platform.pagination import Page, page_cursor, paginate
from hansyn.platform.request_db import tenant_db
from hansyn.tenants.context import Member, current_member, requires_role
from hansyn.tenants.contracts.models import Contract
from hansyn.tenants.matches.case_views import vacancy_cases
from hansyn.tenants.matches.operations import count_open_cases
from hansyn.tenants.matches.reasons import STATE_LABELS
from hansyn.tenants.matches.views import candidate_url
from hansyn.tenants.menu import (
    DashboardSection,
    Link,
    register_dashboard_section,
    register_menu_item,
)
from hansyn.tenants.placements.operations import hires_by_vacancy
from hansyn.tenants.vacancies import operations as ops
from hansyn.tenants.vacancies.forms import (
    EXTENT_LABELS,
    FILLED_LABEL,
    STATUS_LABELS,
    VacancyForm,
    lines,
)
from hansyn.tenants.vacancies.models import Extent, Vacancy, VacancyStatus

bp = Blueprint("vacancies", __name__)

READERS = (Role.SUPPLIER, Role.ADMIN, Role.COORDINATOR)
SUGGEST_LIMIT = 10
SUGGEST_QUERY = 100
CANDIDATE_PAGE = "tenant.candidates.profile"
#: The coordinator's dashboard lists the open vacancies that start first.
DASHBOARD_VACANCIES = 5


# ---------------------------------------------------------------- helpers


def _supplier_id() -> int | None:
    member = current_member()
    return member.supplier_id if member.has(Role.SUPPLIER) else None


def _reads_all() -> bool:
    return current_member().has(Role.ADMIN, Role.COORDINATOR)


def _own_vacancy_or_404(contract_id: int, vacancy_id: int) -> Vacancy:
    """The supplier's own vacancy; any other supplier's answers 404 like a missing one."""
    supplier_id = _supplier_id()
    vacancy = (
        ops.get_vacancy(tenant_db(), contract_id, vacancy_id, supplier_id)
        if supplier_id is not None
        else None
    )
    if vacancy is None:
        abort(404)
    return vacancy


def _readable_vacancy_or_404(contract_id: int, vacancy_id: int) -> Vacancy:
    if _reads_all():
        vacancy = ops.get_vacancy(tenant_db(), contract_id, vacancy_id, None)
        if vacancy is None:
            abort(404)
        return vacancy
    return _own_vacancy_or_404(contract_id, vacancy_id)


def _contract_choices(form: VacancyForm, contracts: list[Contract]) -> None:
    form.contract_id.choices = [SelectChoice(c.id, f"{c.title} ({c.reference})") for c in contracts]


def _form_data(form: VacancyForm) -> ops.VacancyData:
    return ops.VacancyData(
        title=form.title.data or "",
        occupation=(form.occupation.data or "").strip(),
        required_skills=lines(form.required_skills.data),
        desired_skills=lines(form.desired_skills.data),
        required_languages=lines(form.required_languages.data),
        driving_licence=form.driving_licence.data or None,
        locality=(form.locality.data or "").strip(),
        locality_id=(form.locality_id.data or "").strip(),
        positions=int(form.positions.data or 0),
        start_date=form.start_date.data,
        duration_months=form.duration_months.data,
        extent=Extent(form.extent.data),
        hours_per_week=int(form.hours_per_week.data or 0),
        status=VacancyStatus(status.data if (status := getattr(form, "status", None)) else "open"),
    )


def _fill(form: VacancyForm, vacancy: Vacancy) -> None:
    form.contract_id.data = vacancy.contract_id
    form.title.data = vacancy.title
    form.occupation.data = vacancy.occupation_label
    form.required_skills.data = "\n".join(vacancy.required_skills)
    form.desired_skills.data = "\n".join(vacancy.desired_skills)
    form.required_languages.data = "\n".join(vacancy.required_languages)
    form.driving_licence.data = vacancy.driving_licence or ""
    form.locality.data = vacancy.locality_name
    form.locality_id.data = vacancy.locality_id
    form.positions.data = vacancy.positions
    form.start_date.data = vacancy.start_date
    form.duration_months.data = vacancy.duration_months
    form.extent.data = vacancy.extent.value
    form.hours_per_week.data = vacancy.hours_per_week
    form.status.data = vacancy.status.value


def _labels(vacancies: list[Vacancy]) -> dict[str, Any]:
    hires = hires_by_vacancy(tenant_db(), (v.id for v in vacancies))
    return {
        "extent_labels": EXTENT_LABELS,
        "status_labels": STATUS_LABELS,
        "filled_label": FILLED_LABEL,
        "hires": hires,
        "candidate_url": candidate_url,
        "state_labels": STATE_LABELS,
    }


def _unfilled(vacancies: list[Vacancy]) -> list[Vacancy]:
    hires = hires_by_vacancy(tenant_db(), (v.id for v in vacancies))
    return [v for v in vacancies if hires.get(v.id, 0) < v.positions]


# ---------------------------------------------------------------- pages


def _vacancy_page(supplier_id: int | None, cursor_arg: str) -> Page[Vacancy]:
    """A page of the supplier's (or everyone's) vacancies, newest first."""
    return paginate(
        tenant_db(), ops.vacancies_query(supplier_id), (Vacancy.id,),
        cursor=page_cursor(cursor_arg), descending=True, cursor_arg=cursor_arg,
    )


@bp.route("/")
@requires_role(*READERS)
def index() -> str:
    session = tenant_db()
    supplier_id = _supplier_id()
    own = _vacancy_page(supplier_id, "egna") if supplier_id is not None else None
    everyone = _vacancy_page(None, "efter") if _reads_all() else None
    return render_template(
        "tenants/vacancies/index.html",
        own=own,
        everyone=everyone,
        is_supplier=supplier_id is not None,
        has_contracts=bool(ops.contracts_of(session, supplier_id)),
        **_labels([*(own.items if own else []), *(everyone.items if everyone else [])]),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires_role(Role.SUPPLIER)
def new() -> str | Response:
    session, member = tenant_db(), current_member()
    contracts = ops.contracts_of(session, _supplier_id())
    form = VacancyForm()
    _contract_choices(form, contracts)
    del form.status  # a new vacancy is open
    if form.validate_on_submit():
        # the choices were the supplier's own contracts, so the form's check already refused others
        contract = next((c for c in contracts if c.id == form.contract_id.data), None)
        try:
            if contract is None:
                raise InvalidInput(_l("Välj ett av era avtal."), "contract_id")
            vacancy = ops.create_vacancy(session, contract, _form_data(form), member)
        except InvalidInput as error:
            refuse(form, error)
        else:
            flash(_("Annonsen är publicerad."), "success")
            return redirect(
                url_for("tenant.matches.candidates", contract_id=contract.id, vacancy_id=vacancy.id)
            )
    return render_template(
        "tenants/vacancies/form.html", form=form, vacancy=None, has_contracts=bool(contracts)
    )


@bp.route("/<int:contract_id>/<int:vacancy_id>")
@requires_role(*READERS)
def show(contract_id: int, vacancy_id: int) -> str:
    vacancy = _readable_vacancy_or_404(contract_id, vacancy_id)
    supplier_id = _supplier_id()
    own = supplier_id is not None and vacancy.contract.supplier_id == supplier_id
    return render_template(
        "tenants/vacancies/show.html",
        vacancy=vacancy,
        own=own,
        rows=vacancy_cases(vacancy.id),
        staff=_reads_all(),
        **_labels([vacancy]),
    )


@bp.route("/<int:contract_id>/<int:vacancy_id>/edit", methods=["GET", "POST"])
@requires_role(Role.SUPPLIER)
def edit(contract_id: int, vacancy_id: int) -> str | Response:
    session, member = tenant_db(), current_member()
    vacancy = _own_vacancy_or_404(contract_id, vacancy_id)
    form = VacancyForm()
    _contract_choices(form, [vacancy.contract])  # a vacancy stays on its contract
    if request.method == "GET":
        _fill(form, vacancy)
    form.contract_id.data = vacancy.contract_id
    if form.validate_on_submit():
        try:
            ops.update_vacancy(session, vacancy, _form_data(form), member)
        except InvalidInput as error:
            refuse(form, error)
        else:
            flash(_("Annonsen är sparad."), "success")
            return redirect(url_for(".show", contract_id=contract_id, vacancy_id=vacancy_id))
    return render_template(
        "tenants/vacancies/form.html", form=form, vacancy=vacancy, has_contracts=True
    )


# ---------------------------------------------------------------- autocomplete


@bp.route("/suggest/occupations")
@requires_role(*READERS)
def suggest_occupations() -> Response:
    """Occupation names only (the candidates' skill list mixes skills and occupations)."""
    query = request.args.get("q", "").strip()[:SUGGEST_QUERY]
    terms = Vocabulary.default().suggest(query, kinds=("occupation",), limit=SUGGEST_LIMIT)
    return jsonify([{"label": t.label, "key": t.key, "kind": t.kind} for t in terms])


# ---------------------------------------------------------------- navigation


def _coordinator_section(member: Member) -> DashboardSection | None:
    if not member.has(Role.COORDINATOR, Role.ADMIN):
        return None
    session = tenant_db()
    # the first open ones without their hires yet; never every vacancy of the tenant
    first = ops.list_vacancies(session, None, VacancyStatus.OPEN, DASHBOARD_VACANCIES * 4)
    open_vacancies = _unfilled(first)[:DASHBOARD_VACANCIES]
    open_cases = count_open_cases(session)
    items = [_vacancy_link(v) for v in open_vacancies]
    items += [
        Link(
            _(
                "Alla öppna annonser (%(count)s)",
                count=ops.count_vacancies(session, None, VacancyStatus.OPEN),
            ),
            url_for("tenant.vacancies.index"),
        ),
        Link(
            _("Pågående ärenden: %(count)s", count=open_cases),
            url_for("tenant.cases.index", state="open"),
        ),
    ]
    return DashboardSection("coordinator-vacancies", _("Annonser och ärenden"), items=items)


def _vacancy_link(vacancy: Vacancy) -> Link:
    label = ngettext(
        "%(title)s – %(supplier)s, %(num)d tjänst från %(start)s",
        "%(title)s – %(supplier)s, %(num)d tjänster från %(start)s",
        vacancy.positions,
        title=vacancy.title,
        supplier=vacancy.contract.supplier.name,
        start=vacancy.start_date.isoformat(),
    )
    url = url_for("tenant.vacancies.show", contract_id=vacancy.contract_id, vacancy_id=vacancy.id)
    return Link(label, url)


register_menu_item("tenant.vacancies.index", _l("Annonser"), *READERS, order=50)
register_dashboard_section("coordinator-vacancies", _coordinator_section, order=210)
