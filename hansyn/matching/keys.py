"""Offered key ids and wanted texts: what the index files a candidate's texts under, and which
of those key ids satisfy a wanted text, with what similarity.

A skill text is filed under its vocabulary key *and* its form and spelling (so a specific
title is never filed as the generic one it was normalised to); a language or licence under
its vocabulary key alone. A wanted text is resolved once per index (the vocabulary's
``related`` and the graded similarity of :mod:`hansyn.matching.similarity`), and key ids added
later are scored on their own when it is next asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from hansyn.matching.forms import FormIndex
from hansyn.matching.ngrams import NgramModel
from hansyn.matching.profiles import CandidateProfile, VocabularyLike
from hansyn.matching.similarity import GENERIC, SPECIFIC, Wanted, reworded
from hansyn.matching.swedish import form, lower_words

__all__ = ["ALIAS", "SKILL_KINDS", "KeyTable", "Resolution", "group_key"]

SKILL_KINDS = frozenset({"skill", "occupation", "free"})
ALIAS = 0.95  # a skill matched through the vocabulary by an alias or a typo, not its label
# between the parts of an offered key: vocabulary key, form, head-only flag, spelling
_SEP = "\x1f"


@dataclass(slots=True)
class Resolution:
    """A wanted text resolved against this engine's offered keys ``[0, seen)``."""

    term_key: str
    identity: str
    related: dict[str, float]  # vocabulary key -> similarity
    factor: float  # GENERIC when the wanted text itself is known only by its head
    wanted: Wanted | None  # its forms, for the graded similarity
    fact: bool = False  # a language or a licence: as a requirement, its vocabulary keys only
    sims: dict[int, float] = field(default_factory=dict)
    keys: list[tuple[int, float]] = field(default_factory=list)
    seen: int = 0
    forms_seen: int = 0


def group_key(code: str) -> str:
    return f"target-group:{code.strip()}"


def _offer_id(term: Any, text: str) -> str:
    """What the index files an offered text under. Languages and licences: the vocabulary
    key (their qualifiers are facts, never graded). Skills: the key, the text's form and
    whether only its head was known, so that a specific title is never filed as the generic
    one it was normalised to."""
    if term.kind not in SKILL_KINDS:
        return str(term.key)
    return f"{term.key}{_SEP}{form(text)}{_SEP}{_known_as(term)}{_SEP}{_spelling(text)}"


def _known_as(term: Any) -> str:
    """How the vocabulary knew an offered skill text: "h" by its head only, "w" as a label
    or alias (a word, so never taken for a misspelling of another), else ""."""
    if getattr(term, "head_only", False):
        return "h"
    return "w" if getattr(term, "matched_by", "") == "alias" else ""


def _spelling(text: str) -> str:
    """The words of a text, lowercase, diacritics kept, one space between them: what
    spelling slips and inflections are judged on ("ingenior" is a slip of "ingenjör", its stem
    is not; the words joined), and where its first words end (``similarity.leads``)."""
    return " ".join(lower_words(text))


