"""Placement and follow-up pages.

- The municipality's staff see every placement and every contract's follow-up (a sortable list
  with a CSV download, a page per contract); a supplier sees the same pages for its own
  contracts only, and any other supplier's answer 404.
- A supplier knows its employees: it sees each by the name consent released to it, otherwise
  by its pseudonym; never their target group, wage subsidy or anything else of the candidate's.
- Every page that shows people records one audit row per person shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext, pgettext
from sqlalchemy import select
from werkzeug.wrappers import Response

from hansyn.errors import InvalidInput
from hansyn.platform.forms import refuse
from hansyn.platform.models import Role
from hansyn.platform.pagination import page_cursor, paginate, paginate_list, search_text
from hansyn.platform.request_db import WRITE_METHODS, audit_db, databases, tenant_db
from hansyn.tenants.audit.operations import record_reads
from hansyn.tenants.candidates.exporting import write_csv
from hansyn.tenants.context import Member, current_member, current_tenant, requires_role
from hansyn.tenants.contracts.followup import (
    ONE_DAY,
    ClauseStatus,
    EndReason,
    FollowUp,
    add_months,
)
from hansyn.tenants.contracts.models import Contract
from hansyn.tenants.contracts.operations import (
    clause_summary,
    contracts_of_supplier,
    get_contract_for_member,
    list_contracts,
)
from hansyn.tenants.matches.models import Case, CaseState
from hansyn.tenants.matches.pseudonyms import (
    ensure_pseudonyms,
    known_pseudonyms,
    pseudonyms_for,
)
from hansyn.tenants.matches.workflow import identity_released
from hansyn.tenants.menu import register_menu_item
from hansyn.tenants.placements import labels, reporting
from hansyn.tenants.placements import operations as ops
from hansyn.tenants.placements.forms import (
    ActionForm,
    DecisionForm,
    EndForm,
    PlacementForm,
    ReportForm,
    SuspensionForm,
)
from hansyn.tenants.placements.models import (
    EmploymentForm,
    PeriodicReport,
    Placement,
    ReportState,
    WageSubsidy,
)
from hansyn.tenants.programmes.operations import list_programmes

bp = Blueprint("placements", __name__)

STAFF = (Role.ADMIN, Role.COORDINATOR)
READERS = (*STAFF, Role.SUPPLIER)
CANDIDATE = "candidate"


# ---------------------------------------------------------------- who is looking


def _is_staff() -> bool:
    return current_member().has(*STAFF)


def _supplier_id() -> int | None:
    """The supplier a member acts for, or None for the municipality's staff (who see all)."""
    member = current_member()
    if member.has(*STAFF):
        return None
    return member.supplier_id if member.supplier_id is not None else -1


def _placement_or_404(placement_id: int) -> Placement:
    placement = ops.get_placement(tenant_db(), placement_id, _supplier_id())
    if placement is None:
        abort(404)
    return placement


def _contract_or_404(contract_id: int) -> Contract:
    return get_contract_for_member(tenant_db(), contract_id, current_member())


def employee_names(placements: Sequence[Placement], purpose: str) -> dict[int, str]:
    """What this member may call each placement's employee, by placement id; audited.

    Staff see the name (or that it was erased). A supplier employs these people, so it sees the
    name consent released to it for the hire's case while that consent holds, and otherwise the
    pseudonym it knows the candidate by.
    """
    member = current_member()
    candidate_ids = sorted({p.candidate_id for p in placements})
    supplier_id = _supplier_id()
    if supplier_id is None:
        names = {p.id: p.candidate.name or _("(gallrad)") for p in placements}
    else:
        pseudonyms = _pseudonyms(supplier_id, candidate_ids)
        names = {p.id: _supplier_name(p, pseudonyms) for p in placements}
    record_reads(audit_db(), member, CANDIDATE, candidate_ids, purpose, supplier_id)
    return names


def _supplier_name(placement: Placement, pseudonyms: dict[int, str]) -> str:
    pseudonym = pseudonyms[placement.candidate_id]
    if identity_released(placement.case) and placement.candidate.name:
        return f"{placement.candidate.name} ({pseudonym})"
    return pseudonym


