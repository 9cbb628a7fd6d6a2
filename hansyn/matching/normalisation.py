"""The normalisation cascade of :class:`hansyn.matching.vocabulary.Vocabulary`: one method per
step, exact and cheap steps before fuzzy ones (``docs/matching.md``, "How ``normalize`` works").

:class:`NormalisationSteps` holds the steps; ``Vocabulary`` inherits them and owns the tables
they read (declared below), which it fills when it loads the taxonomy, the lexicon and the
ontology.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import NamedTuple

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from hansyn.matching import kernels, lexicon
from hansyn.matching.facts import FactParser, language_term, licence_term, truck_term
from hansyn.matching.swedish import (
    PREPOSITIONS,
    allowed_edits,
    compound_key,
    fold,
    fold_word,
    fold_words,
    lower_words,
    marks,
    marks_fit,
    stem,
    stems_key,
    suffixes_in,
)
from hansyn.matching.terms import Term

__all__ = ["KIND_RANK", "Alias", "Concept", "FuzzyKeys", "NormalisationSteps", "capitalise"]

KIND_RANK = {"occupation": 0, "skill": 1, "language": 2, "licence": 3, "free": 4}
_LIST_SEPARATORS = re.compile(r"[/,;]| och | eller | samt ")
# two alternatives sharing the head hyphenated to the second: "C/CE-chaufför",
# "MIG/MAG-svetsning", "el/vvs-montör"; or written after it, if both are short ("C/CE chaufför")
_SHARED_HEAD = re.compile(r"^\s*([^\W_]+)\s*/\s*([^\W_]+)(-|\s+)([^\W\d_][^/,;]*?)\s*$")
_NO_MATCH = 1 << 30
_ABBREVIATED = re.compile(r"\w\.(\s|$)")  # a word cut short: "pers. ass.", "barnsk."
_HEAD = "head"  # Term.matched_by of a compound known only by its head


class Concept(NamedTuple):
    key: str
    label: str
    kind: str


class Alias(NamedTuple):
    compact: str  # folded alias without spaces, for tie-breaking by edit distance
    concept: int
    rank: int  # 0 full label, 1 slash part / lexicon alias, 2 head before a comma
    marks: str  # its å/ä/ö letters, sorted: "målning" must not become "malning"
    surface: str  # lowercase alias without spaces, diacritics kept


_LETTER_CLASS = {ch: i for i, ch in enumerate("abcdefghijklmnopqrstuvwxyz0123456789")}
_CLASSES = len(_LETTER_CLASS) + 1  # and one for every other character
_FEW = 32  # a window this small goes to the edit distance as it is


class FuzzyKeys:
    """The fuzzy keys ordered by first letter, length and text, so that those with one first
    letter and a length within two (the edit budget's reach) are one slice, with their letter
    counts, which narrow a slice to the keys whose counts differ from a query's by at most its
    edit budget: the bag distance, a lower bound of the OSA distance (an edit moves at most
    one count up and one down, a transposition none; other characters share a count, which
    only lowers it). Those are the only keys the edit distance can accept, in slice order,
    so ``process.extract`` returns what it would for the whole slice, having compared a few
    keys instead of hundreds (which a first query reads cold)."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.keys = sorted((k for k in keys if k), key=lambda k: (k[0], len(k), k))
        self._buckets: dict[tuple[str, int], tuple[int, int]] = {}
        for i, key in enumerate(self.keys):
            start = self._buckets.get((key[0], len(key)), (i, i))[0]
            self._buckets[(key[0], len(key))] = (start, i + 1)
        self._spans: dict[tuple[str, int], tuple[int, int]] = {}
        lengths = np.array([len(k) for k in self.keys], np.int64)
        classes = np.array([_LETTER_CLASS.get(ch, _CLASSES - 1) for k in self.keys for ch in k],
                           np.int64)
        rows = np.repeat(np.arange(len(self.keys)), lengths)
        counts = np.bincount(rows * _CLASSES + classes, minlength=len(self.keys) * _CLASSES)
        # the counts of each key's letter classes, then its length: summed, the absolute
        # differences from a query's are twice the bag distance (the counts' differences add
        # up to the difference in length)
        # (a row per key, read by one compiled pass that adds in 64 bits; 16-bit counts to
        # save memory, wide enough for any key shorter than 4,096 letters)
        small = np.int16 if int(lengths.max(initial=0)) < 4096 else np.int64
        self.counts = np.ascontiguousarray(np.hstack([counts.reshape(len(self.keys), _CLASSES),
                                                      lengths[:, None]]).astype(small))

    def window(self, first: str, length: int) -> tuple[int, int]:
        """The slice of keys with this first letter and a length within two."""
        span = self._spans.get((first, length))
        if span is None:
            found = [b for size in range(length - 2, length + 3)
                     if (b := self._buckets.get((first, size)))]
            span = self._spans[(first, length)] = (found[0][0], found[-1][1]) if found else (0, 0)
        return span

    def near(self, query: str, allowed: int) -> list[str]:
        """The keys of the query's window within ``allowed`` edits by their letter counts."""
        low, high = self.window(query[0], len(query))
        if high - low <= _FEW:
            return self.keys[low:high]
        wanted = [0] * _CLASSES + [len(query)]
        for ch in query:
            wanted[_LETTER_CLASS.get(ch, _CLASSES - 1)] += 1
        near = kernels.within_bag(self.counts, low, high,
                                  np.array(wanted, self.counts.dtype), 2 * allowed)
        return [self.keys[i] for i in near.tolist()]


class NormalisationSteps:
    """Free text -> canonical term, step by step (see ``_normalize``)."""

    _concepts: list[Concept]
    _by_key: dict[str, int]
    _exact: dict[str, list[Alias]]
    _stemmed: dict[str, list[Alias]]
    _free_labels: dict[str, str]
    _modifier_set: frozenset[str] | None
    _words_of: dict[str, set[int]] | None
    _label_words: dict[int, int]
    _synonyms: dict[str, tuple[tuple[str, str], ...]]
    _synonym_heads: list[str]
    _longest_synonym: int
    _phrases: dict[tuple[str, ...], list[str]]
    _phrase_len: int
    _filler: frozenset[str]
    _facts: FactParser
    _fuzzy_map: dict[str, list[Alias]]
    _fuzzy_keys: list[str]
    _fuzzy_index: FuzzyKeys | None


    def _normalize(self, text: str) -> Term:
        expansion = lexicon.ACRONYMS.get(text.strip())
        if expansion is not None:  # "PA" is personlig assistent, "pa" is "på"
            return self._normalize(expansion)
        words = lower_words(text)
        if not words:
            return self._free(text, [text.strip().casefold()])
        translated = self._translate(words)
        fact = self._facts.parse(fold_words(translated))
        if fact is not None:
            return fact
        acronym = len(words) == 1 and text.strip().isupper() and len(words[0]) <= 6
        found: tuple[int, str] | None = None
        if _ABBREVIATED.search(text) and " ".join(fold_words(words)) not in self._exact:
            abbreviated = self._abbreviated(text)
            found = None if abbreviated is None else (abbreviated, "")
        if found is None:
            found = self._lookup(words, translated, acronym=acronym)
        if found is not None:
            term = self._concept_term(found[0])
            return replace(term, head_only=found[1] == _HEAD, matched_by=found[1])
        shared = _SHARED_HEAD.match(text)
        if shared and (shared[3] == "-" or max(len(shared[1]), len(shared[2])) <= 4):
            # "C/CE-chaufför" is a C-chaufför or a CE-chaufför, not the language C
            first, second, _, head = shared.groups()
            parts = [f"{first}-{head}", f"{second}-{head}"]
        else:
            parts = [p for p in _LIST_SEPARATORS.split(text) if p.strip()]
        if len(parts) > 1:
            # "barnskötare/elevassistent": the first part that is known
            for part in parts:
                term = self._normalize(part)
                if term.kind != "free":
                    return term
        return self._free(text, translated)

    def _abbreviated(self, text: str) -> int | None:
        """Words cut short with a dot ("pers. ass.", "ekonomiass.", "IT-tekn."): the shortest
        label whose words start with them, one for one."""
        prefixes = fold(text).split()
        if not prefixes or sum(map(len, prefixes)) < 4:
            return None
        best: tuple[int, int, str, int] | None = None
        for alias_text, aliases in self._exact.items():
            words = alias_text.split()
            if len(words) != len(prefixes) or not all(
                word.startswith(prefix) for word, prefix in zip(words, prefixes, strict=True)
            ):
                continue
            for alias in aliases:
                concept = self._concepts[alias.concept]
                candidate = (alias.rank, len(concept.label), concept.key, alias.concept)
                best = candidate if best is None or candidate < best else best
        return None if best is None else best[3]

    def _translate(self, words: list[str]) -> list[str]:
        folded = fold_words(words)
        out: list[str] = []
        i = 0
        while i < len(words):
            for size in range(min(self._phrase_len, len(words) - i), 0, -1):
                replacement = self._phrase(tuple(folded[i : i + size]))
                if replacement is not None:
                    out.extend(replacement)
                    i += size
                    break
            else:
                out.append(words[i])
                i += 1
        return out

    def _phrase(self, words: tuple[str, ...]) -> list[str] | None:
        found = self._phrases.get(words)
        if found is None and len(words) == 2:
            found = self._phrases.get(("".join(words),))  # "buss-kort" as "busskort"
        if found is None and len(words[-1]) > 3 and words[-1].endswith("s"):
            # English plural: "cleaners", "cooks"
            found = self._phrases.get((*words[:-1], words[-1][:-1]))
        return found

    def _variants(self, words: list[str], translated: list[str]) -> list[list[str]]:
        # English and abbreviations first: "chef" is a cook when the text is a skill.
        variants = [translated, words]
        for base in (words, translated):
            kept = [w for w in base if fold_word(w) not in self._filler]
            if kept:
                variants.append(kept)
        variants += [_versionless(base) for base in (words, translated)]
        for base in (words, translated):
            # "diskare i restaurang", "personlig assistent inom LSS": the head before the phrase
            for i, word in enumerate(base[1:], start=1):
                if fold_word(word) in PREPOSITIONS:
                    head = [w for w in base[:i] if fold_word(w) not in self._filler]
                    if head:
                        variants.append(head)
                    break
        unique: dict[tuple[str, ...], list[str]] = {}
        for variant in variants:
            unique.setdefault(tuple(variant), variant)
        return list(unique.values())

    def _lookup(
        self, words: list[str], translated: list[str], *, acronym: bool
    ) -> tuple[int, str] | None:
        """The concept and how it was found: ``"alias"`` (the text or a variant of it is a
        label or alias), ``_HEAD`` (only the compound's head is known: "nattstädare"),
        ``"typo"``, or ``""`` (a synonymous head, a part of a label)."""
        variants = self._variants(words, translated)
        for variant in variants:
            found = self._direct(variant)
            if found is not None:
                return found, "alias"
            found = self._via_synonyms(variant)
            if found is not None:
                return found, ""
        # a word the lexicon translates is English or an abbreviation: looked up as written, but
        # never guessed at as a Swedish misspelling or compound ("warehouse" is no "house")
        translated_away = set(words) - set(translated)
        variants = [v for v in variants if translated_away.isdisjoint(v)]
        fuzzy = [self._fuzzy(variant) for variant in variants]
        for distance, index in fuzzy:
            if distance <= 1 and index is not None:  # one slip beats guessing a compound's head
                return index, "typo"
        for variant in variants:
            found = self._split_compound(variant)
            if found is not None:
                return found, _HEAD
            if acronym or len(variant) > 1:
                found = self._contained(variant)
            if found is not None:
                return found, ""
        for _distance, index in fuzzy:
            if index is not None:
                return index, "typo"
        # last, so that a slip ("datakunskaper" for datorkunskaper) or a label that says it
        # ("Projektledning, erfarenhet") comes first
        for variant in _knowledge_of(variants):
            found = self._direct(variant)
            if found is not None:
                return found, "alias"
        return None

    def _best(self, aliases: Sequence[Alias], compact: str, written: str = "") -> int | None:
        """The closest spelling among aliases sharing a key; None if none fits the å/ä/ö."""

        def rank(alias: Alias) -> tuple[int, int, int, int, str]:
            concept = self._concepts[alias.concept]
            distance = Levenshtein.distance(compact, alias.compact)
            return (distance, alias.rank, KIND_RANK[concept.kind], len(concept.label), concept.key)

        fitting = [alias for alias in aliases if marks_fit(written, alias.marks)]
        return min(fitting, key=rank).concept if fitting else None

    def _direct(self, words: list[str]) -> int | None:
        folded = fold_words(words)
        compact = "".join(folded)
        # each lookup with the å/ä/ö of what it compares: the stem of "brandmännen" is "brandman"
        lookups = [(self._exact, " ".join(folded), "".join(words))]
        last_stemmed = "".join(words[:-1]) + stem(words[-1])
        lookups.append((self._stemmed, compound_key(words), last_stemmed))
        lookups.append((self._stemmed, stems_key(words), "".join(stem(w) for w in words)))
        if len(words) == 2 and not words[0].endswith("s"):
            # a linking -s: "kontor städare" -> "kontorsstädare"
            linked = [words[0] + "s", words[1]]
            lookups.append((self._stemmed, compound_key(linked), last_stemmed))
        for index, key, surface in lookups:
            aliases = index.get(key)
            found = None if aliases is None else self._best(aliases, compact, marks(surface))
            if found is not None:
                return found
        return None

    def _via_synonyms(self, words: list[str]) -> int | None:
        """Swap a synonymous compound head ('busschaufför' -> 'bussförare')."""
        key = compound_key(words)
        for head in suffixes_in(key, self._synonyms, self._longest_synonym):
            prefix = key[: -len(head)]
            if 0 < len(prefix) < 2:
                continue
            surface_prefix = "".join(fold_words(words))[: len(prefix)]
            # the linking -s may differ between synonyms: grävmaskinschaufför ~ grävmaskinförare
            prefixes = dict.fromkeys((prefix, prefix.removesuffix("s"), prefix + "s"))
            for other, surface in self._synonyms[head]:
                for joined in prefixes if prefix else ("",):
                    aliases = self._stemmed.get(joined + other)
                    found = self._best(aliases or (), surface_prefix + surface)
                    if found is not None:
                        return found
        return None

    def _split_compound(self, words: list[str]) -> int | None:
        """An unknown compound falls back to its longest known head ('nattstädare' -> städare).

        The part before the head must itself be a word seen in the vocabulary, so that
        "vårbiträde" is not read as "vår" + "träde".
        """
        last = words[-1]
        modifiers = self._modifiers()
        for start in range(3, len(last) - 4):
            modifier = fold_word(last[:start])
            if modifier not in modifiers and modifier.removesuffix("s") not in modifiers:
                continue
            head_key, surface = compound_key([last[start:]]), fold_word(last[start:])
            aliases = self._stemmed.get(head_key)
            if aliases is None and head_key in self._synonyms:
                head_key, surface = self._synonyms[head_key][0]
                aliases = self._stemmed.get(head_key)
            # a real head, not a stem fragment ("kom|petens" is not "PET")
            single = [
                a
                for a in aliases or ()
                if " " not in self._concepts[a.concept].label
                and len(a.compact) >= 5
                and Levenshtein.distance(a.compact, surface) <= 3
            ]
            written = marks(last[start:]) if surface == fold_word(last[start:]) else ""
            found = self._best(single, surface, written) if single else None
            if found is not None:
                return found
        return None

    def _contained(self, words: list[str]) -> int | None:
        """Several words, or an acronym, that are a whole part of a label ("heta arbeten").

        Only when at most two labels contain it (a common word like "kök" is in dozens), and
        the label has at most three other words; the one with the fewest wins.
        """
        folded = fold_words(words)
        if not folded or (len(folded) == 1 and len(folded[0]) < 3):
            return None
        by_word = self._word_index()
        candidates: set[int] | None = None
        for word in folded:
            found = by_word.get(word, set())
            candidates = found if candidates is None else candidates & found
            if not candidates:
                return None
        if candidates is None or len(candidates) > 2:
            return None
        concepts = self._concepts
        best = min(candidates, key=lambda c: (self._label_words[c], len(concepts[c].label), c))
        return best if self._label_words[best] - len(folded) <= 3 else None

    def _word_index(self) -> dict[str, set[int]]:
        if self._words_of is None:
            self._words_of = {}
            self._label_words = {}
            for index, concept in enumerate(self._concepts):
                if concept.kind not in ("skill", "occupation"):
                    continue
                words = fold(concept.label).split()
                self._label_words[index] = len(words)
                for word in words:
                    self._words_of.setdefault(word, set()).add(index)
        return self._words_of

    def _modifiers(self) -> frozenset[str]:
        """Words that occur in the vocabulary, and the known first parts of its compounds."""
        if self._modifier_set is None:
            found: set[str] = set()
            singles = {a.compact for aliases in self._exact.values() for a in aliases}
            for text in self._exact:
                found.update(text.split())
            for word in list(found):
                # only the longest known head counts: "plasmabågs|vetsning", not "…bågsv|etsning"
                for start in range(3, len(word) - 3):
                    if word[start:] in singles:
                        found.add(word[:start])
                        break
            self._modifier_set = frozenset(w for w in found if len(w) >= 3)
        return self._modifier_set

    def _fuzzy(self, words: list[str]) -> tuple[int, int | None]:
        """Nearest stem or spelling within a length-dependent edit budget (transpositions = 1).

        Typos rarely hit the first letter, so a match must share it (two edits: the first three).
        Returns (distance, concept); the concept is None when nothing is close enough.
        """
        compact = "".join(fold_words(words))
        # A word the vocabulary itself uses is no typo (trädgård is not trädvård): exact only.
        known = compact in self._modifiers()
        written = marks("".join(words))
        best: tuple[int, int] | None = None
        for query in dict.fromkeys((compound_key(words), compact)):
            # a stem is shorter than what was typed: sanerare → saner must not become "saber"
            allowed = allowed_edits(query) if query == compact or len(query) > 5 else 0
            if known:
                allowed = 0
            elif allowed == 0:
                continue
            window = self._fuzzy_table().near(query, allowed)
            matches = process.extract(
                query, window, scorer=OSA.distance, score_cutoff=allowed, limit=10
            )
            for text, distance, _position in matches:
                same_start = 1 if distance <= 1 else 3
                if text[:same_start] != query[:same_start]:
                    continue
                found = self._best(self._fuzzy_map[text], compact, written)
                if found is not None:
                    if best is None or int(distance) < best[0]:
                        best = (int(distance), found)
                    break
        return best if best is not None else (_NO_MATCH, None)

    def _fuzzy_table(self) -> FuzzyKeys:
        if self._fuzzy_index is None:
            self._fuzzy_index = FuzzyKeys(self._fuzzy_keys)
        return self._fuzzy_index

    def _concept_term(self, index: int) -> Term:
        concept = self._concepts[index]
        return Term(concept.key, concept.label, concept.kind, concept.key, None)

    def _free(self, text: str, words: list[str]) -> Term:
        """A text the vocabulary does not know, keyed by its stemmed words without the filler
        words around them and a word for knowing it joined to the last ("erfarenhet av
        barnomsorg", "barnomsorgserfarenhet" and "barnomsorg" are one free key)."""
        words = self._free_core(words)
        norm = " ".join(fold_word(stem(w)) for w in words)
        key = f"free:{norm}"
        label = capitalise(" ".join(text.split()))
        self._free_labels.setdefault(key, label)
        return Term(key, label, "free", key, None)

    def _free_core(self, words: list[str]) -> list[str]:
        """``words`` without filler words at either end ("goda kunskaper i", "med
        erfarenhet") and the last one's joined word for knowing it (see ``_knowledge_of``),
        where some word is left; the filler inside stays ("städare inom vård"). Only a run
        with a word of four letters or more goes: a short word alone may be a compound's
        first part ("med-lärare" is a co-teacher, not a lärare)."""
        words = _versionless(words)
        filler = [fold_word(w) in self._filler for w in words]
        start, end = 0, len(words)
        while start < end and filler[start]:
            start += 1
        while end > start and filler[end - 1]:
            end -= 1
        if not any(len(w) >= 4 for w in words[:start]):
            start = 0
        if not any(len(w) >= 4 for w in words[end:]):
            end = len(words)
        core = words[start:end] or words
        part = _knowledge_part(core[-1])  # its linking -s is the stemmer's to drop
        return [*core[:-1], part] if part else core

    # ------------------------------------------------------------------ keys back to terms

    def _language_term(self, index: int, qualifier: str | None) -> Term:
        concept = self._concepts[index]
        return language_term(concept.key, concept.label, qualifier)

    def _term_from_key(self, key: str) -> Term:
        index = self._by_key.get(key)
        if index is not None:
            concept = self._concepts[index]
            if concept.kind == "language":
                return self._language_term(index, None)
            return self._concept_term(index)
        base, _, qualifier = key.partition("#")
        if base == "licence:truck" and (not qualifier or qualifier in lexicon.TRUCK_CLASSES):
            return truck_term(qualifier or None)
        if base.startswith("licence:") and base[8:] in lexicon.LICENCE_INCLUDES and not qualifier:
            return licence_term(base[8:])
        language = self._by_key.get(base)
        if language is not None and qualifier in lexicon.LANGUAGE_LEVELS:
            return self._language_term(language, qualifier)
        if key.startswith("free:"):
            text = key[5:]
            label = self._free_labels.get(key, capitalise(text))
            return Term(key, label, "free", key, None)
        raise KeyError(key)


# a product's version as job ads write it after the name: a year ("Excel 2016"), letters and a
# number ("Photoshop CS6", "Java v8"); and the ".js" of a JavaScript library ("React.js")
_VERSION = re.compile(r"(?:19|20)\d\d|[a-z]{1,3}\d{1,2}|js")


def _versionless(words: list[str]) -> list[str]:
    """``words`` without a version after a name ("Excel 2016", "Photoshop CS6", "Windows 10",
    "React.js"): a year or letters and a number, "js", or a number of one or two digits after a
    single word.
    Numbers that tell things apart stay: "ISO 9001", "åk 1-3", "Office 365"."""
    if len(words) < 2:
        return words
    last = words[-1]
    if _VERSION.fullmatch(last) or (len(words) == 2 and last.isdigit() and len(last) <= 2):
        return words[:-1]
    return words


def _knowledge_of(variants: Iterable[list[str]]) -> list[list[str]]:
    """What a last word joining a skill to a word for knowing it names ("svetskunskaper",
    "projektledningserfarenhet"): the verb stem's noun in -ning first ("städerfarenhet" is
    erfarenhet av städning, not of a städare), then the first part itself, each with and
    without a linking -s. The part has four letters or more, so that "baskunskaper" (basic
    knowledge) is not read as a skill "Bas"."""
    found: dict[tuple[str, ...], list[str]] = {}
    for variant in variants:
        part = _knowledge_part(variant[-1])
        parts = [p for p in dict.fromkeys((part, part.removesuffix("s"))) if len(p) >= 4]
        for name in [p + "ning" for p in parts] + parts:
            found.setdefault((*variant[:-1], name), [*variant[:-1], name])
    return list(found.values())


def _knowledge_part(word: str) -> str:
    """The first part of a word that joins it to a word for knowing it ("svets" of
    "svetskunskaper", "barnomsorgs" of "barnomsorgserfarenhet") when it has four letters or
    more; "" for any other word."""
    tail = next((t for t in lexicon.KNOWLEDGE_TAILS if word.endswith(t)), "")
    part = word[: len(word) - len(tail)]
    return part if tail and len(part) >= 4 else ""


def capitalise(text: str) -> str:
    first = text[:1].upper()
    return (first if len(first) == 1 else text[:1]) + text[1:]
