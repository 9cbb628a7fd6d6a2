"""Qualified facts: driving licences, truck licences and languages with a level.

Their qualifiers are facts, not fuzz: they are parsed apart from the base and compared exactly,
and one satisfies another only by the documented rules (licence inclusion, a higher language
level, a truck subclass) in :mod:`hansyn.matching.lexicon`.
"""

from __future__ import annotations

from collections.abc import Mapping

from hansyn.matching import lexicon
from hansyn.matching.swedish import fold, stem
from hansyn.matching.terms import Term

__all__ = [
    "LICENCE_CLOSURE",
    "FactParser",
    "language_term",
    "licence_term",
    "related_language",
    "related_licence",
    "related_truck",
    "truck_term",
]

_LICENCE_WORDS = frozenset({"korkort", "kort", "behorighet", "korkortsbehorighet", "klass"})
# classes that mean a driving licence even without the word "körkort"
# (A, C and D alone are also programming languages and certificates in the taxonomy)
_LICENCE_ALONE = frozenset({"AM", "B", "B96", "BE", "C1E", "D1E", "DE", "CE"})
# vehicle words that make a class code a driving licence: "B (personbil)", "C lastbil"
_VEHICLE_WORDS = frozenset(
    {"personbil", "bil", "lastbil", "tung", "latt", "buss", "slap", "slapvagn", "motorcykel", "mc"}
)
_TRUCK_WORDS = frozenset({"truckkort", "truckkorkort", "truck", "truckar", "truckbehorighet",
                          "truckcertifikat", "trucklicens"})
_TRUCK_NOUNS = frozenset({"kort", "korkort", "behorighet", "certifikat", "licens", "utbildning"})
# what follows a language's adjective in one word: "engelskkunskaper", "svensktalande",
# "arabiskspråkig" (folded)
_LANGUAGE_TAILS = ("kunskaper", "kunskap", "kunnig", "talande", "sprakig")
_CEFR = frozenset({"a1", "a2", "b1", "b2", "c1", "c2"})
_SFI_COURSE = {"a": "SFI A", "b": "SFI B", "c": "SFI C", "d": "SFI D"}


def _closure() -> dict[str, frozenset[str]]:
    def walk(code: str) -> set[str]:
        found = {code}
        for sub in lexicon.LICENCE_INCLUDES[code]:
            found |= walk(sub)
        return found

    return {code: frozenset(walk(code)) for code in lexicon.LICENCE_INCLUDES}


LICENCE_CLOSURE = _closure()
"""Driving licence class -> every class it includes (itself too)."""


# --------------------------------------------------------------------------- terms


def licence_term(code: str) -> Term:
    label = "Körkort B96 (utökad B)" if code == "B96" else f"Körkort {code}"
    return Term(f"licence:{code}", label, "licence", "licence", code)


def truck_term(qualifier: str | None) -> Term:
    if qualifier is None:
        return Term("licence:truck", "Truckkort", "licence", "licence:truck", None)
    key = f"licence:truck#{qualifier}"
    return Term(key, f"Truckkort {qualifier}", "licence", "licence:truck", qualifier)


def language_term(key: str, label: str, qualifier: str | None) -> Term:
    if qualifier is None:
        return Term(key, label, "language", key, None)
    if qualifier in {"A1", "A2", "B1", "B2", "C1", "C2"} or qualifier.startswith("SFI"):
        shown = f"{label} {qualifier}"
    else:
        shown = f"{label}, {qualifier.lower()}"
    return Term(f"{key}#{qualifier}", shown, "language", key, qualifier)


# --------------------------------------------------------------------------- what satisfies what


def related_licence(term: Term) -> dict[str, float]:
    """Driving licence classes that include the wanted one (CE for C, C for B, ...)."""
    wanted = term.qualifier or ""
    return {
        f"licence:{code}": 0.95
        for code, included in LICENCE_CLOSURE.items()
        if wanted in included and code != wanted
    }


def related_truck(wanted: str | None) -> dict[str, float]:
    """Truck classes that satisfy: any for plain "truckkort", the subclasses for A or B."""
    return {
        f"licence:truck#{code}": 0.95 if code == wanted else 0.9
        for code in lexicon.TRUCK_CLASSES
        if wanted is None or (len(wanted) == 1 and code.startswith(wanted) and code != wanted)
    }


def related_language(term: Term) -> dict[str, float]:
    """The same language at a level at least as high; any level if none is wanted."""
    wanted = term.qualifier
    if wanted is None:
        return {f"{term.base}#{level}": 0.95 for level in lexicon.LANGUAGE_LEVELS}
    need = lexicon.LANGUAGE_LEVELS[wanted]
    return {
        f"{term.base}#{level}": 0.95 if _same_scale(level, wanted) else 0.9
        for level, value in lexicon.LANGUAGE_LEVELS.items()
        if value >= need and level != wanted
    }


