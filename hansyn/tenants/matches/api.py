"""Cases (the hiring workflow) in the JSON API: the same list, the same view of one case and the
same moves as the case pages (`case_views`), through `workflow.transition`.

Staff see who the candidate is; a supplier sees its own cases only, by its pseudonym, and the
name only while the identity is released to it (`workflow.identity_released`) — as on the pages,
every name shown is audited, and a supplier is never given the candidate's id.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from hansyn.db import MAX_ID
from hansyn.platform.api.errors import ApiError
from hansyn.platform.api.loading import found_first
from hansyn.platform.api.pagination import Page, decode_cursor, encode_cursor
from hansyn.platform.api.parsing import Blueprint
from hansyn.platform.api.schemas import (
    ApiSchema,
    PageArgsSchema,
    UtcDateTime,
    length,
    number,
    page_schema,
)
from hansyn.platform.request_db import tenant_db
from hansyn.tenants.candidates.models import Candidate
from hansyn.tenants.context import current_member, requires_role
from hansyn.tenants.matches import operations as ops

# The case pages' own helpers: who may see which case, and how (names audited, pseudonyms).
from hansyn.tenants.matches.case_views import (
    NOT_HERE,
    READERS,
    STAFF,
    Shown,
    _case_or_404,
    _is_staff,
    _shown,
    _supplier_scope,
)
from hansyn.tenants.matches.models import (
    OPEN_STATES,
    CaseOrigin,
    CaseState,
    ConsentChannel,
    InterviewOutcome,
)
from hansyn.tenants.matches.workflow import next_states, roles_of

bp = Blueprint("cases", __name__, description="Cases: the hiring workflow.")
STATE_FILTER = [*(s.value for s in CaseState), "open"]


class CaseSchema(ApiSchema):
    id = fields.Function(lambda s: s["case"].id, required=True, metadata={"type": "integer"})
    vacancy_id = fields.Function(lambda s: s["case"].vacancy_id, required=True,
                                 metadata={"type": "integer"})
    contract_id = fields.Function(lambda s: s["case"].vacancy.contract_id, required=True,
                                  metadata={"type": "integer"})
    supplier_id = fields.Function(lambda s: s["case"].supplier_id, required=True,
                                  metadata={"type": "integer"})
    candidate_id = fields.Integer(allow_none=True,
                                  metadata={"description": "Staff only; null for suppliers."})
    candidate_name = fields.String(attribute="name", allow_none=True,
                                   metadata={"description": "Null while not released to you."})
    pseudonym = fields.String(allow_none=True)
    state = fields.Function(lambda s: s["case"].state.value, required=True,
                            metadata={"type": "string", "enum": [s.value for s in CaseState]})
    origin = fields.Function(lambda s: s["case"].origin.value, required=True,
                             metadata={"type": "string", "enum": [o.value for o in CaseOrigin]})
    next_states = fields.List(fields.String(), required=True,
                              metadata={"description": "Where you may move the case now."})
    reason = fields.Function(lambda s: s["case"].reason_code, allow_none=True,
                             metadata={"type": "string", "nullable": True})
    consent_on = fields.Function(lambda s: _iso(s["case"].consent_on), allow_none=True,
                                 metadata={"type": "string", "format": "date", "nullable": True})
    interview_on = fields.Function(lambda s: _iso(s["case"].interview_on), allow_none=True,
                                   metadata={"type": "string", "format": "date", "nullable": True})
    hired_on = fields.Function(lambda s: _iso(s["case"].hired_on), allow_none=True,
                               metadata={"type": "string", "format": "date", "nullable": True})
    created_at = UtcDateTime(required=True)
    state_changed_at = UtcDateTime(required=True)


def _iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None


CasePageSchema = page_schema(CaseSchema, "CasePage")


class CaseListArgsSchema(PageArgsSchema):
    state = fields.String(load_default=None, validate=validate.OneOf(STATE_FILTER),
                          metadata={"description": "A state, or `open` for every open one."})
    vacancy_id = fields.Integer(load_default=None, validate=number(1, MAX_ID))


class ProposalSchema(ApiSchema):
    vacancy_id = fields.Integer(required=True, validate=number(1, MAX_ID))
    candidate_id = fields.Integer(required=True, validate=number(1, MAX_ID))
    message = fields.String(load_default=None, allow_none=True, validate=length(2000))
    note = fields.String(load_default=None, allow_none=True, validate=length(2000))


class TransitionSchema(ApiSchema):
    to_state = fields.Enum(CaseState, by_value=True, required=True)
    reason = fields.String(load_default=None, allow_none=True, validate=length(40),
                           metadata={"description": "For refused and withdrawn."})
    message = fields.String(load_default=None, allow_none=True, validate=length(2000),
                            metadata={"description": "To the candidate."})
    note = fields.String(load_default=None, allow_none=True, validate=length(2000),
                         metadata={"description": "To the labour-market unit."})
    consent_on = fields.Date(load_default=None, allow_none=True)
    consent_channel = fields.Enum(ConsentChannel, by_value=True, load_default=None,
                                  allow_none=True)
    interview_on = fields.Date(load_default=None, allow_none=True)
    interview_outcome = fields.Enum(InterviewOutcome, by_value=True, load_default=None,
                                    allow_none=True)


def _as_json(shown: list[Shown]) -> list[dict[str, Any]]:
    member = current_member()
    staff = _is_staff(member)
    return [
        {
            "case": s.case, "name": s.name, "pseudonym": s.pseudonym,
            "candidate_id": s.case.candidate_id if staff else None,
            "next_states": [t.value for t in next_states(s.case, roles_of(member, s.case))
                            if t not in NOT_HERE],
            "created_at": s.case.created_at, "state_changed_at": s.case.state_changed_at,
        }
        for s in shown
    ]


def _one(case_id: int) -> dict[str, Any]:
    member = current_member()
    case = _case_or_404(case_id)
    purpose = f"api case {case.id}" if _is_staff(member) else f"api supplier case {case.id}"
    return _as_json(_shown([case], member, purpose))[0]


@bp.route("/")
class Cases(MethodView):
    @requires_role(*READERS)
    @bp.arguments(CaseListArgsSchema, location="query")
    @bp.response(200, CasePageSchema)
    def get(self, args: dict[str, Any]) -> Page[dict[str, Any]]:
        """Cases, newest first: every case (staff), your own (suppliers)"""
        member = current_member()
        state = args["state"]
        states = sorted(OPEN_STATES) if state == "open" else ([CaseState(state)] if state else [])
        where = ops.CaseFilter(vacancy_id=args["vacancy_id"], states=states,
                               supplier_id=_supplier_scope(member))
        limit = args["limit"]
        cases = ops.list_cases(tenant_db(), where, limit=limit + 1,
                               before_id=decode_cursor(args["cursor"]))
        page, more = cases[:limit], len(cases) > limit
        purpose = "api case list" if _is_staff(member) else "api supplier case list"
        return Page(_as_json(_shown(page, member, purpose)),
                    encode_cursor(page[-1].id) if more else None)

    @requires_role(*STAFF)
    @bp.arguments(ProposalSchema)
    @bp.response(201, CaseSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Propose a candidate for an open vacancy (a proposed case)"""
        session = tenant_db()
        vacancy = ops.open_vacancy(session, data["vacancy_id"])
        candidate = session.get(Candidate, data["candidate_id"])
        if vacancy is None or candidate is None:
            raise ApiError(404)
        case = ops.propose_candidate(session, vacancy, candidate.id, current_member(),
                                     data["message"], data["note"])
        return _one(case.id)