def _pseudonyms(supplier_id: int, candidate_ids: list[int]) -> dict[int, str]:
    if request.method in WRITE_METHODS:  # this request already holds the write lock
        return pseudonyms_for(tenant_db(), supplier_id, candidate_ids)
    found = known_pseudonyms(tenant_db(), supplier_id, candidate_ids)
    missing = [c for c in candidate_ids if c not in found]
    if missing:  # drawn in a short write transaction of their own (see matches.pseudonyms)
        found.update(ensure_pseudonyms(databases(), current_tenant().slug, supplier_id, missing))
    return found


def _helpers() -> dict[str, Any]:
    return {
        "form_labels": labels.EMPLOYMENT_FORM_LABELS,
        "subsidy_labels": labels.SUBSIDY_LABELS,
        "end_reason_labels": labels.END_REASON_LABELS,
        "status_labels": labels.STATUS_LABELS,
        "status_filter_label": labels.status_filter_label,
        "first_hire_labels": labels.FIRST_HIRE_LABELS,
        "report_state_labels": labels.REPORT_STATE_LABELS,
        "months": labels.months,
        "months_text": labels.months_text,
        "extent_text": extent_text,
        "is_staff": _is_staff(),
        "today": date.today(),
    }


def extent_text(placement: Placement) -> str:
    if placement.hours_per_week is not None:
        return _("%(hours)d tim/vecka", hours=placement.hours_per_week)
    return _("%(percent)d %%", percent=placement.extent_percent or 0)


# ---------------------------------------------------------------- placements


@bp.route("/")
@requires_role(*READERS)
def index() -> str:
    """The placements, newest first, 50 a page (keyset: `platform.pagination`); running, ended
    or all of them (`?lage=pagaende|avslutade`)."""
    phase = request.args.get("lage", "")
    query = ops.placements_query(_supplier_id(), LIST_PHASES.get(phase))
    page = paginate(tenant_db(), query, (Placement.id,), cursor=page_cursor(), descending=True)
    return render_template(
        "tenants/placements/index.html",
        page=page,
        placements=page.items,
        phase=phase if phase in LIST_PHASES else "",
        names=employee_names(page.items, "placement list"),
        **_helpers(),
    )


#: The list's filter: its query value and whether those placements have ended (none: all).
LIST_PHASES = {"pagaende": False, "avslutade": True}


@bp.route("/<int:placement_id>")
@requires_role(*READERS)
def show(placement_id: int) -> str:
    placement = _placement_or_404(placement_id)
    return _show(placement, EndForm(), SuspensionForm())


def _show(placement: Placement, end_form: EndForm, suspension_form: SuspensionForm) -> str:
    if request.method == "GET" or not end_form.is_submitted():
        end_form.ended_on.data = end_form.ended_on.data or placement.ended_on
        if placement.end_reason is not None and not end_form.end_reason.data:
            end_form.end_reason.data = placement.end_reason.value
    contract = placement.vacancy.contract
    result = ops.contract_follow_up(tenant_db(), contract, date.today())
    credit = next((c for c in result.credits if c.key == placement.id), None) if result else None
    return render_template(
        "tenants/placements/show.html",
        placement=placement,
        contract=contract,
        credit=credit,
        name=employee_names([placement], "placement")[placement.id],
        end_form=end_form,
        suspension_form=suspension_form,
        action_form=ActionForm(),
        **_helpers(),
    )


def _programme_choices(form: PlacementForm, current: int | None) -> None:
    programmes = list_programmes(tenant_db())
    form.programme_id.choices = [(p.id, p.name) for p in programmes if p.active or p.id == current]


def placement_form(placement: Placement | None = None) -> PlacementForm:
    """The terms form; the target group and the subsidy only for the municipality's staff."""
    form = PlacementForm()
    if _is_staff():
        _programme_choices(form, placement.programme_id if placement else None)
    else:
        del form.programme_id
        del form.wage_subsidy
    if placement is not None and not form.is_submitted():
        for name in ("start_date", "planned_end", "hours_per_week", "extent_percent"):
            getattr(form, name).data = getattr(placement, name)
        form.employment_form.data = placement.employment_form.value
        if _is_staff():
            form.programme_id.data = placement.programme_id
            form.wage_subsidy.data = placement.wage_subsidy.value
    return form


def placement_terms(form: PlacementForm) -> ops.PlacementTerms:
    programme = getattr(form, "programme_id", None)
    subsidy = getattr(form, "wage_subsidy", None)
    return ops.PlacementTerms(
        start_date=form.start_date.data,
        planned_end=form.planned_end.data,
        employment_form=EmploymentForm(form.employment_form.data),
        hours_per_week=form.hours_per_week.data,
        extent_percent=form.extent_percent.data,
        programme_id=programme.data if programme is not None else None,
        wage_subsidy=WageSubsidy(subsidy.data) if subsidy is not None else None,
    )


