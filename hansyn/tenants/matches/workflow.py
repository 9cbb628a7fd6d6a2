"""The case workflow: the transition table, the one function that moves a case, and what other
domains call.

    from hansyn.tenants.matches.workflow import transition, obsolete_other_cases, CaseState

    transition(session, case, to_state, actor, *, reason=None, message=None, note=None,
               role=None, **fields) -> CaseEvent

checks `TRANSITIONS` (may a member acting as `role` move a case from its state to `to_state`?),
checks the fields the target state needs, sets them, writes one `CaseEvent` (who, when, reason,
the message to the candidate and the note to the labour-market unit apart) and one audit row, and
queues the notifications; it only flushes. Bad input raises `InvalidInput` (all problems at once).

- `role` is derived from `actor` when not given: a member's coordinator or admin role, or the
  supplier role when the member works for the case's supplier; an actor without roles (a
  `SystemActor`: commands, deadlines) acts as `CaseRole.SYSTEM`. Server code acting on someone's
  behalf (the demo, tests) may name the role.
- `fields` by target state: CONSENTED and DECLINED need `consent_on` (a date, not in the future)
  and `consent_channel` (`ConsentChannel`); INTERVIEW needs `interview_on` (a date); HIRED takes
  `hired_on` (a date, today by default); leaving INTERVIEW may give `interview_outcome`.
  REFUSED and WITHDRAWN need `reason`, a code of the matching kind from `reasons.REASONS`.
- HIRED is fired only by the placements domain's `record_hire`, in the same unit of work as the
  placement it creates; the generic pages refuse it.
- `obsolete_other_cases(session, case, actor)`: after a full-time hire, the candidate's other
  open cases become OBSOLETE (as SYSTEM); their suppliers are never told which supplier hired.
- Identity release: only a case in `RELEASED_STATES`, of a candidate whose consent still holds,
  shows the candidate's name and contact to that case's supplier (`identity_released`). Entering
  CONSENTED audits the release; withdrawn consent (or a closed candidate) withdraws every open
  case at once through the candidates domain's hook.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from hansyn.errors import InvalidInput, Problems
from hansyn.platform.models import Role, utcnow
from hansyn.tenants.audit.operations import Actor, record
from hansyn.tenants.candidates import operations as candidate_ops
from hansyn.tenants.candidates.models import Candidate, CandidateStatus
from hansyn.tenants.candidates.validation import refuse_personnummer
from hansyn.tenants.matches import reasons
from hansyn.tenants.matches.models import (
    AWAITING_ANSWER,
    FINAL_STATES,
    OPEN_STATES,
    RELEASED_STATES,
    Case,
    CaseEvent,
    CaseOrigin,
    CaseReason,
    CaseRole,
    CaseState,
    ConsentChannel,
    InterviewOutcome,
    ReasonKind,
)
from hansyn.tenants.matches.notices import notify_transition
from hansyn.tenants.vacancies.models import Vacancy, VacancyStatus

__all__ = [
    "TRANSITIONS",
    "CaseRole",
    "CaseState",
    "Transition",
    "identity_released",
    "obsolete_other_cases",
    "open_case",
    "transition",
]

MAX_TEXT = 2000
SUBJECT = "match_case"

C, A, S, SYS = CaseRole.COORDINATOR, CaseRole.ADMIN, CaseRole.SUPPLIER, CaseRole.SYSTEM
STAFF = frozenset({C, A})


@dataclass(frozen=True)
class Transition:
    """`source` → `target`, fired by any of `roles`. `source` None: the case is created."""

    source: CaseState | None
    target: CaseState
    roles: frozenset[CaseRole]


def _rows() -> Iterable[Transition]:
    st = CaseState
    yield Transition(None, st.PROPOSED, STAFF)
    yield Transition(None, st.REQUESTED, frozenset({S}))
    yield Transition(st.PROPOSED, st.CONSENT_ASKED, STAFF)
    yield Transition(st.REQUESTED, st.CONSENT_ASKED, STAFF)
    yield Transition(st.CONSENT_ASKED, st.CONSENTED, STAFF)
    yield Transition(st.CONSENT_ASKED, st.DECLINED, STAFF)
    yield Transition(st.CONSENTED, st.INTERVIEW, STAFF | {S})
    yield Transition(st.INTERVIEW, st.OFFERED, STAFF | {S})
    yield Transition(st.OFFERED, st.HIRED, STAFF | {S})
    for source in sorted(OPEN_STATES):
        # Unanswered for too long: the deadline refuses it (SYSTEM).
        system = {SYS} if source in AWAITING_ANSWER else set()
        yield Transition(source, st.REFUSED, STAFF | {S} | system)
        # The candidate or the municipality withdraws; SYSTEM when consent is withdrawn.
        yield Transition(source, st.WITHDRAWN, STAFF | {SYS})
        yield Transition(source, st.OBSOLETE, frozenset({SYS}))
    for source in (st.REFUSED, st.WITHDRAWN, st.OBSOLETE):
        yield Transition(source, st.PROPOSED, STAFF)  # reopen: the municipality proposes again


#: The whole workflow as data: docs/workflow.md draws it, tests fire every row and every gap.
TRANSITIONS: tuple[Transition, ...] = tuple(_rows())
_TABLE = {(t.source, t.target): t for t in TRANSITIONS}


def may(source: CaseState | None, target: CaseState, role: CaseRole) -> bool:
    found = _TABLE.get((source, target))
    return found is not None and role in found.roles


def roles_of(actor: Actor, case: Case) -> list[CaseRole]:
    """The case roles an actor holds for this case, most specific first."""
    member_roles = getattr(actor, "roles", None)
    if member_roles is None:
        return [SYS]
    found = []
    if Role.COORDINATOR in member_roles:
        found.append(C)
    if Role.ADMIN in member_roles:
        found.append(A)
    if Role.SUPPLIER in member_roles and getattr(actor, "supplier_id", None) == case.supplier_id:
        found.append(S)
    return found


def next_states(case: Case, roles: Iterable[CaseRole]) -> list[CaseState]:
    """Where these roles may move the case, in the order of `CaseState`."""
    held = set(roles)
    return [t.target for t in TRANSITIONS if t.source is case.state and held & t.roles]


def _acting_role(actor: Actor, case: Case, source: CaseState | None, target: CaseState) -> CaseRole:
    held = roles_of(actor, case)
    allowed = next((role for role in held if may(source, target, role)), None)
    if allowed is None:
        raise _not_allowed(source, target)
    return allowed


def _not_allowed(source: CaseState | None, target: CaseState) -> InvalidInput:
    if source is None:
        return InvalidInput(
            _l("Du kan inte skapa ett ärende i läget ”%(to)s”.", to=reasons.STATE_LABELS[target])
        )
    return InvalidInput(
        _l(
            "Ärendet kan inte gå från ”%(from)s” till ”%(to)s” av dig.",
            **{"from": reasons.STATE_LABELS[source], "to": reasons.STATE_LABELS[target]},
        )
    )


# ---------------------------------------------------------------- checking what comes with a move


def _text(value: str | None, field: str) -> str | None:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput(_l("Högst %(max)d tecken.", max=MAX_TEXT), field)
    refuse_personnummer(text, field)
    return text or None


def _date(value: Any, field: str, message: Any) -> date:
    if not isinstance(value, date):
        raise InvalidInput(message, field)
    return value


def _reason(session: Session, code: str | None, kind: ReasonKind, role: CaseRole) -> CaseReason:
    found = session.get(CaseReason, code) if code else None
    usable = (
        found is not None
        and found.kind is kind
        and found.system == (role is SYS)
        and (found.retired_at is None or role is SYS)
    )
    if not usable or found is None:
        raise InvalidInput(_l("Välj ett skäl ur listan."), "reason")
    return found


def _consent_fields(case: Case, fields: dict[str, Any], problems: Problems) -> dict[str, Any]:
    values: dict[str, Any] = {}
    with problems.check():
        day = _date(fields.get("consent_on"), "consent_on", _l("Ange datumet för svaret."))
        if day > date.today():
            raise InvalidInput(_l("Svaret kan inte ha kommit i framtiden."), "consent_on")
        if day < case.created_at.date():
            raise InvalidInput(_l("Svaret kan inte ha kommit innan ärendet fanns."), "consent_on")
        values["consent_on"] = day
    with problems.check():
        channel = fields.get("consent_channel")
        if not isinstance(channel, ConsentChannel):
            raise InvalidInput(_l("Ange hur svaret kom."), "consent_channel")
        values["consent_channel"] = channel
    return values


def _interview_fields(case: Case, fields: dict[str, Any]) -> dict[str, Any]:
    day = _date(fields.get("interview_on"), "interview_on", _l("Ange intervjudatum."))
    if case.consent_on is not None and day < case.consent_on:
        raise InvalidInput(_l("Intervjun kan inte vara före samtycket."), "interview_on")
    return {"interview_on": day}


def _fields_for(
    session: Session,
    case: Case,
    target: CaseState,
    role: CaseRole,
    reason: str | None,
    fields: dict[str, Any],
    problems: Problems,
) -> dict[str, Any]:
    """The columns `target` sets, checked; problems are collected, not raised."""
    values: dict[str, Any] = {}
    if target in (CaseState.CONSENTED, CaseState.DECLINED):
        values.update(_consent_fields(case, fields, problems))
    elif target is CaseState.INTERVIEW:
        with problems.check():
            values.update(_interview_fields(case, fields))
    elif target is CaseState.HIRED:
        with problems.check():
            hired_on = fields.get("hired_on") or date.today()
            values["hired_on"] = _date(hired_on, "hired_on", _l("Ange anställningsdatum."))
    elif target in (CaseState.REFUSED, CaseState.WITHDRAWN):
        kind = ReasonKind.REFUSED if target is CaseState.REFUSED else ReasonKind.WITHDRAWN
        with problems.check():
            found = _reason(session, reason, kind, role)
            if found.code == reasons.NO_SHOW and case.state is not CaseState.INTERVIEW:
                raise InvalidInput(
                    _l("Skälet gäller bara ett ärende med bokad intervju."), "reason"
                )
            values["reason_code"] = found.code
    if case.state is CaseState.INTERVIEW:
        values["interview_outcome"] = _outcome(target, values.get("reason_code"), fields)
    return values


def _outcome(target: CaseState, reason_code: str | None, fields: dict[str, Any]) -> Any:
    given = fields.get("interview_outcome")
    if isinstance(given, InterviewOutcome):
        return given
    if reason_code == reasons.NO_SHOW:
        return InterviewOutcome.NO_SHOW
    if target in (CaseState.OFFERED, CaseState.HIRED, CaseState.REFUSED):
        return InterviewOutcome.ATTENDED
    return None


def _check_available(session: Session, case: Case, target: CaseState) -> None:
    """Proposing, asking and recording consent need a candidate suppliers may see, and a
    vacancy that is open."""
    if target not in (CaseState.PROPOSED, CaseState.CONSENT_ASKED, CaseState.CONSENTED):
        return
    if not candidate_visible(session, case.candidate_id):
        raise InvalidInput(
            _l(
                "Den arbetssökande är inte aktiv eller har inte samtyckt till att visas för "
                "leverantörer."
            )
        )
    if target is CaseState.PROPOSED and case.vacancy.status is not VacancyStatus.OPEN:
        raise InvalidInput(_l("Annonsen är inte öppen."))


def candidate_visible(session: Session, candidate_id: int) -> bool:
    query = candidate_ops.candidates_visible_to_suppliers(session).where(
        Candidate.id == candidate_id
    )
    return session.scalar(query) is not None


# ---------------------------------------------------------------- moving a case


_RESET_ON_REOPEN = (
    "consent_on",
    "consent_channel",
    "interview_on",
    "interview_outcome",
    "reason_code",
    "decided_at",
    "hired_on",
)


def transition(
    session: Session,
    case: Case,
    to_state: CaseState,
    actor: Actor,
    *,
    reason: str | None = None,
    message: str | None = None,
    note: str | None = None,
    role: CaseRole | None = None,
    **fields: Any,
) -> CaseEvent:
    """Move `case` to `to_state` (see the module's docstring); the new log row."""
    source = case.state
    role = role or _acting_role(actor, case, source, to_state)
    if not may(source, to_state, role):
        raise _not_allowed(source, to_state)
    problems = Problems()
    with problems.check():
        _check_available(session, case, to_state)
    values = _fields_for(session, case, to_state, role, reason, fields, problems)
    texts = _texts(message, note, problems)
    problems.raise_any()
    _apply(case, to_state, values)
    return _log(session, case, source, role, actor, values, *texts)


def _texts(message: str | None, note: str | None, problems: Problems) -> tuple[str | None, ...]:
    found: list[str | None] = [None, None]
    with problems.check():
        found[0] = _text(message, "message")
    with problems.check():
        found[1] = _text(note, "note")
    return tuple(found)


def _apply(case: Case, target: CaseState, values: dict[str, Any]) -> None:
    now = utcnow()
    if case.state in FINAL_STATES:
        for name in _RESET_ON_REOPEN:
            setattr(case, name, None)
    for name, value in values.items():
        setattr(case, name, value)
    if target not in (CaseState.REFUSED, CaseState.WITHDRAWN):
        case.reason_code = None
    case.state, case.state_changed_at = target, now
    case.decided_at = now if target in FINAL_STATES else None


def _details(values: dict[str, Any]) -> dict[str, str]:
    return {
        name: str(value.value if hasattr(value, "value") else value)
        for name, value in values.items()
        if value is not None and name != "reason_code"
    }


def _log(
    session: Session,
    case: Case,
    source: CaseState | None,
    role: CaseRole,
    actor: Actor,
    values: dict[str, Any],
    message: str | None,
    note: str | None,
) -> CaseEvent:
    log_row = CaseEvent(
        case=case,
        at=case.state_changed_at,
        from_state=source,
        to_state=case.state,
        role=role,
        user_id=actor.user_id,
        user_email=actor.email,
        reason_code=values.get("reason_code"),
        message=message,
        note=note,
        details=_details(values),
    )
    session.add(log_row)
    session.flush()
    supplier = case.supplier_id if role is S else None
    record(
        session, actor, f"case {case.state.value}", SUBJECT, case.id, f"case {case.id}", supplier
    )
    if case.state is CaseState.CONSENTED:
        # The identity goes to this supplier, for this case: the release is on the person's log.
        record(
            session,
            actor,
            "release",
            "candidate",
            case.candidate_id,
            f"case {case.id}",
            case.supplier_id,
        )
    notify_transition(session, case, log_row)
    return log_row


def open_case(
    session: Session,
    vacancy: Vacancy,
    candidate_id: int,
    actor: Actor,
    origin: CaseOrigin,
    *,
    message: str | None = None,
    note: str | None = None,
    role: CaseRole | None = None,
) -> Case:
    """A new case: PROPOSED by the municipality or REQUESTED by the vacancy's supplier."""
    target = CaseState.PROPOSED if origin is CaseOrigin.COORDINATOR else CaseState.REQUESTED
    now = utcnow()
    case = Case(
        vacancy=vacancy,
        candidate_id=candidate_id,
        supplier_id=vacancy.contract.supplier_id,
        origin=origin,
        state=target,
        created_at=now,
        state_changed_at=now,
        created_by=actor.user_id,
    )
    role = role or _acting_role(actor, case, None, target)
    if not may(None, target, role):
        raise _not_allowed(None, target)
    if vacancy.status is not VacancyStatus.OPEN:
        raise InvalidInput(_l("Annonsen är inte öppen."), "vacancy_id")
    if not candidate_visible(session, candidate_id):
        raise InvalidInput(
            _l("Den arbetssökande kan inte föreslås: inte aktiv eller utan samtycke."),
            "candidate_id",
        )
    problems = Problems()
    texts = _texts(message, note, problems)
    problems.raise_any()
    session.add(case)
    session.flush()
    _log(session, case, None, role, actor, {}, *texts)
    return case


# ---------------------------------------------------------------- what other domains call


def obsolete_other_cases(session: Session, case: Case, actor: Actor) -> list[Case]:
    """The candidate was hired full time through `case`: the other open cases become OBSOLETE.

    Their suppliers learn that the candidate is no longer available, never who hired.
    """
    others = session.scalars(
        select(Case)
        .where(
            Case.candidate_id == case.candidate_id,
            Case.id != case.id,
            Case.state.in_(OPEN_STATES),
        )
        .order_by(Case.id)
    ).all()
    for other in others:
        transition(session, other, CaseState.OBSOLETE, actor, role=SYS)
    return list(others)


def withdraw_open_cases(session: Session, candidate: Candidate, actor: Actor, reason: str) -> None:
    """Every open case of the candidate becomes WITHDRAWN (as SYSTEM) with `reason`."""
    for case in session.scalars(
        select(Case)
        .where(Case.candidate_id == candidate.id, Case.state.in_(OPEN_STATES))
        .order_by(Case.id)
    ):
        transition(session, case, CaseState.WITHDRAWN, actor, role=SYS, reason=reason)


def _candidate_left(session: Session, candidate: Candidate, actor: Actor) -> None:
    """The candidates domain's hook: consent withdrawn, the candidate closed, restricted (GDPR
    art. 18) or erased."""
    if candidate.status is CandidateStatus.CLOSED or candidate.erased_at is not None:
        reason = reasons.CANDIDATE_LEFT
    elif candidate.restricted_at is not None:
        reason = reasons.RESTRICTED
    else:
        reason = reasons.CONSENT_WITHDRAWN
    withdraw_open_cases(session, candidate, actor, reason)
    if candidate.erased_at is not None:
        erase_case_texts(session, candidate.id)


def erase_case_texts(session: Session, candidate_id: int) -> None:
    """Gallring: the free texts of the candidate's case logs go with the rest of their data
    (the moves, dates and reasons stay for statistics)."""
    events = session.scalars(
        select(CaseEvent).join(Case).where(Case.candidate_id == candidate_id)
    )
    for event in events:
        event.message = event.note = event.user_email = None


candidate_ops.on_candidate_unavailable(_candidate_left)


def identity_released(case: Case) -> bool:
    """Whether this case's supplier may see who the candidate is, now.

    Only consent releases the identity, for this case alone; a candidate whose consent is gone,
    who left or was erased is hidden again at once, whatever state the case is in.
    """
    candidate = case.candidate
    return (
        case.state in RELEASED_STATES
        and candidate.erased_at is None
        and candidate.restricted_at is None
        and candidate.status is not CandidateStatus.CLOSED
        and candidate.consent_given
    )
