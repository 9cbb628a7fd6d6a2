"""Swedish-aware skill vocabulary: free text -> canonical terms, and which terms satisfy which.

The vocabulary is the JobTech taxonomy (skills, occupation names, languages, driving licences;
package data built by ``tools/build_vocabulary.py``) plus the hand-written lexicon in
:mod:`hansyn.matching.lexicon`. Normalisation is a cascade of exact, cheap steps before fuzzy ones:

1. fold (case, punctuation, å/ä/ö), translate English/abbreviations word-wise;
2. parse qualified facts (driving licence class, truck licence class, language + level) apart
   from their base, so that qualifiers are compared exactly, never fuzzily;
3. look the text up by its folded form, then by light Swedish stems (a Snowball-like suffix
   stripper), with compounds written apart or hyphenated joined, drop filler words, swap
   synonymous compound heads (busschaufför -> bussförare), split unknown compounds against the
   known vocabulary (nattstädare -> städare);
4. fuzzy fallback with a length-dependent edit-distance bound (typos), else a ``free:`` term.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Collection, Iterable, Sequence
from importlib import resources
from typing import ClassVar

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from hansyn.matching import lexicon
from hansyn.matching.facts import (
    FactParser,
    language_term,
    licence_term,
    related_language,
    related_licence,
    related_truck,
    truck_term,
)
from hansyn.matching.ngrams import NgramModel
from hansyn.matching.normalisation import (
    KIND_RANK,
    Alias,
    Concept,
    FuzzyKeys,
    NormalisationSteps,
)
from hansyn.matching.similarity import learn_head_swaps
from hansyn.matching.swedish import (
    allowed_edits,
    compound_key,
    fold,
    fold_word,
    fold_words,
    form,
    lower_words,
    marks,
    stem,
    stems_key,
    suffixes_in,
)
from hansyn.matching.terms import KINDS, Term

__all__ = ["KINDS", "Term", "Vocabulary", "fold", "stem"]

_CACHE_LIMIT = 500_000
_MAX_SIBLINGS = 8
_ALGORITHM = "v2"
LEXICON_SWAP = 0.9
LEARNED_SWAP = 0.85
# a lexicon swap that the ontology's own terms show too (butikspersonal/butiksmedarbetare):
# two sources agree, so it ranks before a swap only one of them names (restaurangarbetare)
CONFIRMED_SWAP = 0.92
MIN_PART = 3  # letters of a compound's first part
_VERSIONED_MODULES = ("vocabulary.py", "normalisation.py", "swedish.py", "facts.py",
                      "lexicon.py", "terms.py", "similarity.py", "ngrams.py", "forms.py")


# --------------------------------------------------------------------------- data model




def _alias_texts(label: str) -> Iterable[tuple[str, int]]:
    """Surface forms of a taxonomy label with their rank."""
    clean = re.sub(r"\([^)]*\)", " ", label)
    yield label, 0
    if clean != label:
        yield clean, 1
    parts = [p for p in clean.split("/") if p.strip()]
    if len(parts) > 1:
        for part in parts:
            yield part, 1
    for part in parts:
        if "," in part:
            yield part.split(",")[0], 2
            yield from _qualified_compounds(part)
        yield from _vendor_free(part.split(",")[0])


_WORD = re.compile(r"[^\W\d_]{3,}")


def _qualified_compounds(label: str) -> Iterable[tuple[str, int]]:
    """A label "Head, qualifier" of one word each as the compound job ads write for it, with
    and without a linking -s: "Kock, storhushåll" is "storhushållskock", "Truckförare,
    motvikt" "motviktstruckförare", "Svetsning, MIG" "migsvetsning"."""
    head, qualifier = (p.strip().casefold() for p in label.split(",", 1))
    if _WORD.fullmatch(head) and _WORD.fullmatch(qualifier):
        yield f"{qualifier}{head}", 1
        if not qualifier.endswith("s"):
            yield f"{qualifier}s{head}", 1


_MICROSOFT = re.compile(r"(?i)^\s*(?:ms|microsoft)[\s-]+(\S.*)$")


def _vendor_free(name: str) -> Iterable[tuple[str, int]]:
    """A Microsoft product named as job ads do: "MS Excel" is "Microsoft Excel" and "Excel"."""
    found = _MICROSOFT.match(name)
    if found and not found.group(1).lower().startswith("certified"):
        product = found.group(1).strip()
        yield f"Microsoft {product}", 1
        yield f"MS {product}", 1
        yield product, 1


