"""Turn what a coordinator typed (form or import row) into checked candidate data.

The form and the CSV import share this module, so both refuse and resolve exactly the same way:
skills and languages through the JobTech vocabulary (an unknown skill is kept as free text, an
unknown language is an error), the home place through the gazetteer (an unknown place is an error
that names the closest places).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hansyn.db import storable_id
from hansyn.errors import InvalidInput, Problems
from hansyn.matching.vocabulary import Vocabulary
from hansyn.tenants.candidates.models import LICENCE_CLASSES, Candidate, WorkingTime
from hansyn.tenants.candidates.validation import (
    clean_email,
    clean_phone,
    refuse_personnummer,
    refuse_special_categories,
    special_categories_message,
)
from hansyn.tenants.localities import Place, resolve_place
from hansyn.tenants.privacy.special_categories import Finding, find_special_categories
from hansyn.tenants.privacy.text import clean_text
from hansyn.tenants.programmes.models import Programme

MAX_COMMUTE_KM = 300
FIELD_LIMITS = {"reference": 60, "name": 200, "notes": 2000}
#: Fields only staff see: GDPR art. 9 words there need the coordinator's confirmation.
STAFF_ONLY_FIELDS = ("reference", "name", "notes")


@dataclass(frozen=True)
class SkillValue:
    text: str
    key: str
    kind: str


@dataclass(frozen=True)
class LanguageValue:
    text: str
    language: str
    level: str | None
    key: str


@dataclass
class RawCandidate:
    """What was typed, as strings (the form's and the import row's common shape)."""

    reference: str = ""
    name: str = ""
    phone: str = ""
    email: str = ""
    programme: int | str | None = None
    skills: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    licences: list[str] = field(default_factory=list)
    place: str = ""
    place_id: str = ""
    max_commute_km: int | str | None = None
    available_from: date | str | None = None
    working_time: str = WorkingTime.EITHER.value
    notes: str = ""
    #: The coordinator confirmed that the art. 9 words in staff-only fields are needed.
    confirm_special: bool = False

    @classmethod
    def from_candidate(cls, candidate: Candidate) -> RawCandidate:
        """What is saved now, as if typed again (the start of an edit or an import update)."""
        return cls(
            reference=candidate.reference or "",
            name=candidate.name or "",
            phone=candidate.phone or "",
            email=candidate.email or "",
            programme=candidate.programme_id,
            skills=[skill.text for skill in candidate.skills],
            languages=[language.text for language in candidate.languages],
            licences=candidate.licence_list,
            place=candidate.place_name or "",
            place_id=candidate.place_id or "",
            max_commute_km=candidate.max_commute_km,
            available_from=candidate.available_from,
            working_time=candidate.working_time.value,
            notes=candidate.notes or "",
        )


@dataclass(frozen=True)
class CandidateData:
    reference: str
    name: str
    phone: str | None
    email: str | None
    programme_id: int
    skills: tuple[SkillValue, ...]
    languages: tuple[LanguageValue, ...]
    licences: tuple[str, ...]
    place: Place | None
    max_commute_km: int | None
    available_from: date | None
    working_time: WorkingTime
    notes: str | None
    #: The art. 9 categories found (and confirmed) in staff-only fields, for the audit trail.
    special_categories: tuple[str, ...] = ()


def parse_candidate(
    session: Session, raw: RawCandidate, current: Candidate | None = None
) -> CandidateData:
    """Check every field; raise one InvalidInput whose `problems` name each wrong one."""
    raw = without_control_characters(raw)
    problems = Problems()
    values: dict[str, Any] = {}
    for name, check in _CHECKS:
        try:
            values[name] = check(session, raw, current)
        except InvalidInput as error:
            problems.found.extend(
                p if p.field else InvalidInput(p.message, name) for p in error.problems
            )
    with problems.check():
        values["special_categories"] = _special_categories(raw)
    problems.raise_any()
    return CandidateData(**values)


def without_control_characters(raw: RawCandidate) -> RawCandidate:
    """`raw` with control characters (a NUL byte, escape, …) removed from every text."""
    changes: dict[str, Any] = {}
    for name, value in vars(raw).items():
        if isinstance(value, str):
            changes[name] = clean_text(value)
        elif isinstance(value, list):
            changes[name] = [clean_text(v) if isinstance(v, str) else v for v in value]
    return replace(raw, **changes)


def _special_categories(raw: RawCandidate) -> tuple[str, ...]:
    """Art. 9 words in staff-only fields: allowed only once the coordinator has confirmed."""
    found = {
        name: find_special_categories(str(getattr(raw, name) or ""))
        for name in STAFF_ONLY_FIELDS
    }
    if not raw.confirm_special:
        problems = Problems()
        for name, findings in found.items():
            if findings:
                problems.found.append(InvalidInput(_confirm_message(findings), name))
        if problems.found:
            problems.found.append(InvalidInput(CONFIRM_SPECIAL, "confirm_special"))
        problems.raise_any()
    return tuple(sorted({f.category for findings in found.values() for f in findings}))


CONFIRM_SPECIAL = _l(
    "Kryssa i rutan om uppgifterna verkligen behövs för ärendet; annars ta bort dem."
)


def _confirm_message(findings: list[Finding]) -> LazyString:
    return _l(
        "%(found)s Skriv bara sådant som är nödvändigt för ärendet. Bekräfta med rutan "
        "nedanför formuläret för att spara.",
        found=special_categories_message(findings),
    )


def _text(raw: RawCandidate, name: str, required: LazyString | None = None) -> str:
    value = str(getattr(raw, name) or "").strip()
    if not value and required is not None:
        raise InvalidInput(required, name)
    if len(value) > FIELD_LIMITS[name]:
        raise InvalidInput(_l("Högst %(max)d tecken.", max=FIELD_LIMITS[name]), name)
    refuse_personnummer(value, name)
    return value


def _reference(session: Session, raw: RawCandidate, current: Candidate | None) -> str:
    value = _text(raw, "reference", _l("Ange ärendets referens."))
    query = select(Candidate.id).where(Candidate.reference == value)
    if current is not None:
        query = query.where(Candidate.id != current.id)
    if session.scalar(query) is not None:
        raise InvalidInput(_l("Det finns redan en arbetssökande med den referensen."), "reference")
    return value


def _name(_session: Session, raw: RawCandidate, _current: Candidate | None) -> str:
    return _text(raw, "name", _l("Ange personens namn."))


def _notes(_session: Session, raw: RawCandidate, _current: Candidate | None) -> str | None:
    return _text(raw, "notes") or None


def _phone(_session: Session, raw: RawCandidate, _current: Candidate | None) -> str | None:
    refuse_personnummer(raw.phone, "phone", phone_field=True)
    return clean_phone(raw.phone)


def _email(_session: Session, raw: RawCandidate, _current: Candidate | None) -> str | None:
    return clean_email(raw.email)


def find_programme(session: Session, value: int | str | None) -> Programme | None:
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, int) or str(value).strip().isdigit():
        programme_id = storable_id(value)
        return session.get(Programme, programme_id) if programme_id is not None else None
    folded = str(value).strip().lower()
    return session.scalar(
        select(Programme).where(
            (func.lower(Programme.code) == folded) | (func.lower(Programme.name) == folded)
        )
    )


def _programme(session: Session, raw: RawCandidate, current: Candidate | None) -> int:
    programme = find_programme(session, raw.programme)
    if programme is None:
        raise InvalidInput(_l("Välj ett program eller en målgrupp ur listan."), "programme")
    keeps_old = current is not None and current.programme_id == programme.id
    if not programme.active and not keeps_old:
        raise InvalidInput(_l("Programmet är inte längre aktivt. Välj ett annat."), "programme")
    return programme.id


def _lines(values: list[str], field_name: str) -> list[str]:
    """Skill or language lines: suppliers see them (as `privacy.disclosure` allows), so no
    personnummer and no art. 9 word beyond those of the vocabulary term a line stands for."""
    cleaned = [value.strip() for value in values if value and value.strip()]
    vocabulary = Vocabulary.default()
    for value in cleaned:
        refuse_personnummer(value, field_name)
        if len(value) > 200:
            raise InvalidInput(_l("Högst %(max)d tecken per rad.", max=200), field_name)
        term = vocabulary.normalize(value)
        label = vocabulary.label(term.key) if term.kind != "free" else ""
        refuse_special_categories(value, field_name, allowed=label)
    return cleaned


def _skills(
    _session: Session, raw: RawCandidate, _current: Candidate | None
) -> tuple[SkillValue, ...]:
    vocabulary = Vocabulary.default()
    found: dict[str, SkillValue] = {}
    for text in _lines(raw.skills, "skills"):
        term = vocabulary.normalize(text)
        found.setdefault(term.key, SkillValue(text, term.key, term.kind))
    return tuple(found.values())


def _languages(
    _session: Session, raw: RawCandidate, _current: Candidate | None
) -> tuple[LanguageValue, ...]:
    vocabulary = Vocabulary.default()
    found: dict[str, LanguageValue] = {}
    for text in _lines(raw.languages, "languages"):
        term = vocabulary.normalize(text)
        if term.kind != "language":
            raise InvalidInput(
                _l(
                    "Okänt språk: ”%(text)s”. Skriv t.ex. ”svenska B1” eller ”arabiska modersmål”.",
                    text=text,
                ),
                "languages",
            )
        language = vocabulary.label(term.base)
        found.setdefault(term.key, LanguageValue(text, language, term.qualifier, term.key))
    return tuple(found.values())


def _licences(_session: Session, raw: RawCandidate, _current: Candidate | None) -> tuple[str, ...]:
    wanted = {value.strip().upper() for value in raw.licences if value and value.strip()}
    unknown = sorted(wanted - set(LICENCE_CLASSES))
    if unknown:
        raise InvalidInput(
            _l(
                "Okänd körkortsbehörighet: %(codes)s. Giltiga är %(valid)s.",
                codes=", ".join(unknown),
                valid=", ".join(LICENCE_CLASSES),
            ),
            "licences",
        )
    return tuple(code for code in LICENCE_CLASSES if code in wanted)


def _place(_session: Session, raw: RawCandidate, _current: Candidate | None) -> Place | None:
    return resolve_place(raw.place, raw.place_id)


def _max_commute(_session: Session, raw: RawCandidate, _current: Candidate | None) -> int | None:
    value = raw.max_commute_km
    if value is None or str(value).strip() == "":
        return None
    try:
        km = int(str(value).strip())
    except ValueError:
        km = -1
    if not 1 <= km <= MAX_COMMUTE_KM:
        raise InvalidInput(
            _l(
                "Ange ett helt antal kilometer mellan 1 och %(max)d, eller lämna tomt.",
                max=MAX_COMMUTE_KM,
            ),
            "max_commute_km",
        )
    return km


def _available_from(
    _session: Session, raw: RawCandidate, _current: Candidate | None
) -> date | None:
    value = raw.available_from
    if value is None or isinstance(value, date):
        return value
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            _l("Ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2027-01-15."), "available_from"
        ) from None


WORKING_TIME_WORDS = {
    "heltid": WorkingTime.FULL_TIME,
    "deltid": WorkingTime.PART_TIME,
    "båda": WorkingTime.EITHER,
    "heltid eller deltid": WorkingTime.EITHER,
    "": WorkingTime.EITHER,
}


def _working_time(_session: Session, raw: RawCandidate, _current: Candidate | None) -> WorkingTime:
    value = (raw.working_time or "").strip().lower()
    if value in WORKING_TIME_WORDS:
        return WORKING_TIME_WORDS[value]
    try:
        return WorkingTime(value)
    except ValueError:
        raise InvalidInput(_l("Välj heltid, deltid eller båda."), "working_time") from None


_CHECKS = (
    ("reference", _reference),
    ("name", _name),
    ("phone", _phone),
    ("email", _email),
    ("programme_id", _programme),
    ("skills", _skills),
    ("languages", _languages),
    ("licences", _licences),
    ("place", _place),
    ("max_commute_km", _max_commute),
    ("available_from", _available_from),
    ("working_time", _working_time),
    ("notes", _notes),
)
