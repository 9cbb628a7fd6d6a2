"""What matching leaves in the tenant's database: the pseudonyms suppliers know candidates by, and
the cases (one candidate, one vacancy) that carry a match from "ask to meet" to a hire.

The states, who may move a case between them and the invariants are described in
`hansyn.tenants.matches.workflow` and docs/workflow.md; the invariants that can be stated on one
row are also CHECK constraints here, so no code path can store a case that breaks them.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, relationship

from hansyn.db import TenantBase
from hansyn.platform.models import utcnow
from hansyn.tenants.candidates.models import Candidate
from hansyn.tenants.suppliers.models import Supplier
from hansyn.tenants.vacancies.models import Vacancy

DEFAULT_ANSWER_DAYS = 30
MAX_ANSWER_DAYS = 365


class CandidatePseudonym(TenantBase):
    """A random name such as ``K-7F3A9C``, stable for one supplier and different for every other.

    It is drawn at random (not derived from the candidate id), so knowing one pseudonym, or
    many, tells nothing about any candidate or about another supplier's pseudonyms.
    """

    __tablename__ = "candidate_pseudonym"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id", ondelete="CASCADE"))
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("supplier.id", ondelete="CASCADE"), index=True
    )
    pseudonym: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (UniqueConstraint("candidate_id", "supplier_id"),)

    def __repr__(self) -> str:
        return f"<CandidatePseudonym {self.id}>"


class CaseState(enum.StrEnum):
    PROPOSED = "proposed"  # a coordinator put the candidate forward for the vacancy
    REQUESTED = "requested"  # the supplier asked to meet the candidate it saw by pseudonym
    CONSENT_ASKED = "consent_asked"  # the coordinator asks the candidate
    CONSENTED = "consented"  # the candidate agreed: name and contact go to this supplier
    DECLINED = "declined"  # the candidate said no
    INTERVIEW = "interview"  # an interview is booked
    OFFERED = "offered"  # the supplier offered the job
    HIRED = "hired"  # employed: a placement exists (the placements domain)
    REFUSED = "refused"  # it came to nothing, for a reason from the fixed list
    WITHDRAWN = "withdrawn"  # the candidate or the municipality withdrew, or consent went
    OBSOLETE = "obsolete"  # the candidate was hired full time through another case


#: Still moving: what deadlines, withdrawals and "obsolete" act on.
OPEN_STATES = frozenset(
    {
        CaseState.PROPOSED,
        CaseState.REQUESTED,
        CaseState.CONSENT_ASKED,
        CaseState.CONSENTED,
        CaseState.INTERVIEW,
        CaseState.OFFERED,
    }
)
#: Decided: these and only these carry a decision date.
FINAL_STATES = frozenset(CaseState) - OPEN_STATES
#: The states in which the supplier may know who the candidate is (while consent lasts).
RELEASED_STATES = frozenset(
    {CaseState.CONSENTED, CaseState.INTERVIEW, CaseState.OFFERED, CaseState.HIRED}
)
#: Not yet answered by the candidate: the answer deadline refuses these automatically.
AWAITING_ANSWER = frozenset({CaseState.PROPOSED, CaseState.REQUESTED, CaseState.CONSENT_ASKED})
#: The candidate answered the consent question (the date and the channel are kept).
ANSWERED_STATES = RELEASED_STATES | {CaseState.DECLINED}
#: An interview was booked.
INTERVIEWED_STATES = frozenset({CaseState.INTERVIEW, CaseState.OFFERED, CaseState.HIRED})


class CaseOrigin(enum.StrEnum):
    COORDINATOR = "coordinator"  # proposed by the municipality
    SUPPLIER = "supplier"  # requested by the supplier


class ConsentChannel(enum.StrEnum):
    """How the candidate's answer reached the coordinator."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    EMAIL = "email"
    LETTER = "letter"
    DIGITAL = "digital"  # a signed form or a message in the unit's own system


class InterviewOutcome(enum.StrEnum):
    ATTENDED = "attended"
    NO_SHOW = "no_show"


class ReasonKind(enum.StrEnum):
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


def _enum(cls: type[enum.StrEnum], length: int = 20) -> Enum:
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


def _in(states: frozenset[CaseState]) -> str:
    return "state IN (" + ", ".join(f"'{s.value}'" for s in sorted(states)) + ")"


def _exactly_when(states: frozenset[CaseState], condition: str) -> str:
    """SQL: `condition` holds in `states` and fails in every other state."""
    return f"(({_in(states)}) AND ({condition})) OR (NOT ({_in(states)}) AND NOT ({condition}))"


class CaseReason(TenantBase):
    """A reason from the fixed list (refusals and withdrawals). Retired reasons are hidden from
    the forms but never deleted, so old cases keep theirs. Labels live in code (`reasons.py`),
    in Swedish and English; `system` reasons are only set by Hänsyn itself (deadlines, consent).
    """

    __tablename__ = "case_reason"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[ReasonKind] = mapped_column(_enum(ReasonKind))
    system: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=100)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<CaseReason {self.code}>"


