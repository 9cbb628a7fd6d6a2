"""Job seekers in the JSON API: the coordinator's register, as on the pages.

Every call goes through the functions the pages use (`parsing.parse_candidate`,
`operations.create_candidate`, …) and audits the same way: a list audits each person it shows,
reading one person audits that person.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hansyn.errors import InvalidInput
from hansyn.platform.api.errors import ApiError
from hansyn.platform.api.loading import found_first
from hansyn.platform.api.pagination import Page, paginate
from hansyn.platform.api.parsing import Blueprint
from hansyn.platform.models import Role
from hansyn.platform.request_db import audit_db, tenant_db
from hansyn.tenants.audit.operations import record_reads
from hansyn.tenants.candidates import operations
from hansyn.tenants.candidates.models import Candidate, CandidateStatus
from hansyn.tenants.candidates.parsing import RawCandidate, parse_candidate
from hansyn.tenants.candidates.schemas import (
    CandidateInSchema,
    CandidateListArgsSchema,
    CandidatePageSchema,
    CandidateSchema,
    ConsentInSchema,
    NewCandidateSchema,
    ProgrammeSchema,
    StatusInSchema,
)
from hansyn.tenants.context import current_member, requires_role
from hansyn.tenants.programmes.operations import list_programmes

bp = Blueprint("candidates", __name__, description="Job seekers (coordinators).")
#: The read log's names of what the API showed (see views.AUDIT_PURPOSE_LABELS).
LIST_PURPOSE = "api candidate list"
READ_PURPOSE = "api profile"
#: Names the pages' fields use that the API calls otherwise.
FIELD_NAMES = {"programme": "programme_id", "licences": "driving_licences"}


def _candidate_or_404(candidate_id: int, *, erased_ok: bool = False) -> Candidate:
    candidate = operations.get_candidate(tenant_db(), candidate_id)
    if candidate is None or (candidate.erased_at is not None and not erased_ok):
        raise ApiError(404)
    return candidate


def _raw(data: dict[str, Any]) -> RawCandidate:
    return RawCandidate(
        reference=data["reference"],
        name=data["name"],
        phone=data["phone"] or "",
        email=data["email"] or "",
        programme=data["programme_id"],
        skills=data["skills"],
        languages=data["languages"],
        licences=data["driving_licences"],
        place=data["place"] or "",
        place_id=data["place_id"] or "",
        max_commute_km=data["max_commute_km"],
        available_from=data["available_from"],
        working_time=data["working_time"].value,
        notes=data["notes"] or "",
        confirm_special=data["confirm_special"],
    )


def _parsed(data: dict[str, Any], current: Candidate | None = None) -> Any:
    try:
        return parse_candidate(tenant_db(), _raw(data), current)
    except InvalidInput as error:
        raise _renamed(error) from None


def _renamed(error: InvalidInput) -> InvalidInput:
    problems = [InvalidInput(p.message, FIELD_NAMES.get(p.field or "", p.field))
                for p in error.problems]
    return InvalidInput(problems[0].message, problems[0].field, others=problems[1:])


@bp.route("/")
class Candidates(MethodView):
    @requires_role(Role.COORDINATOR)
    @bp.arguments(CandidateListArgsSchema, location="query")
    @bp.response(200, CandidatePageSchema)
    def get(self, args: dict[str, Any]) -> Page[Candidate]:
        """The register: candidates not erased, by id (filter by `status`)"""
        query = select(Candidate).where(Candidate.erased_at.is_(None))
        if args["status"] is not None:
            query = query.where(Candidate.status == args["status"])
        page = paginate(tenant_db(), query, Candidate.id, limit=args["limit"],
                        cursor=args["cursor"])
        record_reads(audit_db(), current_member(), "candidate", [c.id for c in page.items],
                     LIST_PURPOSE)
        return page

    @requires_role(Role.COORDINATOR)
    @bp.arguments(NewCandidateSchema)
    @bp.response(201, CandidateSchema)
    def post(self, data: dict[str, Any]) -> Candidate:
        """Register a job seeker"""
        session, member = tenant_db(), current_member()
        candidate = operations.create_candidate(session, _parsed(data), member)
        if data["consent"]:
            operations.record_consent(session, candidate, True, member)
        return candidate


@bp.route("/<int:candidate_id>")
class CandidateResource(MethodView):
    @requires_role(Role.COORDINATOR)
    @bp.etag
    @bp.response(200, CandidateSchema)
    def get(self, candidate_id: int) -> Candidate:
        """One job seeker (audited as a read of the profile)"""
        candidate = _candidate_or_404(candidate_id, erased_ok=True)
        operations.audit(audit_db(), current_member(), "view", candidate.id, READ_PURPOSE)
        return candidate

    @requires_role(Role.COORDINATOR)
    @found_first(_candidate_or_404)
    @bp.etag
    @bp.arguments(CandidateInSchema)
    @bp.response(200, CandidateSchema)
    def put(self, data: dict[str, Any], candidate_id: int) -> Candidate:
        """Replace a job seeker's details (If-Match: the ETag you read)"""
        candidate = _candidate_or_404(candidate_id)
        bp.check_etag(candidate, CandidateSchema)
        operations.update_candidate(tenant_db(), candidate, _parsed(data, candidate),
                                    current_member())
        return candidate


@bp.route("/<int:candidate_id>/status", methods=["POST"])
@requires_role(Role.COORDINATOR)
@found_first(_candidate_or_404)
@bp.arguments(StatusInSchema)
@bp.response(200, CandidateSchema)
def change_status(data: dict[str, Any], candidate_id: int) -> Candidate:
    """Pause, reactivate or close (closing needs a `reason`)"""
    candidate = _candidate_or_404(candidate_id)
    status: CandidateStatus = data["status"]
    if status is CandidateStatus.CLOSED and not data["reason"]:
        raise InvalidInput(_l("Välj ett skäl."), "reason")
    reason = data["reason"] if status is CandidateStatus.CLOSED else None
    operations.set_status(tenant_db(), candidate, status, current_member(), reason)
    return candidate


@bp.route("/<int:candidate_id>/consent", methods=["POST"])
@requires_role(Role.COORDINATOR)
@found_first(_candidate_or_404)
@bp.arguments(ConsentInSchema)
@bp.response(200, CandidateSchema)
def consent(data: dict[str, Any], candidate_id: int) -> Candidate:
    """Record that the person gave or withdrew consent to be shown to suppliers"""
    candidate = _candidate_or_404(candidate_id)
    note = data["note"].strip()
    operations.check_consent_note(note)
    operations.record_consent(tenant_db(), candidate, data["given"], current_member(), note)
    return candidate


programmes_bp = Blueprint("programmes", __name__, description="The programme catalogue.")


@programmes_bp.route("/", methods=["GET"])
@requires_role(Role.COORDINATOR, Role.ADMIN)
@programmes_bp.response(200, ProgrammeSchema(many=True))
def programmes() -> list[Any]:
    """The municipality's programmes and target groups (`programme_id` of a candidate)"""
    return list_programmes(tenant_db())
