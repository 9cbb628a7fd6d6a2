"""Write logic and queries for job seekers. Functions take a session and only flush.

Other domains call two functions here:

- `candidates_visible_to_suppliers(session)`: the select of candidates a supplier may see
  (active, with current consent, not erased);
- `matching_profile(candidate)`: the candidate as `hansyn.matching.CandidateProfile`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from hansyn.errors import InvalidInput
from hansyn.matching import CandidateProfile
from hansyn.platform.models import utcnow
from hansyn.platform.pagination import contains_text
from hansyn.tenants.audit.models import AuditEvent
from hansyn.tenants.audit.operations import Actor, record, subject_events
from hansyn.tenants.candidates.models import (
    CLOSING_REASONS,
    DEFAULT_RETENTION_MONTHS,
    ERASURE_GROUNDS,
    RESTRICTION_GROUNDS,
    Candidate,
    CandidateConsent,
    CandidateLanguage,
    CandidateSettings,
    CandidateSkill,
    CandidateStatus,
    WorkingTime,
)
from hansyn.tenants.candidates.parsing import CandidateData
from hansyn.tenants.candidates.validation import refuse_personnummer
from hansyn.tenants.localities import Gazetteer, Place
from hansyn.tenants.privacy.disclosure import supplier_texts

SUBJECT = "candidate"

#: Called in the same unit of work when a candidate withdraws consent, is closed, restricted or
#: erased: the matches domain withdraws the candidate's open cases there (and on erasure blanks
#: the free texts of their case logs) (it registers itself; this domain does not
#: import the ones built on it).
CandidateHook = Callable[[Session, Candidate, Actor], None]
_UNAVAILABLE_HOOKS: list[CandidateHook] = []


def on_candidate_unavailable(hook: CandidateHook) -> None:
    if hook not in _UNAVAILABLE_HOOKS:
        _UNAVAILABLE_HOOKS.append(hook)


def became_unavailable(session: Session, candidate: Candidate, actor: Actor) -> None:
    for hook in _UNAVAILABLE_HOOKS:
        hook(session, candidate, actor)


def audit(
    session: Session, actor: Actor, action: str, candidate_id: int | None, purpose: str
) -> None:
    """Append an audit row (who, when, which candidate, which page or reason)."""
    record(session, actor, action, SUBJECT, candidate_id, purpose)


def get_candidate(session: Session, candidate_id: int) -> Candidate | None:
    return session.get(Candidate, candidate_id)


# ---------------------------------------------------------------- create and edit


def _values(data: CandidateData) -> dict[str, object]:
    place = data.place
    return {
        "reference": data.reference,
        "name": data.name,
        "phone": data.phone,
        "email": data.email,
        "programme_id": data.programme_id,
        "place_id": place.id if place else None,
        "place_name": place.display_name if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "kommunkod": place.kommunkod if place else None,
        "max_commute_km": data.max_commute_km,
        "driving_licences": " ".join(data.licences),
        "available_from": data.available_from,
        "working_time": data.working_time,
        "notes": data.notes,
    }


def _skill_rows(data: CandidateData) -> list[tuple[str, str, str]]:
    return [(s.text, s.key, s.kind) for s in data.skills]


def _language_rows(data: CandidateData) -> list[tuple[str, str, str | None, str]]:
    return [(v.text, v.language, v.level, v.key) for v in data.languages]


def _apply(candidate: Candidate, data: CandidateData) -> bool:
    """Copy `data` onto `candidate`; True if anything changed."""
    changed = False
    for name, value in _values(data).items():
        if getattr(candidate, name) != value:
            setattr(candidate, name, value)
            changed = True
    if [(s.text, s.key, s.kind) for s in candidate.skills] != _skill_rows(data):
        candidate.skills = [
            CandidateSkill(position=i, text=t, key=k, kind=kind)
            for i, (t, k, kind) in enumerate(_skill_rows(data))
        ]
        changed = True
    current_languages = [(v.text, v.language, v.level, v.key) for v in candidate.languages]
    if current_languages != _language_rows(data):
        candidate.languages = [
            CandidateLanguage(position=i, text=t, language=lang, level=level, key=k)
            for i, (t, lang, level, k) in enumerate(_language_rows(data))
        ]
        changed = True
    return changed


def create_candidate(session: Session, data: CandidateData, actor: Actor) -> Candidate:
    now = utcnow()
    candidate = Candidate(
        status=CandidateStatus.ACTIVE,
        status_changed_at=now,
        created_at=now,
        updated_at=now,
        skills=[],
        languages=[],
    )
    _apply(candidate, data)
    session.add(candidate)
    session.flush()
    audit(session, actor, "create", candidate.id, "register")
    _audit_special_categories(session, actor, candidate, data)
    return candidate


def _audit_special_categories(
    session: Session, actor: Actor, candidate: Candidate, data: CandidateData
) -> None:
    """The coordinator confirmed art. 9 words in staff-only fields: the trail says which kinds."""
    if data.special_categories:
        purpose = "art. 9: " + ", ".join(data.special_categories)
        audit(session, actor, "confirm special", candidate.id, purpose)


def update_candidate(
    session: Session, candidate: Candidate, data: CandidateData, actor: Actor
) -> bool:
    """Save an edit; an edit that changes nothing writes nothing (imports stay idempotent)."""
    changed = _apply(candidate, data)
    if changed:
        candidate.updated_at = utcnow()
        session.flush()
        audit(session, actor, "update", candidate.id, "edit")
        _audit_special_categories(session, actor, candidate, data)
    return changed


def set_status(
    session: Session,
    candidate: Candidate,
    status: CandidateStatus,
    actor: Actor,
    reason: str | None = None,
) -> bool:
    """Pause, close (with one of `CLOSING_REASONS`, when known) or reactivate. Reactivating a
    closed candidate clears its closing date and reason."""
    if candidate.status is status or candidate.erased_at is not None:
        return False
    if reason is not None and reason not in CLOSING_REASONS:
        raise InvalidInput(_l("Välj ett av skälen i listan."), "reason")
    now = utcnow()
    candidate.status, candidate.status_changed_at, candidate.updated_at = status, now, now
    if status is CandidateStatus.PAUSED:
        candidate.paused_at = now
    elif status is CandidateStatus.CLOSED:
        candidate.closed_at, candidate.closed_reason = now, reason
    else:
        candidate.closed_at = candidate.closed_reason = None
    session.flush()
    purpose = f"{status.value}: {reason}" if reason else status.value
    audit(session, actor, "status", candidate.id, purpose)
    if status is CandidateStatus.CLOSED:
        became_unavailable(session, candidate, actor)
    return True


# ---------------------------------------------------------------- GDPR art. 17 and 18


def restrict(session: Session, candidate: Candidate, ground: str, actor: Actor) -> bool:
    """Art. 18: keep the data but stop processing it — hidden from matching and suppliers."""
    if ground not in RESTRICTION_GROUNDS:
        raise InvalidInput(_l("Välj en av grunderna i listan."), "ground")
    if candidate.restricted_at is not None or candidate.erased_at is not None:
        return False
    candidate.restricted_at = candidate.updated_at = utcnow()
    candidate.restriction_ground = ground
    session.flush()
    audit(session, actor, "restrict", candidate.id, f"art. 18: {ground}")
    became_unavailable(session, candidate, actor)
    return True


def lift_restriction(session: Session, candidate: Candidate, actor: Actor) -> bool:
    if candidate.restricted_at is None:
        return False
    candidate.restricted_at = candidate.restriction_ground = None
    candidate.updated_at = utcnow()
    session.flush()
    audit(session, actor, "lift restriction", candidate.id, "art. 18")
    return True


def erase_candidate(candidate: Candidate) -> None:
    """Blank everything that identifies the person; keep the anonymous facts."""
    for name in (
        "reference",
        "name",
        "phone",
        "email",
        "notes",
        "place_id",
        "place_name",
        "lat",
        "lon",
        "max_commute_km",
        "available_from",
    ):
        setattr(candidate, name, None)
    candidate.driving_licences = ""
    candidate.skills = []
    candidate.languages = []
    for consent in candidate.consents:
        consent.note = None
        consent.recorded_by_email = None
    candidate.erased_at = utcnow()


def erase_now(session: Session, candidate: Candidate, ground: str, actor: Actor) -> bool:
    """Art. 17: erase the personal data at once, as gallring does (statistics keep the row)."""
    if ground not in ERASURE_GROUNDS:
        raise InvalidInput(_l("Välj en av grunderna i listan."), "ground")
    if candidate.erased_at is not None:
        return False
    now = utcnow()
    if candidate.status is not CandidateStatus.CLOSED:
        candidate.status, candidate.status_changed_at, candidate.closed_at = (
            CandidateStatus.CLOSED, now, now,
        )
    erase_candidate(candidate)
    candidate.restricted_at = candidate.restriction_ground = None
    candidate.updated_at = now  # the matching index notices and drops the candidate
    session.flush()
    audit(session, actor, "erase", candidate.id, f"art. 17: {ground}")
    became_unavailable(session, candidate, actor)
    return True


def record_consent(
    session: Session, candidate: Candidate, given: bool, actor: Actor, note: str | None = None
) -> CandidateConsent:
    """Append what the candidate agreed to (or withdrew), when and recorded by whom."""
    consent = CandidateConsent(
        candidate=candidate,
        given=given,
        note=note or None,
        recorded_at=utcnow(),
        recorded_by_user_id=actor.user_id,
        recorded_by_email=actor.email,
    )
    session.add(consent)
    candidate.updated_at = consent.recorded_at
    session.flush()
    audit(session, actor, "consent", candidate.id, "given" if given else "withdrawn")
    if not given:
        became_unavailable(session, candidate, actor)
    return consent


# ---------------------------------------------------------------- for other domains


def candidates_visible_to_suppliers(session: Session | None = None) -> Select[Candidate]:
    """Active, not erased, not restricted (art. 18) candidates whose newest consent says yes.

    A select, so callers can add their own filters; `session` is accepted for symmetry with the
    other functions here and not used. The newest consent is looked up per candidate through the
    consent table's `candidate_id` index (a correlated subquery, not a group-by over every
    consent), so a select narrowed to a few ids reads only their rows.
    """
    del session
    newest_consent = (
        select(CandidateConsent.given)
        .where(CandidateConsent.candidate_id == Candidate.id)
        .order_by(CandidateConsent.id.desc())
        .limit(1)
        .correlate(Candidate)
        .scalar_subquery()
    )
    return (
        select(Candidate)
        .where(
            newest_consent.is_(True),
            Candidate.status == CandidateStatus.ACTIVE,
            Candidate.erased_at.is_(None),
            Candidate.restricted_at.is_(None),
        )
        .options(selectinload(Candidate.skills), selectinload(Candidate.languages))
        .order_by(Candidate.id)
    )


@dataclass(frozen=True)
class Commute:
    km: float | None
    is_default: bool
    region: str | None


def default_commute(place: Place | None) -> Commute:
    """The maximum commute assumed for someone living at `place` who gave none, and its region."""
    if place is None:
        return Commute(None, True, None)
    gazetteer = Gazetteer.default()
    municipality = gazetteer.municipality(place.kommunkod)
    region = municipality.fa_name if municipality else None
    return Commute(gazetteer.default_commute_km(place), True, region)


def effective_commute(candidate: Candidate) -> Commute:
    """The candidate's own maximum commute, else the default of the FA-region they live in."""
    if candidate.max_commute_km is not None:
        return Commute(float(candidate.max_commute_km), False, None)
    place = Gazetteer.default().get(candidate.place_id) if candidate.place_id else None
    return default_commute(place)


