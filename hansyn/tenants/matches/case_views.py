"""Case pages: the list people work from, one case with its log, and the form that moves it.

Staff (coordinators, admins) see every case with the candidate's name; a supplier sees only its
own cases, each candidate by pseudonym until the candidate consented for that case
(`workflow.identity_released`). Every page that shows a name writes a read row per person (with
the supplier's id when a supplier reads), so the candidate's read log tells who saw them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from hansyn.db import storable_id
from hansyn.errors import InvalidInput
from hansyn.platform.forms import refuse
from hansyn.platform.models import Role
from hansyn.platform.pagination import page_cursor, paginate
from hansyn.platform.request_db import audit_db, tenant_db
from hansyn.tenants.audit.operations import record_reads
from hansyn.tenants.candidates.models import Candidate
from hansyn.tenants.context import Member, current_member, requires_role
from hansyn.tenants.matches import (
    deadlines,  # noqa: F401 (registers its notification kinds)
    reasons,
)
from hansyn.tenants.matches import operations as ops
from hansyn.tenants.matches.forms import MoveForm, ProposeForm, SettingsForm
from hansyn.tenants.matches.models import (
    FINAL_STATES,
    OPEN_STATES,
    Case,
    CaseEvent,
    CaseRole,
    CaseState,
    ConsentChannel,
)
from hansyn.tenants.matches.pseudonyms import known_pseudonyms
from hansyn.tenants.matches.workflow import identity_released, next_states, roles_of
from hansyn.tenants.menu import (
    DashboardSection,
    Link,
    register_dashboard_section,
    register_menu_item,
)
from hansyn.tenants.suppliers.operations import supplier_names

bp = Blueprint("cases", __name__)

READERS = (Role.COORDINATOR, Role.ADMIN, Role.SUPPLIER)
STAFF = (Role.COORDINATOR, Role.ADMIN)
PAGE_SIZE = 25
HIRE_FORM = "tenant.placements.hire"
MOVE = "tenant.cases.move"
#: Moves people make on these pages; HIRED goes through the placements domain's hire form, and
#: OBSOLETE is Hänsyn's own.
NOT_HERE = frozenset({CaseState.HIRED, CaseState.OBSOLETE})
#: Moves that cannot be undone, or that hand the identity to a supplier: asked to confirm.
CONFIRMED = (FINAL_STATES | {CaseState.CONSENTED}) - NOT_HERE
SUBJECT = "candidate"


def _is_staff(member: Member) -> bool:
    return member.has(*STAFF)


def _supplier_scope(member: Member) -> int | None:
    """The supplier whose cases the member may see; None: every case (staff)."""
    if _is_staff(member):
        return None
    if member.supplier_id is None:
        abort(404)
    return member.supplier_id


def _case_or_404(case_id: int) -> Case:
    member = current_member()
    case = ops.get_case(tenant_db(), case_id, _supplier_scope(member))
    if case is None:
        abort(404)
    return case


# ---------------------------------------------------------------- how a case is shown


@dataclass(frozen=True)
class Shown:
    """A case as the current member may see it."""

    case: Case
    #: The candidate's name for staff or a supplier the identity was released to; else None.
    name: str | None
    pseudonym: str | None
    actions: list[tuple[CaseState, str, str]]  # (target, label, url)
    hire_url: str | None


def _candidate_name(candidate: Candidate) -> str:
    return candidate.name or _("Gallrad arbetssökande")


def _actions(case: Case, member: Member) -> list[tuple[CaseState, str, str]]:
    targets = next_states(case, roles_of(member, case))
    return [
        (t, str(reasons.ACTION_LABELS[t]), url_for(MOVE, case_id=case.id, state=t.value))
        for t in targets
        if t not in NOT_HERE
    ]


def _hire_url(case: Case, member: Member) -> str | None:
    """The placements domain's hire form, once it exists, for an offered case."""
    if case.state is not CaseState.OFFERED or HIRE_FORM not in current_app.view_functions:
        return None
    if CaseState.HIRED not in next_states(case, roles_of(member, case)):
        return None
    return url_for(HIRE_FORM, case_id=case.id)


