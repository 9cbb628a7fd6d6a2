"""Vacancy pages: suppliers post and edit their own, admins and coordinators read all.

A supplier sees candidates only as pseudonymised profiles ranked for one of its open vacancies,
and may ask to meet one; coordinators see those requests.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
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
from hansyn.platform.forms import attach_error
from hansyn.platform.models import Role
from hansyn.platform.request_db import databases, tenant_db
from hansyn.tenants import matching_index
from hansyn.tenants.context import Member, current_member, current_tenant, requires_role
from hansyn.tenants.contracts.models import Contract
from hansyn.tenants.menu import (
    DashboardSection,
    Link,
    register_dashboard_section,
    register_menu_item,
)
from hansyn.tenants.pseudonyms.operations import ensure_pseudonyms, known_pseudonyms
from hansyn.tenants.vacancies import operations as ops
from hansyn.tenants.vacancies.forms import (
    EXTENT_LABELS,
    STATUS_LABELS,
    MeetingForm,
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


def _candidate_url(candidate_id: int) -> str | None:
    """The coordinator's page of a candidate, when the candidates module serves one."""
    if CANDIDATE_PAGE not in current_app.view_functions or not current_member().has(
        Role.COORDINATOR
    ):
        return None
    return url_for(CANDIDATE_PAGE, candidate_id=candidate_id)


def _labels() -> dict[str, Any]:
    return {
        "extent_labels": EXTENT_LABELS,
        "status_labels": STATUS_LABELS,
        "candidate_url": _candidate_url,
    }


def _index() -> matching_index.TenantIndex:
    return matching_index.index_for(tenant_db(), current_tenant().slug)


# ---------------------------------------------------------------- pages