#: Hours a week a full-time job has (the 40-hour week of arbetstidslagen); a candidate who
#: wants part time takes any job with fewer.
FULL_TIME_HOURS = 40
WORKING_HOURS: dict[WorkingTime, tuple[float, float] | None] = {
    WorkingTime.FULL_TIME: (FULL_TIME_HOURS, FULL_TIME_HOURS),
    WorkingTime.PART_TIME: (1, FULL_TIME_HOURS - 1),
    WorkingTime.EITHER: None,
}


def target_group_code(programme_id: int) -> str:
    """How the matcher names a target group: the programme's id, never its name (a name such
    as a wage subsidy's may say something about health, and the index is saved to disk)."""
    return str(programme_id)


def matching_profile(candidate: Candidate) -> CandidateProfile:
    """The candidate as the matching engine sees it — and suppliers: no name, contact or
    reference, and skills and languages only as `privacy.disclosure` lets suppliers see them.

    The job-aware fields: the programme as the target group a contract's clause may ask for
    (the one a placement counts for by default), the first day available, the hours the
    working time allows, and the time registered (the first in line among equal scores)."""
    location = (
        (candidate.lat, candidate.lon)
        if candidate.lat is not None and candidate.lon is not None
        else None
    )
    return CandidateProfile(
        id=str(candidate.id),
        skills=supplier_texts([skill.text for skill in candidate.skills]),
        location=location,
        max_commute_km=effective_commute(candidate).km,
        languages=supplier_texts([language.text for language in candidate.languages]),
        driving_licences=[f"körkort {code}" for code in candidate.licence_list],
        target_groups=[target_group_code(candidate.programme_id)],
        available_from=candidate.available_from,
        hours_per_week=WORKING_HOURS[candidate.working_time],
        registered=candidate.created_at,
    )