def _same_scale(left: str, right: str) -> bool:
    def scale(level: str) -> str:
        return "sfi" if level.startswith("SFI") else "cefr" if level[1:].isdigit() else "words"

    return scale(left) == scale(right)


# --------------------------------------------------------------------------- parsing


class FactParser:
    """Reads a licence, truck licence or language (+ level) from folded words, or nothing.

    Everything besides the fact must be a filler word ("goda kunskaper i svenska"), otherwise
    the text is something else ("Svenska, undervisning gymnasienivå" is a skill).
    """

    def __init__(self, languages: Mapping[str, tuple[str, str]], filler: frozenset[str]) -> None:
        self._languages = languages  # stem of a language name -> (key, label)
        self._filler = filler
        self._level_words = {tuple(fold(k).split()): v for k, v in lexicon.LEVEL_WORDS.items()}

    def parse(self, words: list[str]) -> Term | None:
        return self._licence(words) or self._truck(words) or self._language(words)

    def _licence(self, words: list[str]) -> Term | None:
        codes: list[str] = []
        has_licence_word = vehicle = False
        i = 0
        while i < len(words):
            code, used = _licence_code(words, i)
            if code is not None:
                codes.append(code)
            elif words[i] in _LICENCE_WORDS or stem(words[i]) in _LICENCE_WORDS:
                has_licence_word = True
            elif words[i] in _VEHICLE_WORDS:
                vehicle = True
            elif words[i] not in self._filler:
                return None
            i += used
        alone = bool(codes) and (vehicle or set(codes) <= _LICENCE_ALONE)
        if not has_licence_word and not alone:
            return None
        if words == ["kort"] or (not codes and "korkort" not in map(stem, words)):
            return None
        # Plain "körkort" in Swedish job ads means class B; of several classes the widest counts.
        code = max(codes, key=lambda c: (len(LICENCE_CLOSURE[c]), c)) if codes else "B"
        return licence_term(code)

    def _truck(self, words: list[str]) -> Term | None:
        classes: list[str] = []
        truck = noun = False
        for word in words:
            if word.upper() in lexicon.TRUCK_CLASSES:
                classes.append(word.upper())
            elif word in _TRUCK_WORDS or stem(word) in _TRUCK_WORDS:
                truck = True
                noun = noun or stem(word) not in {"truck", "truckar"}
            elif word in _TRUCK_NOUNS or stem(word) in _TRUCK_NOUNS:
                noun = True
            elif word not in self._filler:
                return None
        if not truck or not (noun or classes):
            return None
        return truck_term(min(classes) if classes else None)

    def _language(self, words: list[str]) -> Term | None:
        language: tuple[str, str] | None = None
        levels: list[str] = []
        i = 0
        while i < len(words):
            level, used = self._level(words, i)
            if level is not None:
                levels.append(level)
            elif language is None and stem(words[i]) in self._languages:
                language = self._languages[stem(words[i])]
            elif language is None and (joined := self._joined_language(words[i])):
                language = joined
            elif words[i] not in self._filler:
                return None
            i += used
        if language is None and any(level.startswith("SFI") for level in levels):
            language = self._languages.get("svensk")
        if language is None:
            return None
        # of several levels ("B1-B2") the lower one is what is certain
        qualifier = min(levels, key=lambda q: (lexicon.LANGUAGE_LEVELS[q], q)) if levels else None
        return language_term(*language, qualifier)

    def _joined_language(self, word: str) -> tuple[str, str] | None:
        """The language of a word that joins its adjective to a word for knowing or speaking
        it ("engelskkunskaper", "svensktalande"): only an adjective in -sk of four letters or
        more ("tysk"), so that no short name is read into a compound ("bas" + "kunskaper")."""
        for tail in _LANGUAGE_TAILS:
            adjective = word.removesuffix(tail)
            if adjective != word and len(adjective) >= 4 and adjective.endswith("sk"):
                return self._languages.get(stem(adjective))
        return None

    def _level(self, words: list[str], i: int) -> tuple[str | None, int]:
        """The level starting at ``words[i]`` and how many words it takes."""
        word = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if word == "sfi":
            if nxt == "kurs" and i + 2 < len(words) and words[i + 2] in _SFI_COURSE:
                return _SFI_COURSE[words[i + 2]], 3
            return (_SFI_COURSE[nxt], 2) if nxt in _SFI_COURSE else ("SFI", 1)
        if len(word) == 4 and word.startswith("sfi") and word[3] in _SFI_COURSE:
            return _SFI_COURSE[word[3]], 1
        if word in _CEFR:
            return word.upper(), 1
        if (word, nxt) in self._level_words:
            return self._level_words[(word, nxt)], 2
        return self._level_words.get((word,)), 1


def _licence_code(words: list[str], i: int) -> tuple[str | None, int]:
    if words[i] == "utokad" and i + 1 < len(words) and words[i + 1] == "b":
        return "B96", 2
    code = words[i].upper()
    return (code, 1) if code in lexicon.LICENCE_INCLUDES else (None, 1)