@bp.route("/")
@requires_role(*READERS)
def index() -> str:
    session = tenant_db()
    supplier_id = _supplier_id()
    own = ops.list_vacancies(session, supplier_id) if supplier_id is not None else []
    everyone = ops.list_vacancies(session) if _reads_all() else []
    return render_template(
        "tenants/vacancies/index.html",
        own=own,
        everyone=everyone,
        is_supplier=supplier_id is not None,
        has_contracts=bool(ops.contracts_of(session, supplier_id)),
        **_labels(),
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
            vacancy = ops.create_vacancy(
                session, contract, _form_data(form), member.user_id, member.email
            )
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Annonsen är publicerad."), "success")
            return redirect(url_for(".candidates", contract_id=contract.id, vacancy_id=vacancy.id))
    return render_template(
        "tenants/vacancies/form.html", form=form, vacancy=None, has_contracts=bool(contracts)
    )


@bp.route("/<int:contract_id>/<int:vacancy_id>")
@requires_role(*READERS)
def show(contract_id: int, vacancy_id: int) -> str:
    vacancy = _readable_vacancy_or_404(contract_id, vacancy_id)
    supplier_id = _supplier_id()
    own = supplier_id is not None and vacancy.contract.supplier_id == supplier_id
    requests = ops.meeting_requests(tenant_db(), vacancy_id=vacancy.id)
    return render_template(
        "tenants/vacancies/show.html", vacancy=vacancy, own=own, requests=requests, **_labels()
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
            ops.update_vacancy(session, vacancy, _form_data(form), member.user_id, member.email)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Annonsen är sparad."), "success")
            return redirect(url_for(".show", contract_id=contract_id, vacancy_id=vacancy_id))
    return render_template(
        "tenants/vacancies/form.html", form=form, vacancy=vacancy, has_contracts=True
    )


@bp.route("/<int:contract_id>/<int:vacancy_id>/candidates")
@requires_role(Role.SUPPLIER)
def candidates(contract_id: int, vacancy_id: int) -> str:
    vacancy = _own_vacancy_or_404(contract_id, vacancy_id)
    ranked = _ranked(vacancy)
    return render_template(
        "tenants/vacancies/candidates.html",
        vacancy=vacancy,
        ranked=ranked,
        meeting_form=MeetingForm(),
        **_labels(),
    )


@bp.route("/<int:contract_id>/<int:vacancy_id>/candidates.json")
@requires_role(Role.SUPPLIER)
def candidates_json(contract_id: int, vacancy_id: int) -> Response:
    vacancy = _own_vacancy_or_404(contract_id, vacancy_id)
    return jsonify(
        vacancy=vacancy.id,
        status=vacancy.status.value,
        candidates=[c.as_json() for c in _ranked(vacancy)],
    )


def _ranked(vacancy: Vacancy) -> list[ops.RankedCandidate]:
    if vacancy.status is not VacancyStatus.OPEN:
        return []
    supplier_id = vacancy.contract.supplier_id

    def name(candidate_ids: list[int]) -> dict[int, str]:
        names = known_pseudonyms(tenant_db(), supplier_id, candidate_ids)
        missing = [c for c in candidate_ids if c not in names]
        if missing:  # drawn in a write transaction of their own: this GET only reads
            slug = current_tenant().slug
            names.update(ensure_pseudonyms(databases(), slug, supplier_id, missing))
        return names

    return ops.rank_candidates(tenant_db(), _index(), vacancy, supplier_id, name=name)


@bp.route("/<int:contract_id>/<int:vacancy_id>/meet", methods=["POST"])
@requires_role(Role.SUPPLIER)
def meet(contract_id: int, vacancy_id: int) -> Response:
    vacancy = _own_vacancy_or_404(contract_id, vacancy_id)
    form, member = MeetingForm(), current_member()
    if not form.validate_on_submit():
        abort(400)
    try:
        ops.request_meeting(
            tenant_db(),
            vacancy,
            vacancy.contract.supplier_id,
            form.pseudonym.data or "",
            member.user_id,
            member.email,
        )
    except InvalidInput as error:
        flash(str(error.message), "error")
    else:
        flash(
            _(
                "Förfrågan om möte med %(pseudonym)s är skickad till kommunen.",
                pseudonym=(form.pseudonym.data or "").strip().upper(),
            ),
            "success",
        )
    return redirect(url_for(".candidates", contract_id=contract_id, vacancy_id=vacancy_id))


@bp.route("/meetings")
@requires_role(Role.ADMIN, Role.COORDINATOR)
def meetings() -> str:
    return render_template(
        "tenants/vacancies/meetings.html", requests=ops.meeting_requests(tenant_db()), **_labels()
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


def _candidate_count(vacancy: Vacancy, count: int) -> str:
    # Two messages rather than ngettext: the per-domain JSON translations hold no plural forms.
    if count > ops.COUNT_CAP:
        return _("%(title)s – fler än %(max)s kandidater", title=vacancy.title, max=ops.COUNT_CAP)
    if count == 1:
        return _("%(title)s – 1 kandidat", title=vacancy.title)
    return _("%(title)s – %(count)s kandidater", title=vacancy.title, count=count)


def _supplier_section(member: Member) -> DashboardSection | None:
    if not member.has(Role.SUPPLIER) or member.supplier_id is None:
        return None
    session = tenant_db()
    items = []
    open_vacancies = ops.list_vacancies(session, member.supplier_id, VacancyStatus.OPEN)
    index = _index() if open_vacancies else None
    for vacancy in open_vacancies:
        label = _candidate_count(vacancy, ops.count_candidates(index, vacancy) if index else 0)
        items.append(
            Link(
                label,
                url_for(
                    "tenant.vacancies.candidates",
                    contract_id=vacancy.contract_id,
                    vacancy_id=vacancy.id,
                ),
            )
        )
    return DashboardSection(
        "supplier-vacancies",
        _("Era öppna annonser"),
        items=items,
        empty=_("Ni har inga öppna annonser. Lägg upp en annons på ett av era avtal."),
    )


def _coordinator_section(member: Member) -> DashboardSection | None:
    if not member.has(Role.COORDINATOR, Role.ADMIN):
        return None
    session = tenant_db()
    open_vacancies = ops.list_vacancies(session, None, VacancyStatus.OPEN)
    requests = ops.count_meeting_requests(session)
    items = [_vacancy_link(v) for v in open_vacancies[:DASHBOARD_VACANCIES]]
    items += [
        Link(
            _("Alla öppna annonser (%(count)s)", count=len(open_vacancies)),
            url_for("tenant.vacancies.index"),
        ),
        Link(
            _("Förfrågningar om möten: %(count)s", count=requests),
            url_for("tenant.vacancies.meetings"),
        ),
    ]
    return DashboardSection("coordinator-vacancies", _("Annonser och möten"), items=items)


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
register_menu_item(
    "tenant.vacancies.meetings", _l("Mötesförfrågningar"), Role.COORDINATOR, Role.ADMIN, order=55
)
register_dashboard_section("supplier-vacancies", _supplier_section, order=200)
register_dashboard_section("coordinator-vacancies", _coordinator_section, order=210)
