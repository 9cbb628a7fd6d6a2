"""Pages for job seekers: the coordinator's register, edit, status, consent, import and export;
the tenant admin's read log, registerutdrag (GDPR art. 15) and retention setting; autocomplete
endpoints for every member."""

from __future__ import annotations

import json
import re

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms.fields.choices import SelectChoice

from hansyn.db import storable_id
from hansyn.errors import InvalidInput
from hansyn.platform.forms import refuse
from hansyn.platform.models import Role
from hansyn.platform.pagination import Page, page_cursor, paginate
from hansyn.platform.request_db import audit_db, tenant_db
from hansyn.tenants.audit.models import AuditEvent
from hansyn.tenants.audit.operations import record_reads
from hansyn.tenants.candidates import exporting, importing, operations
from hansyn.tenants.candidates.forms import (
    CLOSING_REASON_LABELS,
    ERASURE_GROUND_LABELS,
    RESTRICTION_GROUND_LABELS,
    WORKING_TIME_LABELS,
    CandidateForm,
    CloseForm,
    ConsentForm,
    EraseForm,
    ImportForm,
    LiftRestrictionForm,
    RestrictForm,
    RetentionForm,
    StatusForm,
)
from hansyn.tenants.candidates.models import Candidate, CandidateStatus
from hansyn.tenants.candidates.parsing import parse_candidate
from hansyn.tenants.candidates.suggest import suggest_languages, suggest_places, suggest_skills
from hansyn.tenants.context import Member, current_member, requires_role
from hansyn.tenants.localities import resolve_place
from hansyn.tenants.matches.case_views import candidate_cases
from hansyn.tenants.menu import (
    DashboardSection,
    Link,
    register_dashboard_section,
    register_menu_item,
)
from hansyn.tenants.privacy.disclosure import supplier_text
from hansyn.tenants.programmes.operations import list_programmes
from hansyn.tenants.suppliers.operations import supplier_names

bp = Blueprint("candidates", __name__)

STATUS_LABELS = {
    CandidateStatus.ACTIVE: _l("aktiv"),
    CandidateStatus.PAUSED: _l("pausad"),
    CandidateStatus.CLOSED: _l("avslutad"),
}
#: The read log's words for what `operations.audit` stores (action, then page or purpose).
AUDIT_ACTION_LABELS = {
    "create": _l("registrerade"),
    "update": _l("ändrade"),
    "status": _l("ändrade status"),
    "consent": _l("samtycke"),
    "erase": _l("gallrade"),
    "view": _l("läste"),
    "export": _l("exporterade"),
    "confirm special": _l("bekräftade känsliga uppgifter"),
    "restrict": _l("begränsade behandlingen"),
    "lift restriction": _l("hävde begränsningen"),
    "release": _l("lämnade ut namn och kontakt (samtycke)"),
}
AUDIT_PURPOSE_LABELS = {
    "register": _l("registrering"),
    "edit": _l("ändringsformuläret"),
    "profile": _l("profilen"),
    "read log": _l("läsloggen"),
    "art. 15 json": _l("registerutdrag (JSON)"),
    "art. 15 csv": _l("registerutdrag (CSV)"),
    "candidate list csv": _l("listan över arbetssökande (CSV)"),
    "candidate list": _l("listan över arbetssökande"),
    "api candidate list": _l("listan över arbetssökande (API)"),
    "api profile": _l("profilen (API)"),
    "supplier list api": _l("leverantörens kandidatlista (API), annons"),
    "register list": _l("registret"),
    "requests": _l("listan över mötesförfrågningar"),
    "case": _l("ärende"),
    "case list": _l("ärendelistan"),
    "supplier case": _l("leverantörens ärende"),
    "supplier case list": _l("leverantörens ärendelista"),
    "vacancy cases": _l("ärenden på annons"),
    "api case": _l("ärende (API)"),
    "api case list": _l("ärendelistan (API)"),
    "api supplier case": _l("leverantörens ärende (API)"),
    "api supplier case list": _l("leverantörens ärendelista (API)"),
    "api placement": _l("anställning (API)"),
    "api placement list": _l("anställningslistan (API)"),
    "api hire": _l("registrerad anställning (API)"),
    "ranking": _l("rangordnade kandidater, annons"),
    "supplier list": _l("leverantörens kandidatlista, annons"),
    "supplier list json": _l("leverantörens kandidatlista (JSON), annons"),
    "given": _l("lämnat"),
    "withdrawn": _l("återkallat"),
    "gallring": _l("gallring"),
    "rights": _l("sidan om den registrerades rättigheter"),
    "art. 17": _l("radering (art. 17)"),
    "art. 18": _l("begränsning (art. 18)"),
    **{status.value: label for status, label in STATUS_LABELS.items()},
    **CLOSING_REASON_LABELS,
    **RESTRICTION_GROUND_LABELS,
    **ERASURE_GROUND_LABELS,
}
MAX_IMPORT_BYTES = 5 * 1024 * 1024
#: A stored purpose may end with the id of what it was about ("supplier list 12": vacancy 12).
PURPOSE_WITH_ID = re.compile(r"^(?P<purpose>.*\D) (?P<id>\d+)$")


