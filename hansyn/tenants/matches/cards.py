"""The supplier's candidate cards as the page shows them, every text prepared in Python.

A ranked list of 25 candidates shows a few hundred vocabulary terms. Through Jinja filters
(`|map("term")|join`) each term cost a filter dispatch and a lookup of the request's language
in Flask-Babel's context: most of the page's rendering time. Here the language is looked up
once (`text_labeler`), each fit reason is translated once per page, and the template only
prints finished strings (Jinja still escapes them).

The rendered list is then kept in this process (`kept_card_list`) for as long as the ranking it
shows is kept: a second read of the same list costs a dictionary lookup.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from markupsafe import Markup

from hansyn.matching import Match
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


#: Rendered card lists kept in this process (cleared whole when full, like the kept rankings).
CARD_LIST_CACHE_SIZE = 2_000
_card_lists: dict[Hashable, tuple[list[Match], Markup]] = {}
#: Where the request's CSRF token goes into a kept list: random per process, so no text of a
#: candidate's can ever be taken for it.
_CSRF_SLOT = secrets.token_hex(16)


def kept_card_list(
    key: Hashable, matches: list[Match], render: Callable[[str], Markup], csrf_token: str
) -> Markup:
    """`render(csrf_slot)`'s HTML, rendered once per `key` and kept ranking `matches`.

    `matches` must be the list `ranking.ranked_matches` keeps: a new ranking is a new list, so
    a list rendered from an older one is never shown. `key` names everything else the HTML
    depends on (vacancy, supplier, language, who was asked for already).
    """
    kept = _card_lists.get(key)
    if kept is None or kept[0] is not matches:
        if len(_card_lists) >= CARD_LIST_CACHE_SIZE:
            _card_lists.clear()
        kept = _card_lists[key] = (matches, render(_CSRF_SLOT))
    return kept[1].replace(_CSRF_SLOT, csrf_token)
