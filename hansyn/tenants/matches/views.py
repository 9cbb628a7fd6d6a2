"""Matching pages: a supplier's ranked pseudonymised candidates for one of its open vacancies and
the "ask to meet" button; the same ranking with names for the municipality, to propose from.
The case pages are in `case_views.py`.

Every list that shows candidates writes one audit row per candidate shown, naming the supplier
whose user saw them, so the municipality can answer "which suppliers saw this person".
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from werkzeug.wrappers import Response

from hansyn.errors import InvalidInput
from hansyn.platform.errors import render_error
from hansyn.platform.forms import refuse
from hansyn.platform.models import Role
from hansyn.platform.request_db import audit_db, databases, tenant_db
from hansyn.tenants.audit.operations import record_reads
from hansyn.tenants.context import Member, current_member, current_tenant, requires_role
from hansyn.tenants.labels import text_labeler
from hansyn.tenants.matches import index as matching_index
from hansyn.tenants.matches import operations as ops
from hansyn.tenants.matches import ranking
from hansyn.tenants.matches.cards import kept_card_list, supplier_cards
from hansyn.tenants.matches.forms import MeetingForm, ProposeForm
from hansyn.tenants.matches.pseudonyms import ensure_pseudonyms, known_pseudonyms
from hansyn.tenants.matches.reasons import STATE_LABELS
from hansyn.tenants.menu import DashboardSection, Link, register_dashboard_section
from hansyn.tenants.programmes.operations import list_programmes
from hansyn.tenants.vacancies.models import Vacancy, VacancyStatus
from hansyn.tenants.vacancies.operations import count_vacancies, get_vacancy, list_vacancies

bp = Blueprint("matches", __name__)

CANDIDATE_PAGE = "tenant.candidates.profile"
#: The supplier's dashboard shows this many open vacancies with their counts, then a link.
DASHBOARD_VACANCIES = 10
SUBJECT = "candidate"


def _own_vacancy_or_404(contract_id: int, vacancy_id: int) -> Vacancy:
    """The supplier's own vacancy; any other supplier's answers 404 like a missing one."""
    supplier_id = current_member().supplier_id
    vacancy = (
        get_vacancy(tenant_db(), contract_id, vacancy_id, supplier_id, with_clause=True)
        if supplier_id is not None
        else None
    )
    if vacancy is None:
        abort(404)
    return vacancy


@bp.errorhandler(matching_index.IndexNotReadyError)
def _index_not_ready(
    _error: matching_index.IndexNotReadyError,
) -> tuple[object, int, dict[str, str]]:
    """A large tenant's index is still being built (right after a start): ask to come back."""
    message = _("Matchningen förbereds just nu. Försök igen om några sekunder.")
    body, code = render_error(503, message)
    return body, code, {"Retry-After": "5"}


def current_index() -> matching_index.TenantIndex:
    return matching_index.index_for(tenant_db(), current_tenant().slug)


def _pseudonyms(supplier_id: int) -> Callable[[list[int]], dict[int, str]]:
    """The supplier's pseudonyms for candidate ids, drawing the missing ones."""

    def name(candidate_ids: list[int]) -> dict[int, str]:
        names = known_pseudonyms(tenant_db(), supplier_id, candidate_ids)
        missing = [c for c in candidate_ids if c not in names]
        if missing:  # drawn in a short write transaction of their own
            slug = current_tenant().slug
            names.update(ensure_pseudonyms(databases(), slug, supplier_id, missing))
        return names

    return name


def _audit_shown(candidate_ids: list[int], purpose: str, vacancy: Vacancy) -> None:
    record_reads(audit_db(), current_member(), SUBJECT, candidate_ids, f"{purpose} {vacancy.id}",
                 vacancy.contract.supplier_id)