def purpose_label(purpose: str | None) -> str:
    """The read log's words for a stored purpose, in the page's language."""
    if purpose is None:
        return ""
    if purpose in AUDIT_PURPOSE_LABELS:
        return str(AUDIT_PURPOSE_LABELS[purpose])
    match = PURPOSE_WITH_ID.match(purpose)
    if match and match["purpose"] in AUDIT_PURPOSE_LABELS:
        return f"{AUDIT_PURPOSE_LABELS[match['purpose']]} {match['id']}"
    head, colon, tail = purpose.partition(": ")
    if colon and head in AUDIT_PURPOSE_LABELS:  # "closed: employed", "art. 18: accuracy"
        return f"{AUDIT_PURPOSE_LABELS[head]}: {purpose_label(tail)}"
    return purpose


def _candidate_or_404(candidate_id: int, *, erased_ok: bool = False) -> Candidate:
    candidate = operations.get_candidate(tenant_db(), candidate_id)
    if candidate is None or (candidate.erased_at is not None and not erased_ok):
        abort(404)
    return candidate


def _programme_choices(current: int | None = None) -> list[SelectChoice]:
    """Active programmes, plus the candidate's own even if it has been deactivated since."""
    programmes = list_programmes(tenant_db())
    choices = [SelectChoice("", _("Välj …"))]
    choices += [SelectChoice(str(p.id), p.name) for p in programmes if p.active or p.id == current]
    return choices


def _form_commute(form: CandidateForm) -> operations.Commute:
    """The default commute of the place in the form, to show before the field is filled in."""
    try:
        place = resolve_place(form.place.data or "", form.place_id.data or "")
    except InvalidInput:
        place = None
    return operations.default_commute(place)


def _template_context(**values: object) -> dict[str, object]:
    return {"status_labels": STATUS_LABELS, "supplier_text": supplier_text, **values}


def _flash_withheld(candidate: Candidate) -> None:
    """Say which skill lines suppliers will not see (and the matching will not use)."""
    withheld = [s.text for s in candidate.skills if supplier_text(s.text) is None]
    if withheld:
        flash(
            _(
                "Visas inte för leverantörer och matchas inte: %(lines)s. Skriv kompetensen med "
                "ord ur förslagen, utan namn, nummer eller adresser.",
                lines=", ".join(f"”{text}”" for text in withheld),
            ),
            "warning",
        )


# ---------------------------------------------------------------- coordinator pages


def _search_from_args() -> operations.CandidateSearch:
    """The list's search and filters from the query string; what is not understood is ignored."""
    args = request.args
    status = args.get("status")
    programme = storable_id(args.get("program")) if args.get("program") else None
    return operations.CandidateSearch(
        text=args.get("q", "").strip()[:200],
        programme_id=programme,
        skill=args.get("kompetens", "").strip()[:200],
        place=args.get("ort", "").strip()[:200],
        status=CandidateStatus(status) if status in set(CandidateStatus) else None,
    )


