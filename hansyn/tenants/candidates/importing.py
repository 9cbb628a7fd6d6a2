"""CSV import of job seekers (Excel-friendly), upserted by the case reference.

`;` or `,` is detected from the header line; the encoding too: UTF-8 with or without BOM, else
Windows-1252 (what Excel in Sweden writes as "CSV (semikolonavgränsad)"), and the report says
which. Control characters (a NUL byte, …) are removed, as everywhere text enters. Each row is all or
nothing (a savepoint per row): a bad row is reported with its line number and saves nothing,
good rows are saved. Importing the same file twice changes nothing the second time.
The column format is documented in docs/import.md.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from hansyn.errors import InvalidInput, Problems
from hansyn.tenants.audit.operations import Actor
from hansyn.tenants.candidates import operations
from hansyn.tenants.candidates.models import Candidate, CandidateStatus
from hansyn.tenants.candidates.parsing import RawCandidate, parse_candidate
from hansyn.tenants.candidates.spreadsheet import restore
from hansyn.tenants.candidates.validation import refuse_personnummer
from hansyn.tenants.privacy.text import clean_text

#: Column header -> RawCandidate attribute (or a special column).
COLUMNS = {
    "referens": "reference",
    "namn": "name",
    "telefon": "phone",
    "e-post": "email",
    "program": "programme",
    "kompetenser": "skills",
    "språk": "languages",
    "körkort": "licences",
    "ort": "place",
    "max pendling km": "max_commute_km",
    "tillgänglig från": "available_from",
    "arbetstid": "working_time",
    "anteckningar": "notes",
    "status": "status",
    "samtycke": "consent",
}
REQUIRED_COLUMNS = ("referens", "namn", "program")
LIST_SEPARATOR = "|"
STATUS_WORDS = {
    "aktiv": CandidateStatus.ACTIVE,
    "pausad": CandidateStatus.PAUSED,
    "avslutad": CandidateStatus.CLOSED,
}
CONSENT_WORDS = {"ja": True, "nej": False}
MAX_ROWS = 5000
FIELD_HEADERS = {attribute: header for header, attribute in COLUMNS.items()}
FIELD_HEADERS["programme_id"] = "program"


@dataclass
class RowError:
    line: int
    messages: list[str]


@dataclass
class ImportReport:
    encoding: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.errors)


UTF8_BOM = b"\xef\xbb\xbf"
#: The encodings tried, in order, with the name the report shows.
ENCODING_NAMES = {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "cp1252": "Windows-1252"}
#: The longest cell read (the csv module refuses longer ones: its field limit).
MAX_CELL_CHARACTERS = csv.field_size_limit()


def decode(data: bytes) -> tuple[str, str]:
    """The file's text without control characters, and the name of the encoding it was in."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InvalidInput(
            _l(
                "Filen är sparad som UTF-16 (”Unicode-text”). Spara den i Excel som "
                "”CSV UTF-8 (kommaavgränsad)” eller ”CSV (semikolonavgränsad)”."
            ),
            "file",
        )
    encodings = ["utf-8-sig"] if data.startswith(UTF8_BOM) else ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            return clean_text(data.decode(encoding)), ENCODING_NAMES[encoding]
        except UnicodeDecodeError:
            continue
    raise InvalidInput(
        _l(
            "Filens teckenkodning känns inte igen (varken UTF-8 eller Windows-1252). Spara den "
            "i Excel som ”CSV UTF-8 (kommaavgränsad)”."
        ),
        "file",
    )


def detect_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") >= header.count(",") else ","


def _normalise_header(header: str) -> str:
    return re.sub(r"[\s_]+", " ", header.strip().lower())


def read_rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The known headers and each data row with its line number in the file."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text))
    headers = [_normalise_header(h) for h in next(reader, [])]
    unknown = [h for h in headers if h and h not in COLUMNS]
    missing = [h for h in REQUIRED_COLUMNS if h not in headers]
    if unknown or missing:
        raise InvalidInput(_header_message(unknown, missing), "file")
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            values = [restore(cell) for cell in cells]
            rows.append((reader.line_num, dict(zip(headers, values, strict=False))))
            if len(rows) > MAX_ROWS:
                raise InvalidInput(_l("Högst %(max)d rader per fil.", max=MAX_ROWS), "file")
    except csv.Error:  # the only one a str reader raises: a cell beyond the field limit
        raise InvalidInput(
            _l(
                "Rad %(line)d: en cell är längre än %(max)d tecken. Kontrollera att citattecknen "
                "i filen är parvisa.",
                line=reader.line_num,
                max=MAX_CELL_CHARACTERS,
            ),
            "file",
        ) from None
    return headers, rows