@bp.route("/<int:case_id>", methods=["GET"])
@requires_role(*READERS)
@bp.response(200, CaseSchema)
def get_case(case_id: int) -> dict[str, Any]:
    """One case (yours only, for suppliers)"""
    return _one(case_id)


@bp.route("/<int:case_id>/transitions", methods=["POST"])
@requires_role(*READERS)
@found_first(_case_or_404)
@bp.arguments(TransitionSchema)
@bp.response(200, CaseSchema)
def move(data: dict[str, Any], case_id: int) -> dict[str, Any]:
    """Move the case (`to_state` one of its `next_states`); 409 if that move is not yours now.

    A hire (`hired`) is recorded with its employment by the placements domain."""
    member = current_member()
    case = _case_or_404(case_id)
    target: CaseState = data["to_state"]
    if target in NOT_HERE or target not in next_states(case, roles_of(member, case)):
        raise ApiError(409, "transition_not_allowed",
                       _l("Ärendet kan inte gå till det läget nu, eller inte av dig."))
    fields_given = {name: data[name] for name in
                    ("consent_on", "consent_channel", "interview_on", "interview_outcome")
                    if data[name] is not None}
    ops.transition(tenant_db(), case, target, member, reason=data["reason"],
                   message=data["message"], note=data["note"], **fields_given)
    return _one(case.id)