# ---------------------------------------------------------------- overview


def status_counts(session: Session) -> dict[CandidateStatus, int]:
    rows = session.execute(select(Candidate.status, func.count()).group_by(Candidate.status))
    counts = dict.fromkeys(CandidateStatus, 0)
    for status, count in rows:
        counts[status] = count
    return counts


def recently_changed(session: Session, limit: int = 5) -> list[Candidate]:
    return list(
        session.scalars(
            select(Candidate)
            .where(Candidate.erased_at.is_(None))
            .order_by(Candidate.updated_at.desc(), Candidate.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class CandidateSearch:
    """What the coordinator's and the admin's candidate lists are narrowed by (all optional)."""

    text: str = ""  # in the name or the case reference
    programme_id: int | None = None
    skill: str = ""  # in a skill as typed or its vocabulary term
    place: str = ""  # in the place's name
    status: CandidateStatus | None = None


def search_candidates(search: CandidateSearch) -> Select[tuple[Candidate]]:
    """The candidates (not erased) that match every given part of `search`; unordered."""
    query = select(Candidate).where(Candidate.erased_at.is_(None))
    if search.text:
        query = query.where(
            or_(contains_text(Candidate.name, search.text),
                contains_text(Candidate.reference, search.text))
        )
    if search.programme_id is not None:
        query = query.where(Candidate.programme_id == search.programme_id)
    if search.skill:
        skill = or_(contains_text(CandidateSkill.text, search.skill),
                    contains_text(CandidateSkill.key, search.skill))
        query = query.where(
            select(CandidateSkill.id)
            .where(CandidateSkill.candidate_id == Candidate.id, skill)
            .exists()
        )
    if search.place:
        query = query.where(contains_text(Candidate.place_name, search.place))
    if search.status is not None:
        query = query.where(Candidate.status == search.status)
    return query.options(selectinload(Candidate.programme), selectinload(Candidate.consents))


def list_candidates(session: Session, status: CandidateStatus | None = None) -> list[Candidate]:
    query = select(Candidate).where(Candidate.erased_at.is_(None)).order_by(Candidate.reference)
    if status is not None:
        query = query.where(Candidate.status == status)
    return list(session.scalars(query.options(selectinload(Candidate.programme))))


def read_log_query(candidate_id: int) -> Select[tuple[AuditEvent]]:
    """Who read or changed this candidate (order it newest first: by id, descending)."""
    return subject_events(SUBJECT, candidate_id)


def supplier_disclosures(session: Session, candidate_id: int) -> list[AuditEvent]:
    """Every time a supplier's user was shown this candidate (pseudonymised), oldest first."""
    return list(
        session.scalars(
            subject_events(SUBJECT, candidate_id)
            .where(AuditEvent.supplier_id.is_not(None))
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )


def read_log(session: Session, candidate_id: int) -> list[AuditEvent]:
    """Who read or changed this candidate, newest first."""
    query = read_log_query(candidate_id)
    return list(session.scalars(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())))


# ---------------------------------------------------------------- settings


def get_settings(session: Session) -> CandidateSettings:
    settings = session.scalar(select(CandidateSettings).order_by(CandidateSettings.id).limit(1))
    if settings is None:
        settings = CandidateSettings(retention_months=DEFAULT_RETENTION_MONTHS)
        session.add(settings)
        session.flush()
    return settings


def retention_months(session: Session) -> int:
    settings = session.scalar(select(CandidateSettings).order_by(CandidateSettings.id).limit(1))
    return settings.retention_months if settings else DEFAULT_RETENTION_MONTHS


def set_retention_months(session: Session, months: int, actor: Actor) -> CandidateSettings:
    settings = get_settings(session)
    if settings.retention_months != months:
        settings.retention_months = months
        settings.updated_at = utcnow()
        record(
            session, actor, "update", "candidate_settings", settings.id,
            f"retention_months={months}",
        )
        session.flush()
    return settings


def closed_before(session: Session, cutoff: datetime) -> list[Candidate]:
    return list(
        session.scalars(
            select(Candidate)
            .where(
                Candidate.status == CandidateStatus.CLOSED,
                Candidate.closed_at < cutoff,
                Candidate.erased_at.is_(None),
            )
            .order_by(Candidate.id)
        )
    )


MIN_RETENTION_MONTHS, MAX_RETENTION_MONTHS = 1, 120


def parse_retention_months(text: str | None) -> int:
    try:
        months = int((text or "").strip())
    except ValueError:
        months = 0
    if not MIN_RETENTION_MONTHS <= months <= MAX_RETENTION_MONTHS:
        raise InvalidInput(
            _l(
                "Ange ett helt antal månader mellan %(min)d och %(max)d.",
                min=MIN_RETENTION_MONTHS,
                max=MAX_RETENTION_MONTHS,
            ),
            "retention_months",
        )
    return months


def check_consent_note(note: str) -> None:
    refuse_personnummer(note, "note")