@bp.route("/<int:placement_id>/edit", methods=["GET", "POST"])
@requires_role(*READERS)
def edit(placement_id: int) -> str | Response:
    placement = _placement_or_404(placement_id)
    form = placement_form(placement)
    if form.validate_on_submit():
        try:
            ops.update_placement(
                tenant_db(), placement, placement_terms(form), current_member(), today=date.today()
            )
        except InvalidInput as error:
            refuse(form, error)
        else:
            flash(_("Anställningen är sparad."), "success")
            return redirect(url_for(".show", placement_id=placement.id))
    return render_template(
        "tenants/placements/form.html",
        form=form,
        placement=placement,
        name=employee_names([placement], "placement edit")[placement.id],
        **_helpers(),
    )


@bp.route("/<int:placement_id>/end", methods=["POST"])
@requires_role(*READERS)
def end(placement_id: int) -> str | Response:
    placement = _placement_or_404(placement_id)
    form = EndForm()
    if form.validate_on_submit():
        try:
            ops.end_placement(
                tenant_db(),
                placement,
                form.ended_on.data,
                EndReason(form.end_reason.data),
                current_member(),
            )
        except InvalidInput as error:
            refuse(form, error)
        else:
            flash(_("Anställningens slut är registrerat."), "success")
            return redirect(url_for(".show", placement_id=placement.id))
    return _show(_placement_or_404(placement_id), form, SuspensionForm())


@bp.route("/<int:placement_id>/suspensions", methods=["POST"])
@requires_role(*READERS)
def suspend(placement_id: int) -> str | Response:
    placement = _placement_or_404(placement_id)
    form = SuspensionForm()
    if form.validate_on_submit():
        try:
            ops.add_suspension(
                tenant_db(), placement, form.first_day.data, form.last_day.data, current_member()
            )
        except InvalidInput as error:
            refuse(form, error)
        else:
            flash(_("Uppehållet är registrerat."), "success")
            return redirect(url_for(".show", placement_id=placement.id))
    return _show(_placement_or_404(placement_id), EndForm(formdata=None), form)


@bp.route("/<int:placement_id>/suspensions/<int:suspension_id>/delete", methods=["POST"])
@requires_role(*READERS)
def unsuspend(placement_id: int, suspension_id: int) -> Response:
    placement = _placement_or_404(placement_id)
    suspension = next((s for s in placement.suspensions if s.id == suspension_id), None)
    if suspension is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    ops.remove_suspension(tenant_db(), placement, suspension, current_member())
    flash(_("Uppehållet är borttaget."), "success")
    return redirect(url_for(".show", placement_id=placement.id))


# ---------------------------------------------------------------- the hire


def _case_or_404(case_id: int) -> Case:
    """The case, if this member may hire through it: the staff any, a supplier its own."""
    case = tenant_db().get(Case, case_id)
    supplier_id = _supplier_id()
    if case is None or (supplier_id is not None and case.supplier_id != supplier_id):
        abort(404)
    return case


def _prefill(form: PlacementForm, case: Case) -> None:
    """The vacancy's terms, as a start."""
    vacancy = case.vacancy
    start = max(vacancy.start_date, date.today(), vacancy.contract.start_date)
    form.start_date.data = start
    if vacancy.duration_months:
        form.employment_form.data = EmploymentForm.GENERAL_FIXED_TERM.value
        form.planned_end.data = add_months(start, vacancy.duration_months) - ONE_DAY
    else:
        form.employment_form.data = EmploymentForm.PERMANENT.value
    form.hours_per_week.data = vacancy.hours_per_week
    if _is_staff():
        form.programme_id.data = case.candidate.programme_id