def ranked_for_supplier(vacancy: Vacancy, purpose: str) -> list[ranking.RankedCandidate]:
    """The vacancy's ranked candidates as its supplier sees them; each one shown is audited."""
    if vacancy.status is not VacancyStatus.OPEN:
        return []
    supplier_id = vacancy.contract.supplier_id
    ranked = ranking.rank_candidates(
        tenant_db(), current_index(), vacancy, supplier_id, name=_pseudonyms(supplier_id)
    )
    _audit_shown([c.candidate_id for c in ranked], purpose, vacancy)
    return ranked


@bp.route("/<int:contract_id>/<int:vacancy_id>/candidates")
@requires_role(Role.SUPPLIER)
def candidates(contract_id: int, vacancy_id: int) -> str:
    vacancy = _own_vacancy_or_404(contract_id, vacancy_id)
    return render_template(
        "tenants/matches/candidates.html", vacancy=vacancy, card_list=_card_list(vacancy)
    )


def _card_list(vacancy: Vacancy) -> Markup | None:
    """The vacancy's ranked cards as HTML (None: no candidates); each one shown is audited.

    The cards are rendered once per kept ranking (`ranking.ranked_matches`), language and set
    of candidates already asked for, then kept in this process (`cards.kept_card_list`): a
    supplier's list is read far more often than it changes, and rendering 25 cards was most of
    the page's time. The audit rows and the CSRF token are the request's own every time.
    """
    if vacancy.status is not VacancyStatus.OPEN:
        return None
    supplier_id = vacancy.contract.supplier_id
    index = current_index()
    matches = ranking.ranked_matches(index, vacancy, ranking.CANDIDATE_LIMIT)
    ids = [int(m.candidate_id) for m in matches]
    _audit_shown(ids, "supplier list", vacancy)
    if not matches:
        return None
    requested = ranking.requested_candidates(tenant_db(), vacancy.id)

    def render(csrf_slot: str) -> Markup:
        ranked = ranking.ranked_from(index, matches, _pseudonyms(supplier_id)(ids), requested)
        html = render_template(
            "tenants/matches/_cards.html", vacancy=vacancy, cards=supplier_cards(ranked),
            formats=_card_formats(), csrf_slot=csrf_slot,
        )
        return Markup(html)  # noqa: S704 (Jinja escaped every value in it)

    key = (id(index.engine), vacancy.id, vacancy.contract_id, supplier_id, str(get_locale()),
           frozenset(requested.intersection(ids)))
    return kept_card_list(key, matches, render, generate_csrf())


def _card_formats() -> dict[str, str]:
    """Each card's texts with placeholders, translated once per page, not once per card."""
    return {
        "score": _("Matchning %(score)s %%"),
        "distance": _("högst %(km)s km"),
        "meet": _("Be att få träffa %(pseudonym)s"),
    }


@bp.route("/<int:contract_id>/<int:vacancy_id>/candidates.json")
@requires_role(Role.SUPPLIER)
def candidates_json(contract_id: int, vacancy_id: int) -> Response:
    vacancy = _own_vacancy_or_404(contract_id, vacancy_id)
    label = text_labeler()
    return jsonify(
        vacancy=vacancy.id,
        status=vacancy.status.value,
        candidates=[c.as_json(label) for c in ranked_for_supplier(vacancy, "supplier list json")],
    )


@bp.route("/<int:contract_id>/<int:vacancy_id>/meet", methods=["POST"])
@requires_role(Role.SUPPLIER)
def meet(contract_id: int, vacancy_id: int) -> Response:
    vacancy = _own_vacancy_or_404(contract_id, vacancy_id)
    form = MeetingForm()
    if not form.validate_on_submit():
        abort(400)
    pseudonym = form.pseudonym.data or ""
    try:
        ops.request_meeting(
            tenant_db(), vacancy, vacancy.contract.supplier_id, pseudonym, current_member()
        )
    except InvalidInput as error:
        refuse(None, error)
    else:
        flash(
            _(
                "Förfrågan om möte med %(pseudonym)s är skickad till kommunen.",
                pseudonym=pseudonym.strip().upper(),
            ),
            "success",
        )
    return redirect(url_for(".candidates", contract_id=contract_id, vacancy_id=vacancy_id))