class KeyTable:
    """The offered key ids and text ids of one index, and the wanted texts resolved on them."""

    def __init__(self, vocabulary: VocabularyLike) -> None:
        self.vocabulary = vocabulary
        self.keys: list[str] = []
        self.key_id: dict[str, int] = {}
        self.texts: list[str] = []
        self.text_id: dict[str, int] = {}
        self._offer_cache: dict[str, tuple[int, int]] = {}  # text -> (key id, text id)
        self._wanted_cache: dict[str, Resolution] = {}
        self._pairs_of: dict[str, list[int]] = {}  # vocabulary key -> key ids carrying it
        self._base_of: list[str] = []  # key id -> vocabulary key
        self._form_of: list[str] = []  # key id -> form of its text ("" for facts)
        # key id -> SPECIFIC for a text known only by its head, ALIAS for one known by an
        # alias or a typo, else 1: how sure a match of its vocabulary key is
        self._pair_factor: list[float] = []
        self._label_forms: dict[str, frozenset[str]] = {}
        self._forms: FormIndex | None = None

    def offers_of(self, p: CandidateProfile) -> dict[int, int]:
        """Key id -> text id of what a candidate offers, first wording of each key."""
        if not p.id or "\0" in p.id:
            raise ValueError("candidate id must be a non-empty string without NUL")
        offers: dict[int, int] = {}
        for group in p.target_groups:
            if group.strip():
                offers.setdefault(self.intern_key(group_key(group)), self.intern_text(group))
        cache = self._offer_cache
        for text in (*p.skills, *p.languages, *p.driving_licences):
            pair = cache.get(text)
            if pair is None and (pair := self._offer_pair(text)) is None:
                continue
            if pair[0] not in offers:
                offers[pair[0]] = pair[1]
        return offers

    def _offer_pair(self, text: str) -> tuple[int, int] | None:
        """The key id and text id of an offered text (None for blank text), cached."""
        if not text.strip():
            return None
        key = self.intern_key(_offer_id(self.vocabulary.normalize(text), text))
        pair = self._offer_cache[text] = (key, self.intern_text(text))
        return pair

    def intern_key(self, key: str) -> int:
        """An offered key: the vocabulary key, and for skills also the form of the text
        and whether only its head was known (see ``_offer_id``)."""
        kid = self.key_id.get(key)
        if kid is None:
            kid = self.key_id[key] = len(self.keys)
            self.keys.append(key)
            base, _, rest = key.partition(_SEP)
            text_form, _, rest = rest.partition(_SEP)
            known_as, _, spelling = rest.partition(_SEP)
            self._base_of.append(base)
            self._form_of.append(text_form)
            self._pair_factor.append(SPECIFIC if known_as == "h" else
                                     self._exactness(base, text_form) if text_form else 1.0)
            self._pairs_of.setdefault(base, []).append(kid)
            if text_form:
                self.form_index().add(kid, text_form, spelling, known_as == "w")
        return kid

    def form_index(self) -> FormIndex:
        if self._forms is None:
            model = getattr(self.vocabulary, "ngram_model", None)
            self._forms = FormIndex(model if model is not None else NgramModel)
        return self._forms

    def warm(self) -> None:
        """Do now what the first wanted text would: the vocabulary's tables and the n-gram
        vectors of the offered forms so far."""
        warm = getattr(self.vocabulary, "warm", None)
        if warm is not None:
            warm()
        if self._forms is not None:
            self._forms.prepare()

    def intern_text(self, text: str) -> int:
        tid = self.text_id.get(text)
        if tid is None:
            tid = self.text_id[text] = len(self.texts)
            self.texts.append(text)
        return tid


    def related(self, text: str) -> tuple[str, str, list[tuple[int, float]]]:
        """The term key of a wanted text, the identity its sims are cached by, and the offered
        key ids that satisfy it with their similarity, ascending.

        Resolved once per text and index; keys added later are scored on their own when the
        text is next asked for, so a new term costs one resolution, not one per edit.
        """
        entry = self._entry(text)
        return entry.term_key, entry.identity, entry.keys

    def required(self, text: str) -> list[int]:
        """The offered key ids that meet a required text: for a language or a licence (a
        fact) those of its vocabulary keys alone, never a text that only resembles it; for a
        skill every one that satisfies it."""
        entry = self._entry(text)
        if not entry.fact:
            return [kid for kid, _ in entry.keys]
        return [kid for kid, _ in entry.keys if self._base_of[kid] in entry.related]

    def _entry(self, text: str) -> Resolution:
        entry = self._wanted_cache.get(text)
        if entry is None:
            if len(self._wanted_cache) > 50_000:
                self._wanted_cache.clear()
            entry = self._wanted_cache[text] = self._resolution(text)
        if entry.seen < len(self.keys):
            self._extend(entry)
        return entry

    def _resolution(self, text: str) -> Resolution:
        term = self.vocabulary.normalize(text)
        head_only = bool(getattr(term, "head_only", False))
        own, factor = form(text), 1.0
        known = getattr(term, "matched_by", "") == "alias"
        # every wanted text is graded against the offered forms, a language or a licence
        # too ("Truckkort" meets "trukkort", "Engelska" meets "engleska"); as
        # a requirement only its vocabulary keys count (``required``)
        if term.kind in SKILL_KINDS:
            swaps = getattr(self.vocabulary, "head_swaps", None)
            found = swaps(own) if swaps is not None else []
            # a compound known only by its head asks for something more specific than the
            # head; a text known by an alias or a typo is a little less sure than its label
            factor = GENERIC if head_only else self._exactness(term.key, own)
        else:
            found = []
        head_words: frozenset[str] = getattr(self.vocabulary, "head_words", frozenset)()
        wanted = Wanted.of([own], found, self.form_index().model, text, known, head_words)
        identity = (f"{term.key}{_SEP}{own}{_SEP}{'h' if head_only else ''}{_SEP}"
                    f"{_spelling(text)}")
        return Resolution(term.key, identity, dict(self.vocabulary.related(term)), factor,
                          wanted, term.kind not in SKILL_KINDS)

    def _exactness(self, key: str, text_form: str) -> float:
        """1 when ``text_form`` is the form of the key's label (or of a part of it:
        "Städare/Lokalvårdare", "Kock, storhushåll"), else ALIAS; free keys are their text."""
        if key.startswith("free:"):
            return 1.0
        forms = self._label_forms.get(key)
        if forms is None:
            label = self.vocabulary.label(key) if hasattr(self.vocabulary, "label") else key
            parts = [label, *label.split("/"), *(p.split(",")[0] for p in label.split("/"))]
            forms = self._label_forms[key] = frozenset(form(p) for p in parts)
        return 1.0 if text_form in forms else ALIAS

    def _extend(self, entry: Resolution) -> None:
        """Score the key ids added since ``entry`` was last brought up to date."""
        sims, start = entry.sims, entry.seen
        if start == 0:
            new = [(kid, sim) for base, sim in entry.related.items()
                   for kid in self._pairs_of.get(base, ())]
        else:
            new = [(kid, entry.related[self._base_of[kid]])
                   for kid in range(start, len(self.keys))
                   if self._base_of[kid] in entry.related]
        scores: dict[int, float] = {}
        cosines: dict[int, float] = {}
        if entry.wanted is not None:
            index = self.form_index()
            scores, cosines = index.scores_and_cosines(entry.wanted, entry.forms_seen,
                                                       (kid for kid, _ in new))
            entry.forms_seen = len(index)
        own = entry.wanted.own if entry.wanted is not None else ()
        for kid, sim in new:
            if self._form_of[kid] in own:
                continue  # the same wording: the form's own rule decides (diacritics)
            value = sim * entry.factor * self._pair_factor[kid]
            if self._form_of[kid]:
                value = reworded(value, cosines.get(kid, 0.0))
            if value > sims.get(kid, 0.0):
                sims[kid] = value
        for kid, value in scores.items():
            if value > sims.get(kid, 0.0):
                sims[kid] = value
        entry.seen = len(self.keys)
        entry.keys = sorted(((k, min(float(v), 1.0)) for k, v in sims.items() if v > 0),
                            key=itemgetter(1, 0))