class Vocabulary(NormalisationSteps):
    """The shipped Swedish vocabulary. Use :meth:`default`; instances are immutable after load."""

    _default: ClassVar[Vocabulary | None] = None

    def __init__(self, taxonomy: dict[str, list[list[str]]],
                 ontology: Sequence[tuple[str, Sequence[str]]] = ()) -> None:
        self._taxonomy = taxonomy
        self._ontology = [(label, list(terms)) for label, terms in ontology]
        self._version: str | None = None
        self._concepts: list[Concept] = []
        self._by_key: dict[str, int] = {}
        self._exact: dict[str, list[Alias]] = {}
        self._stemmed: dict[str, list[Alias]] = {}
        self._languages: dict[str, tuple[str, str]] = {}  # stem of a language name -> key, label
        self._free_labels: dict[str, str] = {}
        self._cache: dict[str, Term] = {}
        self._related: dict[str, list[tuple[str, float]]] = {}
        self._graph: dict[str, dict[str, float]] | None = None
        self._suggest_index: list[tuple[str, Term]] | None = None
        self._modifier_set: frozenset[str] | None = None
        self._head_words: frozenset[str] | None = None
        self._words_of: dict[str, set[int]] | None = None
        self._label_words: dict[int, int] = {}
        self._load_taxonomy(taxonomy)
        self._learned_swaps: list[tuple[str, str]] = []
        self._load_lexicon()
        self._load_ontology()
        self._swaps = self._head_swap_table()
        self._swap_of = dict(self._swaps)
        self._longest_swap = max(map(len, self._swap_of), default=0)
        self._ngrams: NgramModel | None = None
        self._fuzzy_map: dict[str, list[Alias]] = {}
        for index in (self._stemmed, self._exact):
            for text, aliases in index.items():
                self._fuzzy_map.setdefault(text.replace(" ", ""), []).extend(aliases)
        self._fuzzy_keys = sorted(self._fuzzy_map)
        self._fuzzy_index: FuzzyKeys | None = None

    # ------------------------------------------------------------------ construction

    @classmethod
    def default(cls) -> Vocabulary:
        """The shipped vocabulary, loaded once per process."""
        if cls._default is None:
            cls._default = cls.load()
        return cls._default

    @classmethod
    def load(cls, ontology: Sequence[tuple[str, Sequence[str]]] | None = None) -> Vocabulary:
        """A fresh vocabulary from the package data (``default`` caches one).

        ``ontology`` lists (preferred label, terms) of job-title concepts to add; by default
        the shipped one (JobTech's job-title ontology, ``tools/build_ontology.py``). The
        evaluation passes part of it, so that the part it judges on stays unseen.
        """
        package = resources.files("hansyn.matching.data")
        taxonomy = json.loads(gzip.decompress(package.joinpath("taxonomy.json.gz").read_bytes()))
        if ontology is None:
            shipped = json.loads(gzip.decompress(package.joinpath("ontology.json.gz").read_bytes()))
            ontology = [(label, terms) for label, terms in shipped["concepts"]]
        return cls(taxonomy, ontology)

    def _label_index(self, label: str) -> list[int]:
        aliases = self._exact.get(fold(label), [])
        return sorted({a.concept for a in aliases if self._concepts[a.concept].label == label})

    def _add_concept(self, key: str, label: str, kind: str) -> int:
        index = len(self._concepts)
        self._concepts.append(Concept(key, label, kind))
        self._by_key[key] = index
        return index

    def _add_alias(self, text: str, concept: int, rank: int) -> None:
        words = lower_words(text)
        if not words:
            return
        folded = fold_words(words)
        surface = "".join(words)
        alias = Alias("".join(folded), concept, rank, marks(surface), surface)
        self._exact.setdefault(" ".join(folded), []).append(alias)
        for key in {compound_key(words), stems_key(words)}:
            self._stemmed.setdefault(key, []).append(alias)

    def _load_taxonomy(self, taxonomy: dict[str, list[list[str]]]) -> None:
        for concept_id, label in taxonomy["language"]:
            self._add_concept(f"language:{concept_id}", label, "language")
            for text, _rank in _alias_texts(label):  # "Persiska (Farsi)", "Tigrinja/Tigrinska"
                words = fold(text).split()
                if len(words) == 1:
                    self._languages.setdefault(stem(words[0]), (f"language:{concept_id}", label))
        for kind in ("occupation", "skill"):
            for concept_id, label in taxonomy[kind]:
                index = self._add_concept(f"{kind}:{concept_id}", label, kind)
                for text, rank in _alias_texts(label):
                    # "Svenska, cirkelledning" is not what "svenska" means: languages are facts
                    if rank < 2 or not self._is_language(text):
                        self._add_alias(text, index, rank)

    def _is_language(self, text: str) -> bool:
        words = fold(text).split()
        return len(words) == 1 and stem(words[0]) in self._languages

    def _load_lexicon(self) -> None:
        for kind, slug, label, aliases in lexicon.EXTRA_CONCEPTS:
            index = self._add_concept(f"{kind}:{slug}", label, kind)
            for text, rank in _alias_texts(label):
                self._add_alias(text, index, rank)
            for alias in aliases:
                self._add_alias(alias, index, 1)
        for label, aliases in lexicon.ALIASES.items():
            for index in self._label_index(label):
                for alias in aliases:
                    self._add_alias(alias, index, 1)
        # stem of a synonym -> (stem, folded surface) of each word that can replace it
        self._synonyms: dict[str, tuple[tuple[str, str], ...]] = {}
        for group in lexicon.SYNONYM_HEADS:
            forms = ["".join(lower_words(word)) for word in group]
            for own in forms:
                others = tuple((compound_key([f]), fold_word(f)) for f in forms if f != own)
                merged = self._synonyms.get(compound_key([own]), ()) + others
                self._synonyms[compound_key([own])] = tuple(dict.fromkeys(merged))
        self._synonym_heads = sorted(self._synonyms, key=len, reverse=True)
        self._longest_synonym = max(map(len, self._synonyms), default=0)
        phrases = lexicon.PHRASES.items()
        self._phrases = {tuple(fold(k).split()): lower_words(v) for k, v in phrases}
        self._phrase_len = max(len(k) for k in self._phrases)
        self._filler = frozenset(fold(word) for word in lexicon.FILLER)
        self._facts = FactParser(self._languages, self._filler)

    def _load_ontology(self) -> None:
        """Job-title concepts with the terms job ads use for them. A label the vocabulary
        already has (as a label or a whole alias: "Städare" of "Städare/Lokalvårdare") takes
        the terms as aliases of that concept."""
        for label, terms in self._ontology:
            known = [a.concept for a in self._exact.get(fold(label), ()) if a.rank <= 1]
            if known:
                index = min(known, key=lambda c: (KIND_RANK[self._concepts[c].kind], c))
            else:
                slug = re.sub(r"[^a-z0-9]+", "-", fold(label)).strip("-")
                index = self._add_concept(f"occupation:o-{slug}", label, "occupation")
                self._add_alias(label, index, 0)
            own = label.casefold()
            for term in terms:
                if term.casefold() != own:  # the label itself is an alias already
                    self._add_alias(term, index, 1)
        pairs = [(form(label), form(term)) for label, terms in self._ontology
                 for term in terms if term.casefold() != label.casefold()]
        self._learned_swaps = learn_head_swaps((a, b) for a, b in pairs if a != b)

    def _head_swap_table(self) -> list[tuple[str, list[tuple[str, float]]]]:
        """Form of a head -> the heads that may replace it, longest head first."""
        table: dict[str, dict[str, float]] = {}

        def link(a: str, b: str, sim: float) -> None:
            if a and b and a != b:
                table.setdefault(a, {})[b] = max(table.get(a, {}).get(b, 0.0), sim)

        learned = set(self._learned_swaps)
        for group in lexicon.SYNONYM_HEADS:
            forms = [form(word) for word in group]
            for a in forms:
                for b in forms:
                    confirmed = tuple(sorted(_distinct_heads(a, b))) in learned
                    link(a, b, CONFIRMED_SWAP if confirmed else LEXICON_SWAP)
        for a, b in self._learned_swaps:
            link(a, b, LEARNED_SWAP)
            link(b, a, LEARNED_SWAP)
        return sorted(((h, sorted(o.items())) for h, o in table.items()),
                      key=lambda item: (-len(item[0]), item[0]))

    # ------------------------------------------------------------------ public API

    def head_swaps(self, text_form: str) -> list[tuple[str, float]]:
        """Forms with a synonymous compound head instead of this form's own, with their
        similarity: the lexicon's groups (0.9; 0.92 where the ontology's terms show the swap
        too) and heads learned from the ontology (0.85); only the longest known head is
        swapped (and, when that is the whole form, the next one that leaves a first part:
        kundservicemedarbetare ~ kundservicepersonal).
        The linking -s may differ: grävmaskinschaufför ~ grävmaskinförare."""
        found: dict[str, float] = {}
        whole = False  # the longest head was the whole form
        for head in suffixes_in(text_form, self._swap_of, self._longest_swap):
            others = self._swap_of[head]
            prefix = text_form[: -len(head)]
            if 0 < len(prefix) < (MIN_PART if whole else 2):
                continue
            if whole and any(other == text_form for other, _ in others):
                break  # "medarbet" is a synonym of "arbet", not a compound of it
            prefixes = dict.fromkeys((prefix, prefix.removesuffix("s"), prefix + "s"))
            for other, sim in others:
                for first in prefixes if prefix else ("",):
                    if sim > found.get(first + other, 0.0):
                        found[first + other] = sim
            if prefix or whole:
                break  # the longest head only: "medarbet", not its tail "arbet"
            # a whole compound of the lexicon ("kundservicemedarbetare") is also a
            # compound of the next head: kundservicepersonal
            whole = True
        found.pop(text_form, None)
        return sorted(found.items())

    def warm(self) -> None:
        """Build the tables the first query would otherwise build (the n-gram model, the
        graph of near concepts and the fuzzy keys' letter counts), e.g. before a server forks
        so that workers share them."""
        self.ngram_model()
        self._concept_graph()
        self._fuzzy_table()

    def ngram_model(self) -> NgramModel:
        """Character n-gram TF-IDF with IDF weights from the vocabulary's own forms."""
        if self._ngrams is None:
            texts = {form(concept.label) for concept in self._concepts}
            texts.update(form(term) for _label, terms in self._ontology for term in terms)
            self._ngrams = NgramModel(sorted(texts))
        return self._ngrams


    def normalize(self, text: str) -> Term:
        """Map free text onto a canonical term; raises ValueError only for blank text."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        if not text.strip():
            raise ValueError("cannot normalise blank text")
        term = self._normalize(text)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[text] = term
        return term

    def related(self, term: Term) -> list[tuple[str, float]]:
        """Every key that satisfies the wanted ``term``, best first; ``term.key`` at 1.0."""
        cached = self._related.get(term.key)
        if cached is None:
            scores = self._related_scores(term)
            scores[term.key] = 1.0
            cached = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
            self._related[term.key] = cached
        return list(cached)

    def similar_free(self, term: Term, pool: Sequence[str]) -> list[tuple[str, float]]:
        """Which ``free:`` keys in ``pool`` are typo/inflection variants of the free ``term``."""
        if term.kind != "free":
            return []
        query = term.key[5:]
        keys = [key for key in pool if key.startswith("free:")]
        texts = [key[5:] for key in keys]
        allowed = allowed_edits(query.replace(" ", ""))
        matches = process.extract(
            query, texts, scorer=OSA.distance, score_cutoff=allowed, limit=None
        )
        found: dict[str, float] = {}
        for _text, distance, position in matches:
            longest = max(len(query), len(texts[position]), 1)
            found[keys[position]] = 1.0 if distance == 0 else max(0.05, 1.0 - distance / longest)
        return sorted(found.items(), key=lambda item: (-item[1], item[0]))

    def suggest(
        self, query: str, kinds: Collection[str] | None = None, limit: int = 10
    ) -> list[Term]:
        """Autocomplete: labels whose words start with (or contain) the folded query."""
        needle = fold(query)
        if not needle or limit <= 0:
            return []
        allowed = set(kinds) if kinds is not None else set(KINDS)
        ranked: dict[str, tuple[tuple[int, int, int, str], Term]] = {}

        def offer(term: Term, score: int) -> None:
            if term.kind not in allowed:
                return
            sort_key = (score, len(term.label), KIND_RANK[term.kind], term.label)
            if term.key not in ranked or sort_key < ranked[term.key][0]:
                ranked[term.key] = (sort_key, term)

        exact = self.normalize(query)
        if exact.kind != "free":
            offer(exact, 0)
        for term in self._language_levels(needle):
            offer(term, 1)
        for text, term in self._suggestions():
            if text.startswith(needle):
                offer(term, 1)
            elif f" {needle}" in text:
                offer(term, 2)
            elif needle.replace(" ", "") in text.replace(" ", ""):
                offer(term, 3)
        if len(ranked) < limit and len(needle) >= 4:
            for _text, term in self._fuzzy_suggestions(needle):
                offer(term, 4)
        ordered = sorted(ranked.values(), key=lambda item: item[0])
        return [term for _key, term in ordered[:limit]]

    def label(self, key: str) -> str:
        index = self._by_key.get(key)
        if index is not None:
            return self._concepts[index].label
        return self._term_from_key(key).label

    def all_keys(self) -> list[str]:
        """Every unqualified concept key plus every driving and truck licence key."""
        keys = [concept.key for concept in self._concepts]
        keys += [f"licence:{code}" for code in lexicon.LICENCE_INCLUDES]
        keys += [truck_term(q).key for q in (None, *lexicon.TRUCK_CLASSES)]
        return keys

    def head_words(self) -> frozenset[str]:
        """The words of five letters or more in its skill and occupation labels, folded
        ("forare", "larare"): a compound's head that is one of them is a word, so another of
        them is no slip of it."""
        if self._head_words is None:
            self._head_words = frozenset(
                word for word in self._word_index() if len(word) >= 5 and word.isalpha())
        return self._head_words

    @property
    def version(self) -> str:
        """Changes whenever the data, the lexicon or the code changes (saved indexes go stale)."""
        if self._version is None:
            digest = hashlib.sha256()
            digest.update(json.dumps(self._taxonomy, sort_keys=True, ensure_ascii=False).encode())
            digest.update(json.dumps(self._ontology, ensure_ascii=False).encode())
            package = resources.files("hansyn.matching")
            for module in _VERSIONED_MODULES:
                digest.update(package.joinpath(module).read_bytes())
            self._version = f"{_ALGORITHM}-{digest.hexdigest()[:16]}"
        return self._version

    def term(self, key: str) -> Term:
        """The term for a key produced by this vocabulary."""
        return self._term_from_key(key)

    # ------------------------------------------------------------------ suggestions

    def _suggestions(self) -> list[tuple[str, Term]]:
        if self._suggest_index is None:
            entries: list[tuple[str, Term]] = []
            for text, aliases in self._exact.items():
                for alias in aliases:
                    if alias.rank < 2:
                        entries.append((text, self._concept_term(alias.concept)))
            for concept in self._concepts:
                if concept.kind == "language":
                    term = self._language_term(self._by_key[concept.key], None)
                    entries.append((fold(concept.label), term))
            for code in lexicon.LICENCE_INCLUDES:
                term = licence_term(code)
                entries.append((fold(term.label), term))
                entries.append((fold(f"{code} körkort"), term))
            for qualifier in (None, *lexicon.TRUCK_CLASSES):
                term = truck_term(qualifier)
                entries.append((fold(term.label), term))
            self._suggest_index = sorted(entries, key=lambda e: (e[0], e[1].key))
        return self._suggest_index

    def _fuzzy_suggestions(self, needle: str) -> list[tuple[str, Term]]:
        entries = self._suggestions()
        texts = [text for text, _term in entries]
        matches = process.extract(
            needle, texts, scorer=fuzz.partial_ratio, score_cutoff=85, limit=50
        )
        # a label shorter than the query is no completion of it ("korkort b" is not "skor")
        return [entries[i] for text, _score, i in matches if len(text) >= len(needle)]

    def _language_levels(self, needle: str) -> list[Term]:
        """ "svenska b" offers Svenska B1 and B2: a language followed by the start of a level."""
        first = needle.split()[0]
        language = self._languages.get(stem(first))
        if language is None or " " not in needle:
            return []
        terms = (language_term(*language, level) for level in lexicon.LANGUAGE_LEVELS)
        return [term for term in terms if fold(term.label).startswith(needle)]

    # ------------------------------------------------------------------ related terms

    def _related_scores(self, term: Term) -> dict[str, float]:
        if term.kind == "licence":
            return self._related_licence(term)
        if term.kind == "language":
            return related_language(term)
        if term.kind == "free":
            return self._related_free(term)
        return self._related_concept(term)

    def _related_licence(self, term: Term) -> dict[str, float]:
        if term.base != "licence:truck":
            return related_licence(term)
        wanted = term.qualifier
        scores = related_truck(wanted)
        if wanted is None or len(wanted) == 1:
            # the taxonomy's truck skills: "A-truckar" for class A, "Truckvana" for any
            for index in self._label_index(f"{wanted}-truckar" if wanted else "Truckvana"):
                scores[self._concepts[index].key] = 0.85
        return scores

    def _related_free(self, term: Term) -> dict[str, float]:
        words = term.key[5:].split()
        scores: dict[str, float] = {}
        if not words:
            return scores
        last = words[-1]
        for head in self._synonym_heads:
            if last.endswith(head) and len(last) - len(head) != 1:
                for other, _surface in self._synonyms[head]:
                    key = " ".join([*words[:-1], last[: len(last) - len(head)] + other])
                    scores[f"free:{key}"] = 0.9
                break
        return scores

    def _related_concept(self, term: Term) -> dict[str, float]:
        graph = self._concept_graph()
        return dict(graph.get(term.key, {}))

    def _concept_graph(self) -> dict[str, dict[str, float]]:
        """Near concepts: same head, compound specialisations, synonyms, lexicon pairs."""
        if self._graph is not None:
            return self._graph
        graph: dict[str, dict[str, float]] = {}

        def link(wanted: int, other: int, score: float) -> None:
            if wanted == other:
                return
            edges = graph.setdefault(self._concepts[wanted].key, {})
            key = self._concepts[other].key
            edges[key] = max(edges.get(key, 0.0), score)

        heads: dict[str, list[int]] = {}
        singles: dict[str, set[int]] = {}
        for aliases in self._exact.values():
            for alias in aliases:
                if alias.rank == 2:
                    heads.setdefault(alias.compact, []).append(alias.concept)
                elif len(alias.compact) >= 4 and " " not in self._concepts[alias.concept].label:
                    singles.setdefault(alias.surface, set()).add(alias.concept)
        modifiers = self._modifiers()
        for members in heads.values():
            # "Kock, storhushåll" ~ "Kock, à la carte"; not "Mästarbrev, X" ~ "Mästarbrev, Y",
            # and not the big umbrellas ("Civilingenjör, …", "Forskare, …")
            occupations = [m for m in set(members) if self._concepts[m].kind == "occupation"]
            if len(occupations) <= _MAX_SIBLINGS:
                for a in occupations:
                    for b in occupations:
                        link(a, b, 0.7)
        stems: dict[str, set[int]] = {}
        for key, concepts in singles.items():
            stems.setdefault(compound_key([key]), set()).update(concepts)
        for key, concepts in singles.items():
            for start in range(3, len(key) - 3):
                # Hotellstädare is a Städare; "bokkon|servering" is no Servering
                modifier = fold_word(key[:start])
                if modifier not in modifiers and modifier.removesuffix("s") not in modifiers:
                    continue
                for general in singles.get(key[start:], ()):
                    for special in concepts:
                        link(general, special, 0.8)
                        link(special, general, 0.5)
            for other_key in self._swapped_keys(compound_key([key])):
                for other in stems.get(other_key, ()):
                    for concept in concepts:
                        link(concept, other, 0.9)
        for left, right, score in lexicon.RELATED_LABELS:
            for a in self._label_index(left):
                for b in self._label_index(right):
                    link(a, b, score)
                    link(b, a, score)
        for wanted, holder, score in lexicon.SATISFIES:
            for a in self._label_index(wanted):
                for b in self._label_index(holder):
                    link(a, b, score)
        self._graph = graph
        return graph

    def _swapped_keys(self, key: str) -> list[str]:
        for head in self._synonym_heads:
            if key.endswith(head) and len(key) - len(head) != 1:
                prefix = key[: len(key) - len(head)]
                return [prefix + other for other, _surface in self._synonyms[head]]
        return []


def _distinct_heads(a: str, b: str) -> tuple[str, str]:
    """Two forms without the first part they share ("kassa|personal", "kassa|medarbet"):
    the heads a learned swap is filed by."""
    shared = 0
    while shared < min(len(a), len(b)) and a[shared] == b[shared]:
        shared += 1
    return a[shared:], b[shared:]
