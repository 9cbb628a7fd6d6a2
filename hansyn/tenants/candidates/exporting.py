"""Exports: the tenant's candidates as CSV (the import's columns), one candidate's data (GDPR
art. 15) as JSON and CSV.

Every cell a spreadsheet could read as a formula (starting with = + - @, tab or carriage return)
is prefixed with ' so that opening the file in Excel runs nothing; the import takes the prefix off
again (`spreadsheet.py`), so exporting and importing a list changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from hansyn.tenants.candidates.importing import LIST_SEPARATOR, STATUS_WORDS
from hansyn.tenants.candidates.models import Candidate, WorkingTime
from hansyn.tenants.candidates.spreadsheet import neutralise

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


TEMPLATE_EXAMPLE = (
    "AME-1001",
    "Förnamn Efternamn",
    "070-123 45 67",
    "namn@exempel.se",
    "jobbtorg",
    "Truckvana|Lagerarbete",
    "svenska B1|arabiska modersmål",
    "B",
    "Angered",
    "",
    "",
    "heltid",
    "",
    "aktiv",
    "nej",
)


def template_csv() -> str:
    """The import's columns and one example row (replace it with real rows)."""
    return write_csv([CSV_HEADERS, TEMPLATE_EXAMPLE])


#: Times in a registerutdrag are Swedish clock time, with their offset from UTC written out.
TIME_ZONE = "Europe/Stockholm"
#: What a supplier is shown of a candidate (the ranked list and its JSON): art. 15(1)(c).
SUPPLIER_DATA = (
    "pseudonym, kompetenser och språk (som ord ur JobTechs taxonomi), körkort, "
    "avstånd i steg om 5 km, matchningsgrad"
)


@dataclass(frozen=True)
class Recipient:
    """One time a supplier was shown the candidate (from the audit trail)."""

    at: datetime
    supplier: str
    context: str  # the list and the vacancy, in words


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(ZoneInfo(TIME_ZONE)).isoformat(timespec="seconds")
    return value.isoformat()


def subject_access_data(
    candidate: Candidate, recipients: Iterable[Recipient] = ()
) -> dict[str, Any]:
    """Everything Hänsyn holds about one candidate (registerutdrag, GDPR art. 15), and who
    received pseudonymised data about them (art. 15(1)(c))."""
    return {
        "tidszon": f"{TIME_ZONE} (tider med förskjutning från UTC, t.ex. +01:00)",
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
        "begränsad (art. 18)": _iso(candidate.restricted_at),
        "mottagare": [
            {
                "leverantör": recipient.supplier,
                "tidpunkt": _iso(recipient.at),
                "sammanhang": recipient.context,
                "uppgifter": SUPPLIER_DATA,
            }
            for recipient in recipients
        ],
    }


def subject_access_csv(candidate: Candidate, recipients: Iterable[Recipient] = ()) -> str:
    """The same data as rows of (uppgift, värde); list values one row each."""
    rows: list[tuple[object, object]] = [("uppgift", "värde")]
    for key, value in subject_access_data(candidate, recipients).items():
        if isinstance(value, list):
            rows.extend((key, _flat(item)) for item in value)
        else:
            rows.append((key, value))
    return write_csv(rows)


def _flat(item: object) -> str:
    if isinstance(item, dict):
        return ", ".join(f"{k}: {v}" for k, v in item.items() if v not in (None, ""))
    return str(item)