def _shown(cases: list[Case], member: Member, purpose: str) -> list[Shown]:
    """The cases as the member may see them; every name shown is audited."""
    supplier_id = None if _is_staff(member) else member.supplier_id
    pseudonyms: dict[int, str] = {}
    if supplier_id is not None:
        pseudonyms = known_pseudonyms(tenant_db(), supplier_id, [c.candidate_id for c in cases])
    found = []
    for case in cases:
        named = supplier_id is None or identity_released(case)
        found.append(
            Shown(
                case,
                _candidate_name(case.candidate) if named else None,
                pseudonyms.get(case.candidate_id),
                _actions(case, member),
                _hire_url(case, member),
            )
        )
    named_ids = [s.case.candidate_id for s in found if s.name is not None]
    if named_ids:
        record_reads(audit_db(), member, SUBJECT, named_ids, purpose, supplier_id)
    return found


def vacancy_cases(vacancy_id: int, limit: int = PAGE_SIZE) -> list[Shown]:
    """The newest cases of one vacancy as the current member may see them (the vacancy page)."""
    member = current_member()
    where = ops.CaseFilter(vacancy_id, supplier_id=_supplier_scope(member))
    cases = ops.list_cases(tenant_db(), where, limit=limit)
    return _shown(cases, member, f"vacancy cases {vacancy_id}")


def candidate_cases(candidate: Candidate) -> dict[str, Any]:
    """The candidate's cases and the proposal form, for the candidate's page (staff only)."""
    session = tenant_db()
    cases = ops.list_cases(session, ops.CaseFilter(candidate_id=candidate.id))
    form = ProposeForm(candidate_id=str(candidate.id))
    taken = {c.vacancy_id for c in cases}
    form.vacancy_id.choices = [("", _("Välj …"))] + [
        (str(v.id), f"{v.title} – {v.contract.supplier.name}")
        for v in ops.open_vacancies(session)
        if v.id not in taken
    ]
    return {
        "cases": cases,
        "propose_form": form if ops.candidate_visible(session, candidate.id) else None,
        "case_state_labels": reasons.STATE_LABELS,
        "case_reason_label": reasons.reason_label,
    }


# ---------------------------------------------------------------- the list


def _chosen_state() -> list[CaseState]:
    value = request.args.get("state", "")
    if value == "open":
        return sorted(OPEN_STATES)
    return [CaseState(value)] if value in set(CaseState) else []


def _filter(member: Member) -> ops.CaseFilter:
    supplier = _supplier_scope(member)
    if supplier is None:
        supplier = storable_id(request.args.get("supplier")) or None
    return ops.CaseFilter(
        states=_chosen_state(),
        supplier_id=supplier,
        vacancy_id=storable_id(request.args.get("vacancy")) or None,
        candidate_id=storable_id(request.args.get("candidate")) or None,
        candidate_name=request.args.get("q", "").strip()[:200] if _is_staff(member) else "",
    )


@bp.route("/")
@requires_role(*READERS)
def index() -> str:
    member = current_member()
    session = tenant_db()
    where = _filter(member)
    page = paginate(
        session, ops.cases_query(where), (Case.id,), cursor=page_cursor(), size=PAGE_SIZE,
        descending=True,
    )
    purpose = "case list" if _is_staff(member) else "supplier case list"
    return render_template(
        "tenants/cases/index.html",
        page=page,
        rows=_shown(page.items, member, purpose),
        staff=_is_staff(member),
        where=where,
        state_value=request.args.get("state", ""),
        query=request.args.get("q", ""),
        suppliers=supplier_names(session) if _is_staff(member) else {},
        **_labels(),
    )


def _labels() -> dict[str, Any]:
    return {
        "state_labels": reasons.STATE_LABELS,
        "origin_labels": reasons.ORIGIN_LABELS,
        "reason_label": reasons.reason_label,
        "channel_labels": reasons.CHANNEL_LABELS,
        "outcome_labels": reasons.OUTCOME_LABELS,
        "role_labels": reasons.ROLE_LABELS,
        "open_states": sorted(OPEN_STATES),
        "all_states": list(CaseState),
    }