@bp.route("/hire/<int:case_id>", methods=["GET", "POST"])
@requires_role(Role.SUPPLIER, Role.COORDINATOR, Role.ADMIN)
def hire(case_id: int) -> str | Response:
    """Record the hire of an offered case: the placement, and the case becomes hired."""
    case = _case_or_404(case_id)
    existing = tenant_db().scalar(select(Placement.id).where(Placement.case_id == case.id))
    if existing is not None:
        return redirect(url_for(".show", placement_id=existing))
    if case.state is not CaseState.OFFERED:
        abort(404)
    form = placement_form()
    if not form.is_submitted():
        _prefill(form, case)
    if form.validate_on_submit():
        try:
            placement = ops.record_hire(tenant_db(), case, placement_terms(form), current_member())
        except InvalidInput as error:
            refuse(form, error)
            case = _case_or_404(case_id)
        else:
            flash(_("Anställningen är registrerad."), "success")
            return redirect(url_for(".show", placement_id=placement.id))
    return render_template(
        "tenants/placements/form.html",
        form=form,
        placement=None,
        vacancy=case.vacancy,
        name=_case_name(case),
        **_helpers(),
    )


def _case_name(case: Case) -> str:
    """The candidate as this member may name them (an offered case's consent released it)."""
    supplier_id = _supplier_id()
    if supplier_id is not None and not identity_released(case):
        return _pseudonyms(supplier_id, [case.candidate_id])[case.candidate_id]
    record_reads(audit_db(), current_member(), CANDIDATE, [case.candidate_id], "hire", supplier_id)
    return case.candidate.name or _("(gallrad)")


# ---------------------------------------------------------------- follow-up of contracts


@dataclass(frozen=True)
class ContractRow:
    contract: Contract
    result: FollowUp | None


def _rows(today: date) -> list[ContractRow]:
    session = tenant_db()
    supplier_id = _supplier_id()
    contracts = (
        list_contracts(session)
        if supplier_id is None
        else contracts_of_supplier(session, supplier_id)
    )
    results = ops.contract_follow_ups(session, contracts, today)
    return [ContractRow(c, results.get(c.id)) for c in contracts]


def _status_rank(row: ContractRow) -> int:
    if row.result is None:
        return len(labels.STATUS_ORDER)
    return labels.STATUS_ORDER.index(row.result.status)


def _figure(name: str) -> Callable[[ContractRow], Any]:
    def key(row: ContractRow) -> Any:
        return getattr(row.result, name) if row.result is not None else Fraction(-1)

    return key


SORT_KEYS: dict[str, Callable[[ContractRow], Any]] = {
    "status": _status_rank,
    "reference": lambda row: row.contract.reference.lower(),
    "title": lambda row: row.contract.title.lower(),
    "supplier": lambda row: row.contract.supplier.name.lower(),
    "end": lambda row: row.contract.end_date,
    "required": _figure("required"),
    "delivered": _figure("delivered"),
    "remaining": _figure("remaining"),
    "met_on": lambda row: (
        row.result is None or row.result.met_on is None,
        row.result.met_on if row.result and row.result.met_on else date.max,
    ),
}


def sorted_rows(rows: list[ContractRow], sort: str, descending: bool) -> list[ContractRow]:
    key = SORT_KEYS.get(sort, SORT_KEYS["status"])
    return sorted(rows, key=lambda row: (key(row), row.contract.reference), reverse=descending)


@dataclass(frozen=True)
class ContractListArgs:
    """What the follow-up list and its CSV are asked for: sort, order, search words (contract,
    reference or supplier) and a status (`?status=at_risk`; "dialog" for dialogue clauses)."""

    sort: str
    descending: bool
    words: str
    status: str

    @classmethod
    def from_request(cls) -> ContractListArgs:
        sort = request.args.get("sort", "status")
        status = request.args.get("status", "")
        return cls(
            sort if sort in SORT_KEYS else "status",
            request.args.get("order") == "desc",
            search_text(),
            status if status in STATUS_FILTERS else "",
        )

    def rows(self, today: date) -> list[ContractRow]:
        """The contracts that match, in the asked order."""
        rows = [row for row in _rows(today) if self._matches(row)]
        return sorted_rows(rows, self.sort, self.descending)

    def _matches(self, row: ContractRow) -> bool:
        if self.status:
            status = row.result.status.value if row.result is not None else "dialog"
            if status != self.status:
                return False
        if self.words:
            words = self.words.casefold()
            texts = (row.contract.reference, row.contract.title, row.contract.supplier.name)
            return any(words in text.casefold() for text in texts)
        return True

    def link_args(self) -> dict[str, str]:
        """The search and filter to keep in the list's sort and download links."""
        return {k: v for k, v in (("q", self.words), ("status", self.status)) if v}


