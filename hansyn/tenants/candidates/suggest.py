"""Autocomplete answers (JSON-ready) for skills, languages and home places."""

from __future__ import annotations

from hansyn.matching.facts import Term
from hansyn.matching.vocabulary import Vocabulary
from hansyn.tenants.labels import display_key
from hansyn.tenants.localities import Gazetteer

MAX_QUERY = 100
LIMIT = 10


def _query(text: str) -> str:
    return text.strip()[:MAX_QUERY]


def suggest_skills(text: str) -> list[dict[str, str]]:
    q = _query(text)
    if not q:
        return []
    terms = Vocabulary.default().suggest(q, kinds=("skill", "occupation"), limit=LIMIT)
    return [{"label": t.label, "key": t.key, "kind": t.kind} for t in terms]


def suggest_languages(text: str) -> list[dict[str, str]]:
    q = _query(text)
    if not q:
        return []
    terms = Vocabulary.default().suggest(q, kinds=("language",), limit=LIMIT)
    return [{"label": _language_label(t), "key": t.key, "kind": t.kind} for t in terms]


def _language_label(term: Term) -> str:
    """The language as the page shows it ("Arabic, native language" on English pages), where
    the vocabulary reads that text back as the same term; else the taxonomy's Swedish label."""
    shown = display_key(term.key, term.label)
    if shown != term.label and Vocabulary.default().normalize(shown).key == term.key:
        return shown
    return term.label


def suggest_places(text: str) -> list[dict[str, object]]:
    q = _query(text)
    if not q:
        return []
    gazetteer = Gazetteer.default()
    answers: list[dict[str, object]] = []
    for place in gazetteer.search(q, limit=LIMIT):
        municipality = gazetteer.municipality(place.kommunkod)
        answers.append(
            {
                "id": place.id,
                "label": place.display_name,
                "kind": place.kind,
                "default_commute_km": gazetteer.default_commute_km(place),
                "fa_region": municipality.fa_name if municipality else None,
            }
        )
    return answers
