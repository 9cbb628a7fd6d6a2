"""Swedish text primitives: case and diacritic folding, a light stemmer, compound keys.

The stemmer follows Snowball's Swedish steps 1-2 (suffix stripping in the R1 region, then a
doubled final consonant), plus the definite forms of -a nouns (-an, -ans) and -et/-ets, which
Snowball leaves alone. It runs on lowercase words with diacritics kept ("frisör" is not
"frisor" + an ending); keys are folded afterwards, so "lokalvardaren" meets "lokalvårdare".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

__all__ = [
    "allowed_edits",
    "compound_key",
    "fold",
    "fold_word",
    "fold_words",
    "lower_words",
    "marks",
    "marks_fit",
    "stem",
    "stems_key",
]

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "æ": "ae", "ø": "o", "ß": "ss", "_": " "})
_WORD = re.compile(r"\w+")
_VOWELS = frozenset("aeiouyåäöéüæø")
# Snowball Swedish step-1 suffixes plus the definite forms of -a nouns (-an, -ans) and -et.
_SUFFIX_TEXT = (
    "heterna hetens anden heten heter arnas ernas ornas andes arens andet arna erna orna ande "
    "arne aste aren ades erns ade are ern ens het ast ad en ar er or as es at a e ans an ets et "
    "enas ena"
)
_SUFFIX_SET = frozenset(_SUFFIX_TEXT.split())
_LONGEST_SUFFIX = max(len(suffix) for suffix in _SUFFIX_SET)
_S_ENDING = frozenset("bcdfghjklmnoprtvy")
_DOUBLE = frozenset({"dd", "gd", "nn", "dt", "gt", "kt", "tt"})


def lower_words(text: str) -> list[str]:
    """Lowercased words, diacritics kept (the stemmer needs them: frisör is not frisor+s)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold().replace("_", " "))


@lru_cache(maxsize=1 << 16)
def fold_word(word: str) -> str:
    folded = word.translate(_FOLD)
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lowercase, strip diacritics (å/ä/ö -> a/a/o) and punctuation; words joined by one space."""
    return " ".join(filter(None, (fold_word(w) for w in lower_words(text))))


def _r1(word: str) -> int:
    for i in range(1, len(word)):
        if word[i] not in _VOWELS and word[i - 1] in _VOWELS:
            return max(i + 1, 3)
    return len(word)


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """Light Swedish stemmer on a lowercase word (Snowball's Swedish steps 1-2, plus -an/-et)."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for plural in ("männens", "männen", "mäns", "män"):  # brandmännen -> brandman
        if word.endswith(plural) and len(word) > len(plural):
            return word[: -len(plural)] + "man"
    r1 = _r1(word)
    for size in range(min(_LONGEST_SUFFIX, len(word) - 1), 0, -1):
        suffix = word[-size:]
        if suffix in _SUFFIX_SET:
            # -an/-ans of "-man" words (leveransman, sjöman) is not an ending
            keeps_man = suffix in ("an", "ans") and word[-size - 1] == "m"
            if len(word) - size >= r1 and not keeps_man:
                word = word[:-size]
            break
    else:
        if word.endswith("s") and len(word) - 1 >= r1 and word[-2] in _S_ENDING:
            word = word[:-1]
    if len(word) - 2 >= r1 and word[-2:] in _DOUBLE:
        word = word[:-1]
    return word


def compound_key(words: Sequence[str]) -> str:
    """Words joined as one compound, last part stemmed: 'truck förare' == 'truckförare'."""
    return fold_word("".join(words[:-1]) + stem(words[-1])) if words else ""


def stems_key(words: Sequence[str]) -> str:
    """Every word stemmed, then joined: 'kockar storhushåll' == 'kock, storhushåll'."""
    return fold_word("".join(stem(w) for w in words))


def fold_words(words: Sequence[str]) -> list[str]:
    return [fold_word(w) for w in words]


_MARKED = frozenset("åäö")


def marks(text: str) -> str:
    return "".join(sorted(ch for ch in text if ch in _MARKED))


def marks_fit(written: str, alias: str) -> bool:
    """Every å/ä/ö the user wrote is in the alias (missing ones are fine: "lokalvard")."""
    return set(written) <= set(alias)




def allowed_edits(text: str) -> int:
    """Typo budget: none for short words (kock/kök), one up to 9 letters, then two."""
    return 0 if len(text) <= 4 else 1 if len(text) <= 9 else 2