def _candidate_page(purpose: str) -> tuple[operations.CandidateSearch, Page[Candidate]]:
    """One page of the searched candidates, newest first; each person shown is audited."""
    search = _search_from_args()
    page = paginate(
        tenant_db(), operations.search_candidates(search), (Candidate.id,),
        cursor=page_cursor(), descending=True,
    )
    record_reads(audit_db(), current_member(), "candidate", [c.id for c in page.items], purpose)
    return search, page


@bp.route("/")
@requires_role(Role.COORDINATOR)
def index() -> str:
    search, page = _candidate_page("candidate list")
    return render_template(
        "tenants/candidates/index.html",
        **_template_context(
            page=page,
            search=search,
            chosen=search.status,
            counts=operations.status_counts(tenant_db()),
            programmes=list_programmes(tenant_db()),
        ),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires_role(Role.COORDINATOR)
def new() -> str | WerkzeugResponse:
    form = CandidateForm()
    form.programme.choices = _programme_choices()
    if form.validate_on_submit():
        session = tenant_db()
        try:
            data = parse_candidate(session, form.raw())
        except InvalidInput as error:
            refuse(form, error)
        else:
            candidate = operations.create_candidate(session, data, current_member())
            if form.consent.data:
                operations.record_consent(session, candidate, True, current_member())
            flash(_("Den arbetssökande är registrerad."), "success")
            _flash_withheld(candidate)
            return redirect(url_for(".profile", candidate_id=candidate.id))
    return render_template(
        "tenants/candidates/form.html",
        **_template_context(form=form, candidate=None, commute=_form_commute(form)),
    )


@bp.route("/<int:candidate_id>")
@requires_role(Role.COORDINATOR)
def profile(candidate_id: int) -> str:
    candidate = _candidate_or_404(candidate_id, erased_ok=True)
    operations.audit(audit_db(), current_member(), "view", candidate.id, "profile")
    return render_template(
        "tenants/candidates/profile.html",
        **_template_context(
            candidate=candidate,
            commute=operations.effective_commute(candidate),
            status_form=StatusForm(),
            consent_form=ConsentForm(),
            working_time_label=WORKING_TIME_LABELS[candidate.working_time],
            **candidate_cases(candidate),
        ),
    )


def _edit_form(candidate: Candidate) -> CandidateForm:
    if request.method == "POST":
        return CandidateForm()
    return CandidateForm(
        reference=candidate.reference,
        name=candidate.name,
        phone=candidate.phone,
        email=candidate.email,
        programme=str(candidate.programme_id),
        skills="\n".join(s.text for s in candidate.skills),
        languages="\n".join(v.text for v in candidate.languages),
        licences=candidate.licence_list,
        place=candidate.place_name,
        place_id=candidate.place_id,
        max_commute_km=candidate.max_commute_km,
        working_time=candidate.working_time.value,
        available_from=candidate.available_from.isoformat() if candidate.available_from else "",
        notes=candidate.notes,
    )


@bp.route("/<int:candidate_id>/edit", methods=["GET", "POST"])
@requires_role(Role.COORDINATOR)
def edit(candidate_id: int) -> str | WerkzeugResponse:
    session = tenant_db()
    candidate = _candidate_or_404(candidate_id)
    form = _edit_form(candidate)
    form.programme.choices = _programme_choices(candidate.programme_id)
    if form.validate_on_submit():
        try:
            data = parse_candidate(session, form.raw(), candidate)
        except InvalidInput as error:
            refuse(form, error)
        else:
            operations.update_candidate(session, candidate, data, current_member())
            flash(_("Ändringarna är sparade."), "success")
            _flash_withheld(candidate)
            return redirect(url_for(".profile", candidate_id=candidate.id))
    if request.method == "GET":
        operations.audit(audit_db(), current_member(), "view", candidate.id, "edit")
    return render_template(
        "tenants/candidates/form.html",
        **_template_context(form=form, candidate=candidate, commute=_form_commute(form)),
    )


@bp.route("/<int:candidate_id>/status", methods=["POST"])
@requires_role(Role.COORDINATOR)
def change_status(candidate_id: int) -> WerkzeugResponse:
    """Pause or reactivate; closing asks for a reason and a confirmation (`close`)."""
    candidate = _candidate_or_404(candidate_id)
    form = StatusForm()
    allowed = {CandidateStatus.ACTIVE.value, CandidateStatus.PAUSED.value}
    if not form.validate_on_submit() or form.status.data not in allowed:
        abort(400)
    status = CandidateStatus(form.status.data)
    operations.set_status(tenant_db(), candidate, status, current_member())
    flash(_("Status ändrad till %(status)s.", status=STATUS_LABELS[status]), "success")
    return redirect(url_for(".profile", candidate_id=candidate.id))


@bp.route("/<int:candidate_id>/close", methods=["GET", "POST"])
@requires_role(Role.COORDINATOR)
def close(candidate_id: int) -> str | WerkzeugResponse:
    candidate = _candidate_or_404(candidate_id)
    form = CloseForm()
    if form.validate_on_submit():
        try:
            operations.set_status(
                tenant_db(), candidate, CandidateStatus.CLOSED, current_member(), form.reason.data
            )
        except InvalidInput as error:
            refuse(form, error)
        else:
            flash(_("Ärendet är avslutat."), "success")
            return redirect(url_for(".profile", candidate_id=candidate.id))
    return render_template(
        "tenants/candidates/close.html", **_template_context(candidate=candidate, form=form)
    )


@bp.route("/<int:candidate_id>/consent", methods=["POST"])
@requires_role(Role.COORDINATOR)
def consent(candidate_id: int) -> WerkzeugResponse:
    candidate = _candidate_or_404(candidate_id)
    form = ConsentForm()
    if not form.validate_on_submit() or form.given.data not in {"yes", "no"}:
        abort(400)
    note = (form.note.data or "").strip()[:500]
    try:
        operations.check_consent_note(note)
    except InvalidInput as error:
        refuse(None, error)
        return redirect(url_for(".profile", candidate_id=candidate.id))
    given = form.given.data == "yes"
    operations.record_consent(tenant_db(), candidate, given, current_member(), note)
    flash(_("Samtycket är registrerat.") if given else _("Samtycket är återkallat."), "success")
    return redirect(url_for(".profile", candidate_id=candidate.id))


@bp.route("/import", methods=["GET", "POST"])
@requires_role(Role.COORDINATOR)
def import_file() -> str:
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        data = form.file.data.read(MAX_IMPORT_BYTES + 1)
        try:
            if len(data) > MAX_IMPORT_BYTES:
                raise InvalidInput(_too_large(), "file")
            report = importing.import_csv(
                tenant_db(), data, current_member(), confirm_special=form.confirm_special.data
            )
        except InvalidInput as error:
            refuse(form, error)
    return _import_page(form, report)


def _too_large() -> str:
    return _(
        "Filen är större än %(mb)d MB. Dela upp den i flera filer.",
        mb=MAX_IMPORT_BYTES // 2**20,
    )


def _import_page(form: ImportForm, report: importing.ImportReport | None) -> str:
    return render_template(
        "tenants/candidates/import.html",
        form=form,
        report=report,
        columns=importing.COLUMNS,
        required=importing.REQUIRED_COLUMNS,
        max_mb=MAX_IMPORT_BYTES // 2**20,
        max_rows=importing.MAX_ROWS,
    )


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> tuple[str, int] | RequestEntityTooLarge:
    """A file beyond the request limit (MAX_CONTENT_LENGTH) never reaches the view: say so on
    the import page instead of a bare error page."""
    if request.endpoint != "tenant.candidates.import_file":
        return error
    form = ImportForm(formdata=None)
    form.file.errors = [_too_large()]
    return _import_page(form, None), 413


@bp.route("/import/mall.csv")
@requires_role(Role.COORDINATOR)
def import_template() -> Response:
    """An empty file with every column and one example row, to fill in in Excel."""
    return _download(exporting.template_csv(), "arbetssokande-mall.csv", "text/csv")


@bp.route("/export.csv")
@requires_role(Role.COORDINATOR)
def export_csv() -> Response:
    session = tenant_db()
    candidates = operations.list_candidates(session)
    # One row per person exported, so that each one's read log (art. 15) shows the export.
    for candidate in candidates:
        operations.audit(audit_db(), current_member(), "export", candidate.id, "candidate list csv")
    return _download(exporting.candidates_csv(candidates), "arbetssokande.csv", "text/csv")


def _download(body: str, filename: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---------------------------------------------------------------- autocomplete (every member)


@bp.route("/suggest/skills")
def suggest_skill() -> Response:
    return _json(suggest_skills(request.args.get("q", "")))


@bp.route("/suggest/languages")
def suggest_language() -> Response:
    return _json(suggest_languages(request.args.get("q", "")))


@bp.route("/suggest/places")
def suggest_place() -> Response:
    return _json(suggest_places(request.args.get("q", "")))


def _json(payload: object) -> Response:
    return Response(json.dumps(payload, ensure_ascii=False), mimetype="application/json")


# ---------------------------------------------------------------- the tenant admin's pages


@bp.route("/register")
@requires_role(Role.ADMIN)
def register() -> str:
    search, page = _candidate_page("register list")
    return render_template(
        "tenants/candidates/register.html",
        **_template_context(page=page, search=search, programmes=list_programmes(tenant_db())),
    )


@bp.route("/<int:candidate_id>/log")
@requires_role(Role.ADMIN)
def read_log(candidate_id: int) -> str:
    candidate = _candidate_or_404(candidate_id, erased_ok=True)
    session = tenant_db()
    events = paginate(
        session, operations.read_log_query(candidate.id), (AuditEvent.id,),
        cursor=page_cursor(), descending=True,
    )
    operations.audit(audit_db(), current_member(), "view", candidate.id, "read log")
    return render_template(
        "tenants/candidates/log.html",
        **_template_context(
            candidate=candidate,
            events=events,
            action_labels=AUDIT_ACTION_LABELS,
            purpose_label=purpose_label,
            supplier_names=supplier_names(session),
        ),
    )


def _recipients(candidate: Candidate) -> list[exporting.Recipient]:
    """The suppliers that were shown the candidate, in Swedish like the rest of the export."""
    session = tenant_db()
    names = supplier_names(session)
    with force_locale("sv"):
        return [
            exporting.Recipient(
                event.at,
                names.get(event.supplier_id or 0, f"leverantör {event.supplier_id}"),
                purpose_label(event.purpose),
            )
            for event in operations.supplier_disclosures(session, candidate.id)
        ]


@bp.route("/<int:candidate_id>/export.json")
@requires_role(Role.ADMIN)
def subject_access_json(candidate_id: int) -> Response:
    candidate = _candidate_or_404(candidate_id, erased_ok=True)
    operations.audit(audit_db(), current_member(), "export", candidate.id, "art. 15 json")
    data = exporting.subject_access_data(candidate, _recipients(candidate))
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return _download(body, f"registerutdrag-{candidate.id}.json", "application/json")


@bp.route("/<int:candidate_id>/export.csv")
@requires_role(Role.ADMIN)
def subject_access_csv(candidate_id: int) -> Response:
    candidate = _candidate_or_404(candidate_id, erased_ok=True)
    operations.audit(audit_db(), current_member(), "export", candidate.id, "art. 15 csv")
    body = exporting.subject_access_csv(candidate, _recipients(candidate))
    return _download(body, f"registerutdrag-{candidate.id}.csv", "text/csv")


def _rights_page(candidate: Candidate, **forms: object) -> str:
    values = {
        "restrict_form": RestrictForm(formdata=None),
        "lift_form": LiftRestrictionForm(formdata=None),
        "erase_form": EraseForm(formdata=None),
        **forms,
    }
    return render_template(
        "tenants/candidates/rights.html",
        **_template_context(
            candidate=candidate, restriction_labels=RESTRICTION_GROUND_LABELS, **values
        ),
    )


@bp.route("/<int:candidate_id>/rights")
@requires_role(Role.ADMIN)
def rights(candidate_id: int) -> str:
    """The data subject's rights: export (art. 15), restrict (art. 18), erase now (art. 17)."""
    candidate = _candidate_or_404(candidate_id)
    operations.audit(audit_db(), current_member(), "view", candidate.id, "rights")
    return _rights_page(candidate)


@bp.route("/<int:candidate_id>/restrict", methods=["POST"])
@requires_role(Role.ADMIN)
def restrict(candidate_id: int) -> str | WerkzeugResponse:
    candidate = _candidate_or_404(candidate_id)
    form = RestrictForm()
    if form.validate_on_submit():
        try:
            operations.restrict(tenant_db(), candidate, form.ground.data, current_member())
        except InvalidInput as error:
            refuse(form, error)
        else:
            flash(_("Behandlingen är begränsad (art. 18)."), "success")
            return redirect(url_for(".rights", candidate_id=candidate.id))
    return _rights_page(candidate, restrict_form=form)


@bp.route("/<int:candidate_id>/lift-restriction", methods=["POST"])
@requires_role(Role.ADMIN)
def lift_restriction(candidate_id: int) -> WerkzeugResponse:
    candidate = _candidate_or_404(candidate_id)
    if not LiftRestrictionForm().validate_on_submit():
        abort(400)
    operations.lift_restriction(tenant_db(), candidate, current_member())
    flash(_("Begränsningen är hävd."), "success")
    return redirect(url_for(".rights", candidate_id=candidate.id))


@bp.route("/<int:candidate_id>/erase", methods=["POST"])
@requires_role(Role.ADMIN)
def erase(candidate_id: int) -> str | WerkzeugResponse:
    candidate = _candidate_or_404(candidate_id)
    form = EraseForm()
    if form.validate_on_submit():
        try:
            operations.erase_now(tenant_db(), candidate, form.ground.data, current_member())
        except InvalidInput as error:
            refuse(form, error)
        else:
            flash(_("Personuppgifterna är raderade (art. 17)."), "success")
            return redirect(url_for(".register"))
    return _rights_page(candidate, erase_form=form)


@bp.route("/settings", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def settings() -> str | WerkzeugResponse:
    session = tenant_db()
    current = operations.get_settings(session)
    form = RetentionForm(retention_months=str(current.retention_months))
    if form.validate_on_submit():
        try:
            months = operations.parse_retention_months(form.retention_months.data)
        except InvalidInput as error:
            refuse(form, error)
        else:
            operations.set_retention_months(session, months, current_member())
            flash(_("Gallringsfristen är sparad."), "success")
            return redirect(url_for(".settings"))
    return render_template("tenants/candidates/settings.html", form=form, settings=current)


# ---------------------------------------------------------------- navigation


def _coordinator_section(member: Member) -> DashboardSection | None:
    if not member.has(Role.COORDINATOR):
        return None
    session = tenant_db()
    counts = operations.status_counts(session)
    items = [
        Link(
            _("%(status)s: %(count)d", status=STATUS_LABELS[s].capitalize(), count=n),
            url_for("tenant.candidates.index", status=s.value),
        )
        for s, n in counts.items()
    ]
    items += [
        Link(
            _(
                "Ändrad nyligen: %(reference)s (%(status)s)",
                reference=c.reference or c.id,
                status=STATUS_LABELS[c.status],
            ),
            url_for("tenant.candidates.profile", candidate_id=c.id),
        )
        for c in operations.recently_changed(session)
    ]
    items.append(Link(_("Registrera en arbetssökande"), url_for("tenant.candidates.new")))
    return DashboardSection("candidates", _("Arbetssökande"), items=items)


register_menu_item("tenant.candidates.index", _l("Arbetssökande"), Role.COORDINATOR, order=20)
register_menu_item("tenant.candidates.register", _l("Registerutdrag"), Role.ADMIN, order=60)
register_menu_item("tenant.candidates.settings", _l("Gallring"), Role.ADMIN, order=70)
register_dashboard_section("candidates", _coordinator_section, order=20)