#: The status filter's values: a clause's status, or "dialog" for a dialogue clause.
STATUS_FILTERS = (*(status.value for status in labels.STATUS_ORDER), "dialog")


@bp.route("/contracts")
@requires_role(*READERS)
def contracts() -> str:
    """Every contract with its clause's status, 50 a page, sortable by each column, searchable
    and filtered by status. The status is computed from the placements, so the list is
    computed whole and paged in memory (`paginate_list`); its length is the contracts'."""
    args = ContractListArgs.from_request()
    page = paginate_list(args.rows(date.today()), lambda row: row.contract.id, cursor=page_cursor())
    return render_template(
        "tenants/placements/contracts.html",
        page=page,
        rows=page.items,
        args=args,
        sort=args.sort,
        descending=args.descending,
        sort_columns=SORT_COLUMNS,
        status_filters=STATUS_FILTERS,
        **_helpers(),
    )


SORT_COLUMNS = (
    ("reference", _l("Diarienummer")),
    ("title", lazy_pgettext("ett avtal", "Avtal")),
    ("supplier", _l("Leverantör")),
    ("end", _l("Slutdatum")),
    ("required", _l("Krav")),
    ("delivered", _l("Levererat")),
    ("remaining", _l("Återstår")),
    ("status", _l("Status")),
    ("met_on", _l("Uppfyllt/prognos")),
)


def csv_rows(rows: list[ContractRow]) -> list[list[object]]:
    header: list[object] = [
        _("Diarienummer"),
        pgettext("ett avtal", "Avtal"),
        _("Leverantör"),
        _("Startdatum"),
        _("Slutdatum"),
        _("Sysselsättningskrav"),
        _("Krav (heltidsmånader)"),
        _("Levererat"),
        _("Planerat"),
        _("Återstår"),
        _("Första anställning senast"),
        _("Första anställning"),
        _("Status"),
        _("Uppfyllt/prognos"),
    ]
    body = [_csv_row(row) for row in rows]
    return [header, *body]


def _csv_row(row: ContractRow) -> list[object]:
    contract, result = row.contract, row.result
    clause = contract.clause
    figures: list[object] = ["", "", "", "", "", "", "", ""]
    if result is not None and clause is not None:
        figures = [
            labels.months(result.required),
            labels.months(result.delivered),
            labels.months(result.planned),
            labels.months(result.remaining),
            clause.first_hire_deadline.isoformat(),
            result.first_hire_on.isoformat() if result.first_hire_on else "",
            str(labels.STATUS_LABELS[result.status]),
            result.met_on.isoformat() if result.met_on else "",
        ]
    return [
        contract.reference,
        contract.title,
        contract.supplier.name,
        contract.start_date.isoformat(),
        contract.end_date.isoformat(),
        clause_summary(clause),
        *figures,
    ]


@bp.route("/contracts.csv")
@requires_role(*READERS)
def contracts_csv() -> Response:
    """The follow-up list whole (every page), with the list's search and filter."""
    rows = ContractListArgs.from_request().rows(date.today())
    response = Response(write_csv(csv_rows(rows)), mimetype="text/csv")
    filename = f"uppfoljning-{current_tenant().slug}-{date.today().isoformat()}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/contracts/<int:contract_id>")
@requires_role(*READERS)
def followup(contract_id: int) -> str:
    contract = _contract_or_404(contract_id)
    today = date.today()
    placements = ops.placements_of_contracts(tenant_db(), [contract.id]).get(contract.id, [])
    result = ops.contract_follow_up(tenant_db(), contract, today)
    clause = contract.clause
    return render_template(
        "tenants/placements/followup.html",
        contract=contract,
        clause=clause,
        result=result,
        credits={c.key: c for c in result.credits} if result else {},
        placements=placements,
        names=employee_names(placements, f"follow-up {contract.id}"),
        rule=labels.rule_in_words(result, clause.first_hire_deadline.isoformat())
        if result and clause
        else [],
        early_end_rule=labels.early_end_rule(clause.early_end_share) if clause else "",
        clause_summary=clause_summary(clause),
        quarters=reporting.quarters(contract, today),
        reports=reporting.reports_of(tenant_db(), contract),
        **_helpers(),
    )


# ---------------------------------------------------------------- quarterly reports


def _quarter_or_404(contract: Contract, year: int, number: int) -> reporting.Quarter:
    if not 1 <= number <= 4:
        abort(404)
    quarter = reporting.Quarter(year, number)
    if not reporting.is_reportable(contract, quarter, date.today()):
        abort(404)
    return quarter


