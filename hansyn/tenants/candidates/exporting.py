"""Exports: the tenant's candidates as CSV (the import's columns), one candidate's data (GDPR
art. 15) as JSON and CSV.

Every cell a spreadsheet could read as a formula (starting with = + - @, tab or carriage return)
is prefixed with ' so that opening the file in Excel runs nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from hansyn.tenants.candidates.importing import LIST_SEPARATOR, STATUS_WORDS
from hansyn.tenants.candidates.models import Candidate, WorkingTime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STATUS_NAMES = {status: word for word, status in STATUS_WORDS.items()}
WORKING_TIME_NAMES = {
    WorkingTime.FULL_TIME: "heltid",
    WorkingTime.PART_TIME: "deltid",
    WorkingTime.EITHER: "båda",
}
CSV_HEADERS = (
    "referens",
    "namn",
    "telefon",
    "e-post",
    "program",
    "kompetenser",
    "språk",
    "körkort",
    "ort",
    "max pendling km",
    "tillgänglig från",
    "arbetstid",
    "anteckningar",
    "status",
    "samtycke",
)


def neutralise(value: object) -> str:
    """A cell as text that no spreadsheet will evaluate."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(rows: Iterable[Iterable[object]]) -> str:
    """Semicolon-separated with a BOM: what Swedish Excel opens correctly by double-click.

    Every cell is quoted: an Excel whose list separator is a comma splits unquoted cells at their
    commas, and the part after one ("Anna,=HYPERLINK(…)") would start a cell as a formula.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return "\ufeff" + buffer.getvalue()


def candidate_row(candidate: Candidate) -> list[object]:
    return [
        candidate.reference,
        candidate.name,
        candidate.phone,
        candidate.email,
        candidate.programme.code,
        LIST_SEPARATOR.join(skill.text for skill in candidate.skills),
        LIST_SEPARATOR.join(language.text for language in candidate.languages),
        " ".join(candidate.licence_list),
        candidate.place_name,
        candidate.max_commute_km,
        candidate.available_from.isoformat() if candidate.available_from else "",
        WORKING_TIME_NAMES[candidate.working_time],
        candidate.notes,
        STATUS_NAMES[candidate.status],
        "ja" if candidate.consent_given else "nej",
    ]


def candidates_csv(candidates: Iterable[Candidate]) -> str:
    """The tenant's candidates in the import's own format (so an export can be re-imported)."""
    return write_csv([CSV_HEADERS, *(candidate_row(c) for c in candidates)])


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def subject_access_data(candidate: Candidate) -> dict[str, Any]:
    """Everything Hänsyn holds about one candidate (registerutdrag, GDPR art. 15)."""
    return {
        "id": candidate.id,
        "referens": candidate.reference,
        "namn": candidate.name,
        "telefon": candidate.phone,
        "e-post": candidate.email,
        "program": candidate.programme.name,
        "kompetenser": [{"text": s.text, "nyckel": s.key} for s in candidate.skills],
        "språk": [
            {"text": v.text, "språk": v.language, "nivå": v.level} for v in candidate.languages
        ],
        "körkort": candidate.licence_list,
        "ort": candidate.place_name,
        "kommunkod": candidate.kommunkod,
        "max pendling km": candidate.max_commute_km,
        "tillgänglig från": _iso(candidate.available_from),
        "arbetstid": WORKING_TIME_NAMES[candidate.working_time],
        "anteckningar": candidate.notes,
        "status": STATUS_NAMES[candidate.status],
        "status ändrad": _iso(candidate.status_changed_at),
        "pausad": _iso(candidate.paused_at),
        "avslutad": _iso(candidate.closed_at),
        "registrerad": _iso(candidate.created_at),
        "ändrad": _iso(candidate.updated_at),
        "samtycken": [
            {
                "samtycker": consent.given,
                "syfte": consent.purpose,
                "tidpunkt": _iso(consent.recorded_at),
                "registrerat av": consent.recorded_by_email,
                "anteckning": consent.note,
            }
            for consent in candidate.consents
        ],
    }


def subject_access_csv(candidate: Candidate) -> str:
    """The same data as rows of (uppgift, värde); list values one row each."""
    rows: list[tuple[object, object]] = [("uppgift", "värde")]
    for key, value in subject_access_data(candidate).items():
        if isinstance(value, list):
            rows.extend((key, _flat(item)) for item in value)
        else:
            rows.append((key, value))
    return write_csv(rows)


def _flat(item: object) -> str:
    if isinstance(item, dict):
        return ", ".join(f"{k}: {v}" for k, v in item.items() if v not in (None, ""))
    return str(item)