def _header_message(unknown: list[str], missing: list[str]) -> LazyString:
    if missing:
        return _l("Kolumnerna %(columns)s saknas i första raden.", columns=", ".join(missing))
    return _l("Okända kolumner: %(columns)s.", columns=", ".join(unknown))


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]


def raw_candidate(
    row: dict[str, str], current: Candidate | None = None, *, confirm_special: bool = False
) -> RawCandidate:
    """The row's values over what is saved now: a column left out of the file changes nothing."""
    raw = RawCandidate.from_candidate(current) if current is not None else RawCandidate()
    raw.confirm_special = confirm_special
    for header, value in row.items():
        attribute = COLUMNS.get(header)
        if attribute in {"skills", "languages"}:
            setattr(raw, attribute, _split(value or ""))
        elif attribute == "licences":
            raw.licences = [c for c in re.split(r"[\s|,;]+", value or "") if c]
        elif attribute in {"status", "consent", None}:
            continue
        else:
            setattr(raw, attribute, (value or "").strip())
    return raw


def _choice(row: dict[str, str], header: str, words: dict[str, object]) -> object | None:
    value = (row.get(header) or "").strip().lower()
    if not value:
        return None
    if value not in words:
        raise InvalidInput(
            _l(
                "Kolumnen %(column)s ska vara en av: %(words)s.",
                column=header,
                words=", ".join(words),
            ),
            header,
        )
    return words[value]


def _messages(error: InvalidInput) -> list[str]:
    return [
        f"{FIELD_HEADERS.get(p.field or '', p.field or '')}: {p.message}" for p in error.problems
    ]


def import_row(
    session: Session, row: dict[str, str], actor: Actor, *, confirm_special: bool = False
) -> str:
    """Upsert one row; returns "created", "updated" or "unchanged"."""
    for header, value in row.items():
        refuse_personnummer(value, header, phone_field=header == "telefon")
    # A wrong status or samtycke is reported with the row's other mistakes, not instead of them.
    choices: dict[str, object] = {}
    wrong = Problems()
    for header, words in (("status", STATUS_WORDS), ("samtycke", CONSENT_WORDS)):
        with wrong.check():
            choices[header] = _choice(row, header, dict(words))
    reference = (row.get("referens") or "").strip()
    candidate = (
        session.scalar(select(Candidate).where(Candidate.reference == reference))
        if reference
        else None
    )
    try:
        raw = raw_candidate(row, candidate, confirm_special=confirm_special)
        data = parse_candidate(session, raw, candidate)
    except InvalidInput as error:
        wrong.found[:0] = error.problems
    wrong.raise_any()
    if candidate is None:
        candidate = operations.create_candidate(session, data, actor)
        outcome = "created"
    else:
        outcome = (
            "updated"
            if operations.update_candidate(session, candidate, data, actor)
            else "unchanged"
        )
    changed = _apply_status_and_consent(
        session, candidate, choices["status"], choices["samtycke"], actor
    )
    return "updated" if changed and outcome == "unchanged" else outcome


def _apply_status_and_consent(
    session: Session, candidate: Candidate, status: object, consent: object, actor: Actor
) -> bool:
    changed = False
    if isinstance(status, CandidateStatus):
        changed = operations.set_status(session, candidate, status, actor)
    if isinstance(consent, bool) and consent != candidate.consent_given:
        operations.record_consent(session, candidate, consent, actor, note="import")
        changed = True
    return changed


def import_csv(
    session: Session, data: bytes, actor: Actor, *, confirm_special: bool = False
) -> ImportReport:
    """Import a whole file; raises InvalidInput only if the file itself is unusable.

    `confirm_special`: the coordinator confirmed that GDPR art. 9 words in names, references and
    notes are needed (without it such a row is refused, like in the form).
    """
    text, encoding = decode(data)
    _headers, rows = read_rows(text)
    report = ImportReport(encoding=encoding)
    for line, row in rows:
        savepoint = session.begin_nested()
        try:
            outcome = import_row(session, row, actor, confirm_special=confirm_special)
        except InvalidInput as error:
            savepoint.rollback()
            report.errors.append(RowError(line, _messages(error)))
            continue
        savepoint.commit()
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report
