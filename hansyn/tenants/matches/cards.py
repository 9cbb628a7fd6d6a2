"""The supplier's candidate cards as the page shows them, every text prepared in Python.

A ranked list of 25 candidates shows a few hundred vocabulary terms. Through Jinja filters
(`|map("term")|join`) each term cost a filter dispatch and a lookup of the request's language
in Flask-Babel's context: most of the page's rendering time. Here the language is looked up
once (`text_labeler`), each fit reason is translated once per page, and the template only
prints finished strings (Jinja still escapes them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hansyn.tenants.labels import text_labeler
from hansyn.tenants.matches.ranking import FitReason, RankedCandidate


@dataclass(frozen=True)
class SupplierCard:
    pseudonym: str
    score_percent: int
    distance_km: int | None
    skills: str
    languages: str
    driving_licences: str
    #: "wanted (offered)" when the candidate's own term differs from the wanted one.
    matched: str
    missing: str
    reasons: str
    meeting_requested: bool


def supplier_cards(ranked: list[RankedCandidate]) -> list[SupplierCard]:
    label = text_labeler()
    reasons: dict[FitReason, str] = {}

    def reason(r: FitReason) -> str:
        if r not in reasons:
            reasons[r] = r.supplier_text()
        return reasons[r]

    return [_card(c, label, reason) for c in ranked]


def _card(
    c: RankedCandidate, label: Callable[[str], str], reason: Callable[[FitReason], str]
) -> SupplierCard:
    return SupplierCard(
        pseudonym=c.pseudonym,
        score_percent=round(c.score * 100),
        distance_km=c.distance_km,
        skills=_joined(c.skills, label),
        languages=_joined(c.languages, label),
        driving_licences=_joined(c.driving_licences, label),
        matched=", ".join(_matched(label(w), label(o)) for w, o, _sim in c.matched),
        missing=_joined(c.missing, label),
        reasons=", ".join(reason(r) for r in c.reasons),
        meeting_requested=c.meeting_requested,
    )


def _joined(texts: list[str], label: Callable[[str], str]) -> str:
    return ", ".join(label(t) for t in texts)


def _matched(wanted: str, offered: str) -> str:
    return wanted if offered == wanted else f"{wanted} ({offered})"
