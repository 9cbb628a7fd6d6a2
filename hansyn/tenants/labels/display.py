"""The display form of a stored skill, language or licence, in the current request's language.

Candidates and vacancies store what was typed ("arabiska modersmål", "körkort B") with the
vocabulary key it resolved to. Pages and JSON show the term instead, as the taxonomy writes it
("Arabiska, modersmål", "Körkort B") — and on English pages with the language's English name and
the level in English ("Arabic, native language"). Free text is shown as typed. Skill and
occupation names stay Swedish: the taxonomy has no English labels.

English language names: ``data/languages_en.json`` (concept key → name), built once by
``tools/build_language_names.py`` from ISO 639 via pycountry.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache, lru_cache
from importlib import resources

from flask_babel import get_locale, pgettext
from flask_babel import gettext as _

from hansyn.matching.facts import Term
from hansyn.matching.vocabulary import Vocabulary

_CEFR = frozenset({"A1", "A2", "B1", "B2", "C1", "C2"})


def _english() -> bool:
    locale = get_locale()
    return locale is not None and locale.language == "en"


@cache
def _english_names() -> dict[str, str]:
    text = resources.files("hansyn.tenants.labels").joinpath("data", "languages_en.json")
    names: dict[str, str] = json.loads(text.read_text(encoding="utf-8"))
    return names


def language_name(base_key: str, swedish: str = "") -> str:
    """The language of concept ``base_key`` ("language:…") in the current language."""
    if _english():
        name = _english_names().get(base_key)
        if name:
            return name
    return swedish or Vocabulary.default().label(base_key)


def _level(qualifier: str) -> str:
    words = {
        "Lite": pgettext("språknivå", "lite"),
        "Bra": pgettext("språknivå", "bra"),
        "Mycket bra": pgettext("språknivå", "mycket bra"),
        "Flytande": pgettext("språknivå", "flytande"),
        "Modersmål": pgettext("språknivå", "modersmål"),
    }
    return words.get(qualifier, qualifier.lower())


def _language(term: Term) -> str:
    name = language_name(term.base, Vocabulary.default().label(term.base))
    qualifier = term.qualifier
    if qualifier is None:
        return name
    if qualifier in _CEFR or qualifier.startswith("SFI"):
        return f"{name} {qualifier}"
    return f"{name}, {_level(qualifier)}"


def _licence(term: Term) -> str:
    if not _english():
        return term.label
    if term.base == "licence:truck":
        licence = _("Truckkort")
        return f"{licence} {term.qualifier}" if term.qualifier else licence
    klass = term.qualifier or term.key.removeprefix("licence:")
    if klass == "B96":
        return _("Körkort B96 (utökad B)")
    return _("Körkort %(klass)s", klass=klass)


def _shown(term: Term, typed: str) -> str:
    if term.kind == "language":
        return _language(term)
    if term.kind == "licence":
        return _licence(term)
    if term.kind == "free":
        return typed.strip()
    return term.label


def display_key(key: str, typed: str = "") -> str:
    """The display form of a stored vocabulary key; ``typed`` for free text or an unknown key."""
    return _display_key(key, typed, _english())


@lru_cache(maxsize=8192)
def _display_key(key: str, typed: str, _english_page: bool) -> str:
    if not key or key.startswith("free:"):
        return typed.strip()
    try:
        term = Vocabulary.default().term(key)
    except (KeyError, ValueError):
        return typed.strip() or key
    return _shown(term, typed)


def display_text(text: str) -> str:
    """The display form of stored text (as typed): the term it resolves to, else the text."""
    return _display_text(text, _english())


def text_labeler() -> Callable[[str], str]:
    """`display_text` for the many terms of one page: the request's language is looked up once
    (each lookup goes through Flask-Babel's context proxies; a list of 25 candidates shows a few
    hundred terms)."""
    english = _english()
    return lambda text: _display_text(text, english)


@lru_cache(maxsize=8192)
def _display_text(text: str, _english_page: bool) -> str:
    return _shown(Vocabulary.default().normalize(text), text)