# ---------------------------------------------------------------- one case


def _event_texts_visible(event: CaseEvent, staff: bool) -> bool:
    """Staff read the whole log; a supplier the moves, and the texts its own users wrote."""
    return staff or event.role is CaseRole.SUPPLIER


@bp.route("/<int:case_id>")
@requires_role(*READERS)
def show(case_id: int) -> str:
    member = current_member()
    case = _case_or_404(case_id)
    staff = _is_staff(member)
    purpose = f"case {case.id}" if staff else f"supplier case {case.id}"
    (shown,) = _shown([case], member, purpose)
    return render_template(
        "tenants/cases/show.html",
        row=shown,
        staff=staff,
        released=shown.name is not None and not staff,
        events=list(reversed(case.events)),
        texts_visible=lambda event: _event_texts_visible(event, staff),
        candidate_url=_candidate_url(case, member),
        **_labels(),
    )


def _candidate_url(case: Case, member: Member) -> str | None:
    if not member.has(Role.COORDINATOR) or case.candidate.erased_at is not None:
        return None
    return url_for("tenant.candidates.profile", candidate_id=case.candidate_id)


# ---------------------------------------------------------------- moving a case


def _target_or_404(state: str) -> CaseState:
    try:
        target = CaseState(state)
    except ValueError:
        abort(404)
    if target in NOT_HERE:
        abort(404)
    return target


def _reason_choices(form: MoveForm, target: CaseState) -> None:
    if form.reason is None:
        return
    kind = "refused" if target is CaseState.REFUSED else "withdrawn"
    form.reason.choices = [("", _("Välj …"))] + [
        (r.code, reasons.reason_label(r.code)) for r in ops.usable_reasons(tenant_db(), kind)
    ]


def _fields(form: MoveForm) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if form.consent_on is not None:
        fields["consent_on"] = form.consent_on.data
        fields["consent_channel"] = ConsentChannel(form.consent_channel.data)
    if form.interview_on is not None:
        fields["interview_on"] = form.interview_on.data
    if form.reason is not None:
        fields["reason"] = form.reason.data or None
    return fields


@bp.route("/<int:case_id>/move/<state>", methods=["GET", "POST"])
@requires_role(*READERS)
def move(case_id: int, state: str) -> str | Response:
    member = current_member()
    case = _case_or_404(case_id)
    target = _target_or_404(state)
    form = MoveForm().for_target(target, confirm=target in CONFIRMED)
    _reason_choices(form, target)
    if form.validate_on_submit():
        try:
            ops.transition(
                tenant_db(), case, target, member,
                message=form.message.data, note=form.note.data, **_fields(form),
            )
        except InvalidInput as error:
            refuse(form, error)
        else:
            flash(
                _("Ärendet är nu: %(state)s.", state=reasons.STATE_LABELS[target]), "success"
            )
            return redirect(url_for(".show", case_id=case.id))
    staff = _is_staff(member)
    purpose = f"case {case.id}" if staff else f"supplier case {case.id}"
    (shown,) = _shown([case], member, purpose)
    allowed = target in next_states(case, roles_of(member, case))
    return render_template(
        "tenants/cases/move.html",
        row=shown,
        form=form,
        target=target,
        allowed=allowed,
        confirm=target in CONFIRMED,
        staff=staff,
        action_label=reasons.ACTION_LABELS[target],
        **_labels(),
    )


# ---------------------------------------------------------------- proposing a candidate


