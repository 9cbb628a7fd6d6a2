"""Job seekers, their skills, languages, consent history and the tenant's retention setting.

No personnummer and no sensitive attributes (health, ethnicity) are stored: data minimisation.
After gallring (retention) a candidate row keeps only what statistics need: programme, status and
its dates, and the municipality of residence (kommunkod).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, relationship

from hansyn.db import TenantBase
from hansyn.platform.models import utcnow
from hansyn.tenants.programmes.models import Programme

#: Swedish driving licence classes a coordinator can tick.
LICENCE_CLASSES = ("AM", "A1", "A2", "A", "B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE")
DEFAULT_RETENTION_MONTHS = 24


class CandidateStatus(enum.StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


#: Why a case is closed: codes stored, words in `views.CLOSING_REASON_LABELS`.
CLOSING_REASONS = (
    "employed",
    "studies",
    "other_support",
    "moved",
    "declined",
    "no_contact",
    "other",
)
#: GDPR art. 18(1) (a)–(d): the grounds on which processing is restricted.
RESTRICTION_GROUNDS = ("accuracy", "unlawful", "legal_claims", "objection")
#: GDPR art. 17(1) (a)–(f) as they occur here: the grounds on which data is erased at once.
ERASURE_GROUNDS = (
    "not_necessary",
    "consent_withdrawn",
    "objection",
    "unlawful",
    "legal_obligation",
)


class WorkingTime(enum.StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    EITHER = "either"


def _enum(cls: type[enum.StrEnum]) -> Enum:
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Candidate(TenantBase):
    __tablename__ = "candidate"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The case reference of the unit's own case system; unique in the tenant, erased by gallring.
    reference: Mapped[str | None] = mapped_column(String(60), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    place_id: Mapped[str | None] = mapped_column(String(20))
    place_name: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    #: Municipality of residence; kept after gallring for statistics.
    kommunkod: Mapped[str | None] = mapped_column(String(4))
    max_commute_km: Mapped[int | None] = mapped_column(Integer)
    driving_licences: Mapped[str] = mapped_column(String(80), default="")
    available_from: Mapped[date | None] = mapped_column(Date)
    working_time: Mapped[WorkingTime] = mapped_column(
        _enum(WorkingTime), default=WorkingTime.EITHER
    )
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[CandidateStatus] = mapped_column(
        _enum(CandidateStatus), default=CandidateStatus.ACTIVE, index=True
    )
    status_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    paused_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    #: Why the case was closed (`CLOSING_REASONS`); kept after gallring for statistics.
    closed_reason: Mapped[str | None] = mapped_column(String(40))
    #: GDPR art. 18: processing restricted since then (hidden from matching and suppliers, kept).
    restricted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The ground of art. 18(1) (`RESTRICTION_GROUNDS`) while restricted.
    restriction_ground: Mapped[str | None] = mapped_column(String(40))
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    programme: Mapped[Programme] = relationship()
    skills: Mapped[list[CandidateSkill]] = relationship(
        back_populates="candidate", cascade="all, delete-orphan", order_by="CandidateSkill.position"
    )
    languages: Mapped[list[CandidateLanguage]] = relationship(
        back_populates="candidate",
        cascade="all, delete-orphan",
        order_by="CandidateLanguage.position",
    )
    consents: Mapped[list[CandidateConsent]] = relationship(
        back_populates="candidate", order_by="CandidateConsent.id"
    )

    @property
    def licence_list(self) -> list[str]:
        return self.driving_licences.split() if self.driving_licences else []

    @property
    def current_consent(self) -> CandidateConsent | None:
        return self.consents[-1] if self.consents else None

    @property
    def consent_given(self) -> bool:
        consent = self.current_consent
        return consent is not None and consent.given

    def __repr__(self) -> str:
        return f"<Candidate {self.id}>"


class CandidateSkill(TenantBase):
    """A skill as the coordinator chose it (``text``) and its canonical vocabulary ``key``."""

    __tablename__ = "candidate_skill"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))

    candidate: Mapped[Candidate] = relationship(back_populates="skills")


class CandidateLanguage(TenantBase):
    """A language with its level ("Svenska" + "B1"), the text as chosen and the canonical key."""

    __tablename__ = "candidate_language"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(100))
    level: Mapped[str | None] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200))

    candidate: Mapped[Candidate] = relationship(back_populates="languages")


class CandidateConsent(TenantBase):
    """Append-only history of what the candidate agreed to; the newest row is the current state.

    Only gallring may change a row, and only to blank its personal bits (note, recorder's e-mail).
    """

    __tablename__ = "candidate_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), index=True)
    #: Agreed to be shown to suppliers as a pseudonymised profile.
    given: Mapped[bool] = mapped_column(Boolean)
    purpose: Mapped[str] = mapped_column(String(40), default="supplier_matching")
    note: Mapped[str | None] = mapped_column(String(500))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by_user_id: Mapped[int | None] = mapped_column(Integer)
    recorded_by_email: Mapped[str | None] = mapped_column(String(254))

    candidate: Mapped[Candidate] = relationship(back_populates="consents")


ERASABLE_CONSENT_FIELDS = frozenset({"note", "recorded_by_email"})


@event.listens_for(CandidateConsent, "before_update")
def _only_erasure(_mapper: object, _connection: object, consent: CandidateConsent) -> None:
    state = inspect(consent)
    for attr in state.attrs:
        if not attr.history.has_changes():
            continue
        if attr.key not in ERASABLE_CONSENT_FIELDS or attr.value is not None:
            raise PermissionError("consent rows are append-only")


@event.listens_for(CandidateConsent, "before_delete")
def _refuse_delete(*_args: object) -> None:
    raise PermissionError("consent rows are append-only")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state: ORMExecuteState) -> None:
    """Bulk `update(CandidateConsent)` and `delete(CandidateConsent)` skip the mapper events."""
    if (state.is_update or state.is_delete) and any(
        mapper.class_ is CandidateConsent for mapper in state.all_mappers
    ):
        raise PermissionError("consent rows are append-only")


class CandidateSettings(TenantBase):
    """The tenant's settings for candidates: one row."""

    __tablename__ = "candidate_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    retention_months: Mapped[int] = mapped_column(Integer, default=DEFAULT_RETENTION_MONTHS)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