def candidate_url(candidate_id: int) -> str | None:
    """The coordinator's page of a candidate, when the candidates module serves one."""
    if CANDIDATE_PAGE not in current_app.view_functions or not current_member().has(
        Role.COORDINATOR
    ):
        return None
    return url_for(CANDIDATE_PAGE, candidate_id=candidate_id)


@bp.route("/<int:contract_id>/<int:vacancy_id>/ranking")
@requires_role(Role.COORDINATOR, Role.ADMIN)
def ranking_for_staff(contract_id: int, vacancy_id: int) -> str:
    """The vacancy's ranking as the municipality sees it: names, and "propose" beside each."""
    session = tenant_db()
    vacancy = get_vacancy(session, contract_id, vacancy_id, None)
    if vacancy is None:
        abort(404)
    ranked: list[ranking.RankedCandidate] = []
    if vacancy.status is VacancyStatus.OPEN:
        ranked = ranking.rank_candidates(
            session, current_index(), vacancy, vacancy.contract.supplier_id,
            name=lambda ids: ops.candidate_names(session, ids),
        )
    record_reads(
        audit_db(), current_member(), SUBJECT, [c.candidate_id for c in ranked],
        f"ranking {vacancy.id}",
    )
    return render_template(
        "tenants/matches/ranking.html",
        vacancy=vacancy,
        ranked=ranked,
        cases={c.candidate_id: c for c in ops.list_cases(session, ops.CaseFilter(vacancy.id))},
        propose_form=ProposeForm(),
        candidate_url=candidate_url,
        may_propose=current_member().has(Role.COORDINATOR, Role.ADMIN),
        state_labels=STATE_LABELS,
        programme_names={p.id: p.name for p in list_programmes(session)},
    )


# ---------------------------------------------------------------- navigation


def _candidate_count(vacancy: Vacancy, count: int) -> str:
    if count > ranking.COUNT_CAP:
        return _(
            "%(title)s – fler än %(max)s kandidater", title=vacancy.title, max=ranking.COUNT_CAP
        )
    if count == 1:
        return _("%(title)s – 1 kandidat", title=vacancy.title)
    return _("%(title)s – %(count)s kandidater", title=vacancy.title, count=count)


def _supplier_section(member: Member) -> DashboardSection | None:
    """The supplier's open vacancies that start first, each with its number of candidates
    (counted once per state of the candidate data, see `ranking.count_candidates`)."""
    if not member.has(Role.SUPPLIER) or member.supplier_id is None:
        return None
    session = tenant_db()
    shown = list_vacancies(session, member.supplier_id, VacancyStatus.OPEN, DASHBOARD_VACANCIES)
    try:
        index = current_index() if shown else None
    except matching_index.IndexNotReadyError:  # counts follow once it is built
        index = None
    items = [
        Link(
            _candidate_count(vacancy, ranking.count_candidates(index, vacancy))
            if index
            else vacancy.title,
            url_for(
                "tenant.matches.candidates", contract_id=vacancy.contract_id, vacancy_id=vacancy.id
            ),
        )
        for vacancy in shown
    ]
    total = count_vacancies(session, member.supplier_id, VacancyStatus.OPEN)
    if total > len(shown):
        items.append(
            Link(_("Alla era öppna annonser (%(count)s)", count=total),
                 url_for("tenant.vacancies.index"))
        )
    return DashboardSection(
        "supplier-vacancies",
        _("Era öppna annonser"),
        items=items,
        empty=_("Ni har inga öppna annonser. Lägg upp en annons på ett av era avtal."),
    )


register_dashboard_section("supplier-vacancies", _supplier_section, order=200)
