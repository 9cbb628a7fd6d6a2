"""Swedish text primitives: case and diacritic folding, the stemmer, compound keys and forms.

The stemmer is Snowball's Swedish stemmer (the C implementation in the ``PyStemmer`` package)
with a few rewrites before it for endings Snowball leaves alone (definite -an/-ans, -ena,
genitive -ares, the plural -män). It runs on lowercase words with diacritics kept ("frisör" is
not "frisor" + an ending); keys are folded afterwards, so "lokalvardaren" meets "lokalvårdare".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterator, Sequence
from functools import lru_cache

import Stemmer

__all__ = [
    "PREPOSITIONS",
    "allowed_edits",
    "compound_key",
    "feminine_forms",
    "fold",
    "fold_word",
    "fold_words",
    "form",
    "lower_words",
    "marks",
    "marks_fit",
    "qualified",
    "sound",
    "stem",
    "stems_key",
    "suffixes_in",
]

# folded: the words that start a qualifying phrase ("diskare i restaurang", "maskinförare
# inom lantbruk"), whose words are no part of the title before it
PREPOSITIONS = frozenset({"i", "inom", "med", "pa", "for", "mot", "hos", "vid", "till", "fran",
                          "av", "at"})
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "æ": "ae", "ø": "o", "ß": "ss", "_": " "})
_WORD = re.compile(r"\w+")


# a letter with a sign is a programming language of its own: C# and C++ are not C, nor F# F
_SIGNED = re.compile(r"(?<![\w.])([a-z])(#|\+\+)")
_SIGN_NAMES = {"#": "sharp", "++": "plusplus"}


def lower_words(text: str) -> list[str]:
    """Lowercased words, diacritics kept (the stemmer needs them: frisör is not frisor+s);
    "c#" and "c++" as the words "csharp" and "cplusplus"."""
    lowered = unicodedata.normalize("NFKC", text).casefold().replace("_", " ")
    if "#" in lowered or "++" in lowered:
        lowered = _SIGNED.sub(lambda m: m[1] + _SIGN_NAMES[m[2]], lowered)
    return _WORD.findall(lowered)


@lru_cache(maxsize=1 << 16)
def fold_word(word: str) -> str:
    folded = word.translate(_FOLD)
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def qualified(words: Sequence[str]) -> bool:
    """The words (lowercase) have a qualifying phrase after the first: "städare inom vård"."""
    return any(fold_word(w) in PREPOSITIONS for w in words[1:])


def fold(text: str) -> str:
    """Lowercase, strip diacritics (å/ä/ö -> a/a/o) and punctuation; words joined by one space."""
    return " ".join(filter(None, (fold_word(w) for w in lower_words(text))))


_SNOWBALL = Stemmer.Stemmer("swedish")
# definite and genitive endings Snowball leaves alone, rewritten to the form it does strip:
# undersköterskan(s) -> undersköterska, biträdena(s) -> biträde, lärares -> lärare, and the
# definite plural -arna (sprayarna -> sprayare: Snowball's R1 would keep its "-arn")
_BEFORE_SNOWBALL = (("arnas", "are"), ("arna", "are"), ("ornas", "or"), ("enas", "e"),
                    ("ena", "e"), ("ans", "a"), ("an", "a"), ("ares", "are"),
                    ("torns", "tor"), ("torn", "tor"), ("sorns", "sor"), ("sorn", "sor"))
_MAN_PLURALS = ("männens", "männen", "mäns", "män", "mannens", "mannen", "mans")


@lru_cache(maxsize=1 << 17)
def stem(word: str) -> str:
    """Swedish stem of a lowercase word: Snowball's Swedish stemmer plus what job titles need.

    Before Snowball: the plurals of -man (brandmännen -> brandman) and the definite and
    genitive forms it keeps apart from the base (-an/-ans of -a nouns, -ena/-enas of -e
    nouns, -ares, -orn/-orns of the Latin agent nouns in -tor and -sor: koordinatorn,
    revisorns). Snowball is then applied until the word stops changing, because one pass
    strips the plural ending of "advokater" but the "-at" of "advokat": repeated, both reach
    "advok". So a word, its plural, its definite forms and its genitive reach one stem
    (property-tested over the vocabulary's occupation names).
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    for plural in _MAN_PLURALS:
        if word.endswith(plural) and len(word) - len(plural) >= 2:
            return word[: -len(plural)] + "man"
    if word.endswith("man"):
        return word
    for ending, base in _BEFORE_SNOWBALL:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            word = word[: -len(ending)] + base
            break
    for _ in range(8):  # a fixpoint in practice after two or three passes
        shorter = str(_SNOWBALL.stemWord(word))
        if shorter == word:
            break
        word = shorter
    return word


def compound_key(words: Sequence[str]) -> str:
    """Words joined as one compound, last part stemmed: 'truck förare' == 'truckförare'."""
    return fold_word("".join(words[:-1]) + stem(words[-1])) if words else ""


def stems_key(words: Sequence[str]) -> str:
    """Every word stemmed, then joined: 'kockar storhushåll' == 'kock, storhushåll'."""
    return fold_word("".join(stem(w) for w in words))


def form(text: str) -> str:
    """The compact form every similarity compares: the words joined as one compound, the last
    one stemmed, folded, so that "cad-operatörer", "CAD operatör" and "cadoperatör" (and
    "chefs-koordinator" and "chefskoordinator") have one form."""
    return compound_key(lower_words(text))


def fold_words(words: Sequence[str]) -> list[str]:
    return [fold_word(w) for w in words]


def marks(text: str) -> str:
    """The å, ä and ö of a text, sorted (ä < å < ö by code point): three counts in C rather
    than a sort of a generator over the text."""
    return "ä" * text.count("ä") + "å" * text.count("å") + "ö" * text.count("ö")


def marks_fit(written: str, alias: str) -> bool:
    """Every å/ä/ö the user wrote is in the alias (missing ones are fine: "lokalvard")."""
    return set(written) <= set(alias)




def allowed_edits(text: str) -> int:
    """Typo budget: none for short words (kock/kök), one up to 9 letters, then two."""
    return 0 if len(text) <= 4 else 1 if len(text) <= 9 else 2


# spellings of one sound, applied in order to folded text ("ck" before "c", "ph" before "h")
_SOUNDS = (("sch", "sj"), ("sh", "sj"), ("ch", "sj"), ("ck", "k"), ("ph", "f"), ("qu", "kv"),
           ("q", "k"), ("w", "v"), ("z", "s"), ("x", "ks"), ("ce", "se"), ("ci", "si"),
           ("cy", "sy"), ("c", "k"))
_DOUBLED = re.compile(r"(\w)\1+")


@lru_cache(maxsize=1 << 16)
def sound(folded: str) -> str:
    """How a folded text sounds, roughly: the spellings of one Swedish sound made one (c/k,
    ck/k, w/v, z/s, ph/f, q/k, x/ks, sch/sh/ch/sj) and doubled letters single. Two words that
    differ only there ("kokk", "kock"; "sjukskötterska") are one word misspelt, however short,
    where an edit budget cannot tell "kokk" from "kök" (the caller keeps å/ä/ö apart)."""
    for spelt, said in _SOUNDS:
        folded = folded.replace(spelt, said)
    return _DOUBLED.sub(r"\1", folded)


# Swedish derives feminine titles from the common one: lärare/lärarinna, städare/städerska,
# kassör/kassörska, värd/värdinna, hjälte/hjältinna, and a -man has a -kvinna (brandman/
# brandkvinna, förrådsman/förrådskvinna). (common ending, feminine ending)
_FEMININE = (("are", "arinna"), ("are", "erska"), ("ör", "örska"), ("e", "inna"))
_MAN, _WOMAN = "man", "kvinna"
_VOWELS = frozenset("aeiouyåäö")


def feminine_forms(words: Sequence[str]) -> list[str]:
    """Forms of the text with its last word in the other gender: the feminine derivations of
    a common title and the common title of a feminine one ("lärarinna" -> "lärare",
    "förrådskvinna" -> "förrådsman")."""
    if not words or len(words[-1]) < 4:
        return []
    last, found = words[-1], []
    for common, feminine in ((_MAN, _WOMAN), (_WOMAN, _MAN)):  # a first part of 3 letters
        if last.endswith(common) and len(last) - len(common) >= 3:
            return _forms_with_last(words, [last[: -len(common)] + feminine])
    for common, feminine in _FEMININE:
        if last.endswith(feminine):
            found.append(last[: len(last) - len(feminine)] + common)
        elif last.endswith(common) and not last.endswith(("inna", "ska")):
            found.append(last[: len(last) - len(common)] + feminine)
    if last.endswith("inna"):
        found.append(last[:-4])  # värdinna: värd
    elif last[-1] not in _VOWELS:
        found.append(last + "inna")
    return _forms_with_last(words, found)


def _forms_with_last(words: Sequence[str], lasts: list[str]) -> list[str]:
    return list(dict.fromkeys(compound_key([*words[:-1], w]) for w in lasts if len(w) >= 4))


def suffixes_in(text: str, heads: Collection[str], longest: int) -> Iterator[str]:
    """The ends of ``text`` that are in ``heads`` (none longer than ``longest``), longest
    first: what a scan of the heads sorted longest first meets (one end per length), with a
    lookup per length of the text instead of an ``endswith`` per head."""
    for size in range(min(len(text), longest), 0, -1):
        if text[-size:] in heads:
            yield text[-size:]
    if "" in heads:
        yield ""