@bp.route("/propose", methods=["POST"])
@requires_role(*STAFF)
def propose() -> Response:
    """From the candidate's page (a vacancy chosen) or the vacancy's ranking (both given)."""
    session, member = tenant_db(), current_member()
    form = ProposeForm()
    vacancy_id = storable_id(form.vacancy_id.raw_data[0] if form.vacancy_id.raw_data else None)
    vacancy = ops.open_vacancy(session, vacancy_id) if vacancy_id else None
    candidate_id = storable_id(form.candidate_id.data)
    candidate = session.get(Candidate, candidate_id) if candidate_id else None
    back = request.form.get("back", "")
    if candidate is None:
        abort(404)
    if not form.validate_on_submit() or vacancy is None:
        flash(_("Välj en öppen annons."), "error")
        return redirect(_back(back, candidate.id))
    try:
        case = ops.propose_candidate(
            session, vacancy, candidate.id, member, form.message.data, form.note.data
        )
    except InvalidInput as error:
        refuse(None, error)
        return redirect(_back(back, candidate.id))
    flash(_("Förslaget är registrerat. Fråga nu den arbetssökande om samtycke."), "success")
    return redirect(url_for(".show", case_id=case.id))


def _back(back: str, candidate_id: int) -> str:
    if back.startswith("/") and not back.startswith("//"):
        return back
    return url_for("tenant.candidates.profile", candidate_id=candidate_id)


# ---------------------------------------------------------------- settings


@bp.route("/settings", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def settings() -> str | Response:
    session, member = tenant_db(), current_member()
    current = ops.get_settings(session) if request.method == "POST" else None
    form = SettingsForm()
    if request.method == "GET":
        form.answer_days.data = ops.answer_days(session)
    if form.validate_on_submit() and current is not None:
        ops.set_answer_days(session, form.answer_days.data or 0, member)
        flash(_("Inställningarna är sparade."), "success")
        return redirect(url_for(".settings"))
    return render_template(
        "tenants/cases/settings.html",
        form=form,
        reasons=ops.all_reasons(session),
        reason_label=reasons.reason_label,
    )


@bp.route("/settings/reasons/<code>", methods=["POST"])
@requires_role(Role.ADMIN)
def toggle_reason(code: str) -> Response:
    session = tenant_db()
    reason = ops.get_reason(session, code)
    if reason is None or reason.system:
        abort(404)
    ops.set_reason_retired(session, reason, request.form.get("retire") == "yes", current_member())
    return redirect(url_for(".settings"))


# ---------------------------------------------------------------- navigation


def _staff_section(member: Member) -> DashboardSection | None:
    if not _is_staff(member):
        return None
    session = tenant_db()
    waiting = ops.count_cases(session, ops.CaseFilter(states=(CaseState.REQUESTED,)))
    asked = ops.count_cases(session, ops.CaseFilter(states=(CaseState.CONSENT_ASKED,)))
    open_count = ops.count_open_cases(session)
    return DashboardSection(
        "cases",
        _("Ärenden"),
        items=[
            Link(
                _("Förfrågningar från leverantörer att hantera: %(count)s", count=waiting),
                url_for("tenant.cases.index", state=CaseState.REQUESTED.value),
            ),
            Link(
                _("Väntar på den arbetssökandes svar: %(count)s", count=asked),
                url_for("tenant.cases.index", state=CaseState.CONSENT_ASKED.value),
            ),
            Link(
                _("Alla pågående ärenden (%(count)s)", count=open_count),
                url_for("tenant.cases.index", state="open"),
            ),
        ],
    )


def _supplier_section(member: Member) -> DashboardSection | None:
    if _is_staff(member) or not member.has(Role.SUPPLIER) or member.supplier_id is None:
        return None
    count = ops.count_open_cases(tenant_db(), member.supplier_id)
    return DashboardSection(
        "supplier-cases",
        _("Era ärenden"),
        items=[
            Link(
                _("Pågående ärenden: %(count)s", count=count),
                url_for("tenant.cases.index", state="open"),
            )
        ],
    )


register_menu_item("tenant.cases.index", _l("Ärenden"), *READERS, order=55)
register_menu_item("tenant.cases.settings", _l("Ärendeinställningar"), Role.ADMIN, order=95)
register_dashboard_section("cases", _staff_section, order=205)
register_dashboard_section("supplier-cases", _supplier_section, order=201)
