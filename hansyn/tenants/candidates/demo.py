"""Demo job seekers for `hansyn demo` (fictitious people; idempotent by case reference)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from hansyn.tenants.audit.operations import DEMO_ACTOR
from hansyn.tenants.candidates import operations
from hansyn.tenants.candidates.models import Candidate, CandidateStatus
from hansyn.tenants.candidates.parsing import RawCandidate, parse_candidate

# (reference, name, programme, skills, languages, licences, place, commute, working time, status,
#  consent)
DemoRow = tuple[str, str, str, list[str], list[str], list[str], str, str, str, str, bool]
DEMO_CANDIDATES: dict[str, list[DemoRow]] = {
    "goteborg": [
        (
            "AME-GBG-1001",
            "Amina Yusuf",
            "etablering",
            ["Städning", "Lokalvårdare"],
            ["svenska B1", "somaliska modersmål"],
            [],
            "Angered",
            "",
            "heltid",
            "active",
            True,
        ),
        (
            "AME-GBG-1002",
            "Johan Lindqvist",
            "jobbgaranti",
            ["Truckvana", "Lagerarbete"],
            ["svenska modersmål", "engelska bra"],
            ["B", "C"],
            "Partille",
            "30",
            "heltid",
            "active",
            True,
        ),
        (
            "AME-GBG-1003",
            "Farah Haddad",
            "forsorjningsstod",
            ["Barnskötare", "Köksbiträde"],
            ["arabiska modersmål", "svenska B2"],
            ["B"],
            "Göteborg",
            "",
            "deltid",
            "active",
            True,
        ),
        (
            "AME-GBG-1004",
            "Mikael Berg",
            "jobbgaranti",
            ["Fastighetsskötare", "Snöröjning"],
            ["svenska modersmål"],
            ["B", "BE"],
            "Mölndal",
            "25",
            "båda",
            "paused",
            True,
        ),
        (
            "AME-GBG-1005",
            "Tesfay Ghebre",
            "ungdomsgaranti",
            ["Busschaufför"],
            ["tigrinska modersmål", "svenska A2"],
            ["B", "D"],
            "Torslanda (Göteborg)",
            "",
            "heltid",
            "active",
            False,
        ),
        (
            "AME-GBG-1006",
            "Leyla Karimi",
            "etablering",
            ["Lokalvårdare", "Fönsterputsning"],
            ["dari modersmål", "svenska B1"],
            [],
            "Norra Biskopsgården (Göteborg)",
            "",
            "heltid",
            "active",
            True,
        ),
        (
            "AME-GBG-1007",
            "Mikael Strand",
            "jobbgaranti",
            ["Lagerarbete", "Truckvana"],
            ["svenska modersmål"],
            ["B"],
            "422 43",
            "",
            "heltid",
            "active",
            True,
        ),
    ],
    "boras": [
        (
            "AME-BOS-2001",
            "Elin Svensson",
            "jobbtorg",
            ["Undersköterska", "Personlig assistent"],
            ["svenska modersmål"],
            ["B"],
            "Borås",
            "",
            "deltid",
            "active",
            True,
        ),
        (
            "AME-BOS-2002",
            "Ahmad Karimi",
            "etablering",
            ["Svetsning", "Plåtslagare"],
            ["dari modersmål", "svenska B1"],
            ["B", "C", "CE"],
            "Fristad (Borås)",
            "40",
            "heltid",
            "active",
            True,
        ),
        (
            "AME-BOS-2003",
            "Linnea Olsson",
            "jobbgaranti",
            ["Kock", "Servering"],
            ["svenska modersmål", "engelska flytande"],
            [],
            "Viskafors (Borås)",
            "",
            "båda",
            "closed",
            False,
        ),
    ],
}


#: When a demo job seeker can start, where it is not at once: the ranking weighs it against a
#: vacancy's start date and says so ("Kan börja 21 dagar efter startdagen").
AVAILABLE_FROM = {
    "AME-GBG-1001": date(2027, 2, 1),
    "AME-GBG-1002": date(2027, 1, 4),
}


def _raw(row: DemoRow) -> RawCandidate:
    reference, name, programme, skills, languages, licences, place, commute, hours = row[:9]
    return RawCandidate(
        available_from=AVAILABLE_FROM.get(reference),
        reference=reference,
        name=name,
        programme=programme,
        skills=skills,
        languages=languages,
        licences=licences,
        place=place,
        max_commute_km=commute,
        working_time=hours,
        phone="070-000 00 00",
        email=f"{reference.lower()}@demo.example",
    )


def load_candidates_demo(session: Session, slug: str) -> None:
    for row in DEMO_CANDIDATES.get(slug, []):
        if session.scalar(select(Candidate.id).where(Candidate.reference == row[0])) is not None:
            continue
        data = parse_candidate(session, _raw(row))
        candidate = operations.create_candidate(session, data, DEMO_ACTOR)
        if row[10]:
            operations.record_consent(session, candidate, True, DEMO_ACTOR, note="demo")
        operations.set_status(session, candidate, CandidateStatus(row[9]), DEMO_ACTOR)