class Case(TenantBase):
    """One candidate for one vacancy, from the first proposal or request to a decision.

    The state only changes through `workflow.transition`, which logs every move (`CaseEvent`).
    """

    __tablename__ = "match_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="RESTRICT"))
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="RESTRICT"), index=True
    )
    #: The vacancy's supplier (kept on the case: every supplier query filters on it).
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("supplier.id", ondelete="RESTRICT"), index=True
    )
    origin: Mapped[CaseOrigin] = mapped_column(_enum(CaseOrigin))
    state: Mapped[CaseState] = mapped_column(_enum(CaseState), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(Integer)  # control-plane user id
    #: When the state last changed: the answer deadline counts from here.
    state_changed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    consent_on: Mapped[date | None] = mapped_column(Date)
    consent_channel: Mapped[ConsentChannel | None] = mapped_column(_enum(ConsentChannel))
    interview_on: Mapped[date | None] = mapped_column(Date)
    interview_outcome: Mapped[InterviewOutcome | None] = mapped_column(_enum(InterviewOutcome))
    reason_code: Mapped[str | None] = mapped_column(ForeignKey("case_reason.code"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hired_on: Mapped[date | None] = mapped_column(Date)

    vacancy: Mapped[Vacancy] = relationship()
    candidate: Mapped[Candidate] = relationship()
    supplier: Mapped[Supplier] = relationship()
    reason: Mapped[CaseReason | None] = relationship()
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("vacancy_id", "candidate_id"),
        CheckConstraint(
            _exactly_when(FINAL_STATES, "decided_at IS NOT NULL"), name="decided_when_final"
        ),
        CheckConstraint(
            _exactly_when(frozenset({CaseState.HIRED}), "hired_on IS NOT NULL"),
            name="hired_on_when_hired",
        ),
        CheckConstraint(
            _exactly_when(
                frozenset({CaseState.REFUSED, CaseState.WITHDRAWN}), "reason_code IS NOT NULL"
            ),
            name="reason_when_refused_or_withdrawn",
        ),
        CheckConstraint(
            f"NOT ({_in(ANSWERED_STATES)}) "
            "OR (consent_on IS NOT NULL AND consent_channel IS NOT NULL)",
            name="answer_recorded",
        ),
        CheckConstraint(
            f"NOT ({_in(AWAITING_ANSWER)}) OR (consent_on IS NULL AND consent_channel IS NULL "
            "AND interview_on IS NULL AND interview_outcome IS NULL)",
            name="nothing_before_answer",
        ),
        CheckConstraint(
            f"NOT ({_in(INTERVIEWED_STATES)}) OR interview_on IS NOT NULL",
            name="interview_dated",
        ),
    )

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def __repr__(self) -> str:
        return f"<Case {self.id} {self.state.value}>"


class CaseRole(enum.StrEnum):
    """Who may fire a transition: a member's role for this case, or Hänsyn itself."""

    COORDINATOR = "coordinator"
    ADMIN = "admin"
    SUPPLIER = "supplier"  # only the case's own supplier
    SYSTEM = "system"  # deadlines, withdrawn consent, a hire through another case


class CaseEvent(TenantBase):
    """One row per transition, append-only: who, when, from which state to which, why.

    `message` is meant for the candidate (the coordinator passes it on); `note` is for the
    labour-market unit only. Gallring may blank both (they are free text about a person).
    """

    __tablename__ = "match_case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("match_case.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    from_state: Mapped[CaseState | None] = mapped_column(_enum(CaseState))
    to_state: Mapped[CaseState] = mapped_column(_enum(CaseState))
    role: Mapped[CaseRole] = mapped_column(_enum(CaseRole))
    user_id: Mapped[int | None] = mapped_column(Integer)  # control-plane user id
    user_email: Mapped[str | None] = mapped_column(String(254))
    reason_code: Mapped[str | None] = mapped_column(ForeignKey("case_reason.code"))
    message: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    #: What the transition recorded besides the state (dates, the consent channel), as text.
    details: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    case: Mapped[Case] = relationship(back_populates="events")
    reason: Mapped[CaseReason | None] = relationship()

    def __repr__(self) -> str:
        return f"<CaseEvent {self.id} {self.to_state.value}>"


class CaseSettings(TenantBase):
    """The municipality's settings for cases: one row."""

    __tablename__ = "case_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: A case nobody answered for this many days is refused automatically.
    answer_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_ANSWER_DAYS)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        CheckConstraint(f"answer_days BETWEEN 1 AND {MAX_ANSWER_DAYS}", name="answer_days_range"),
    )


ERASABLE_EVENT_FIELDS = frozenset({"message", "note", "user_email"})


@event.listens_for(CaseEvent, "before_update")
def _only_erasure(_mapper: object, _connection: object, row: CaseEvent) -> None:
    for attr in inspect(row).attrs:
        if attr.history.has_changes() and (
            attr.key not in ERASABLE_EVENT_FIELDS or attr.value is not None
        ):
            raise PermissionError("case events are append-only")


@event.listens_for(CaseEvent, "before_delete")
def _refuse_delete(*_args: object) -> None:
    raise PermissionError("case events are append-only")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and any(
        mapper.class_ is CaseEvent for mapper in state.all_mappers
    ):
        raise PermissionError("case events are append-only")