@bp.route("/contracts/<int:contract_id>/reports/<int:year>/<int:quarter>", methods=["GET", "POST"])
@requires_role(*READERS)
def report(contract_id: int, year: int, quarter: int) -> str | Response:
    contract = _contract_or_404(contract_id)
    period = _quarter_or_404(contract, year, quarter)
    session, member = tenant_db(), current_member()
    existing = reporting.get_report(session, contract, period)
    form, decision = ReportForm(), DecisionForm()
    if request.method == "POST":
        outcome = _act_on_report(contract, period, existing, form, decision, member)
        if outcome is not None:
            return outcome
        existing = reporting.get_report(session, contract, period)
    elif existing is not None:
        form.comment.data = existing.supplier_comment
    return _render_report(contract, period, existing, form, decision)


def _act_on_report(
    contract: Contract,
    period: reporting.Quarter,
    existing: PeriodicReport | None,
    form: ReportForm,
    decision: DecisionForm,
    member: Member,
) -> Response | None:
    action = request.form.get("action", "")
    session, today = tenant_db(), date.today()
    steps: dict[str, tuple[Role, Callable[[], object], str]] = {
        "save": (
            Role.SUPPLIER,
            lambda: reporting.save_draft(
                session, contract, period, form.comment.data, member, today
            ),
            _("Utkastet är sparat."),
        ),
        "submit": (
            Role.SUPPLIER,
            lambda: reporting.submit(session, contract, period, form.comment.data, member, today),
            _("Rapporten är inskickad till kommunen."),
        ),
        "approve": (
            Role.ADMIN,
            lambda: reporting.approve(session, _must(existing), decision.comment.data, member),
            _("Rapporten är godkänd."),
        ),
        "return": (
            Role.ADMIN,
            lambda: reporting.return_report(
                session, _must(existing), decision.comment.data, member
            ),
            _("Rapporten är återsänd till leverantören."),
        ),
    }
    if action not in steps:
        abort(400)
    role, step, message = steps[action]
    if not member.has(role):
        abort(403)
    checked = form if role is Role.SUPPLIER else decision
    if not checked.validate_on_submit():
        return None
    try:
        step()
    except InvalidInput as error:
        refuse(checked, error)
        return None
    flash(message, "success")
    return redirect(
        url_for(".report", contract_id=contract.id, year=period.year, quarter=period.number)
    )


def _must(report: PeriodicReport | None) -> PeriodicReport:
    if report is None:
        raise InvalidInput(_l("Rapporten är inte inskickad."))
    return report


def _render_report(
    contract: Contract,
    period: reporting.Quarter,
    existing: PeriodicReport | None,
    form: ReportForm,
    decision: DecisionForm,
) -> str:
    frozen = existing is not None and existing.state is not ReportState.DRAFT
    figures = (
        existing.figures
        if frozen and existing and existing.figures
        else (reporting.figures(tenant_db(), contract, period))
    )
    lines = list(figures.get("lines", []))  # type: ignore[call-overload]
    placements = {
        p.id: p
        for p in ops.placements_of_contracts(tenant_db(), [contract.id]).get(contract.id, [])
    }
    shown = [placements[line["placement"]] for line in lines if line["placement"] in placements]
    return render_template(
        "tenants/placements/report.html",
        contract=contract,
        period=period,
        report=existing,
        figures=figures,
        lines=lines,
        placements=placements,
        names=employee_names(shown, f"report {contract.id} {period}"),
        as_months=lambda value: labels.months(reporting.months_of(value)),
        as_months_text=lambda value: labels.months_text(reporting.months_of(value)),
        status_of=lambda value: labels.STATUS_LABELS[ClauseStatus(value)],
        form=form,
        decision=decision,
        may_edit=current_member().has(Role.SUPPLIER)
        and (existing is None or existing.state in (ReportState.DRAFT, ReportState.RETURNED)),
        may_decide=current_member().has(Role.ADMIN)
        and existing is not None
        and existing.state is ReportState.SUBMITTED,
        quarter_over=period.last < date.today(),
        **_helpers(),
    )


register_menu_item("tenant.placements.contracts", _l("Uppföljning"), *READERS, order=45)
register_menu_item("tenant.placements.index", _l("Anställningar"), *READERS, order=46)
