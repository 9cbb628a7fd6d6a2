"""Graded similarity between a wanted text and every distinct offered form: the floor under the
vocabulary's exact, compound and synonym keys.

Every offered skill text has a *form* (:func:`hansyn.matching.swedish.form`: words stemmed,
folded and joined). A wanted text is compared with each form by four rules; the best one counts:

===========================  ========================================================  =======
rule                         example (wanted <- offered)                               score
===========================  ========================================================  =======
same form                    Undersköterska <- undersköterskorna                       1
spelling slip                Administratör <- adminstratörer                           0.9, 0.85
synonymous head swapped      Butiksmedarbetare <- butikspersonal                       σ (0.85–0.9)
offered is a specialisation  Städare <- nattstädare                                    0.8 · σ
offered is the generic head  Nattstädare <- städare                                    0.5 · σ
character n-grams            Sortimentsutvecklare <- sortimentutvecklare               0.8 · cos
===========================  ========================================================  =======

A spelling slip is one or two edits (optimal string alignment, a transposition counts once)
within the budget of ``swedish.allowed_edits`` for the wanted text as written (none up to 4
letters, one up to 9, then two; stems are shorter than the words, so "säjare" is a slip of
"Säljare" though their forms "saj"/"salj" are short),
with the first letter in common (the first three for two edits),
between forms that share at least :data:`TYPO_COSINE` of n-grams (which is how the index finds
them). σ is 1 for the text's own form and the swap's similarity for a swapped head. The n-gram rule
is the cosine of character 2–4-gram TF-IDF vectors (scikit-learn's ``HashingVectorizer`` with
IDF weights from the vocabulary's own forms, so a form's vector never depends on the tenant),
counted from :data:`MIN_COSINE` up. So an exact or specific match always beats a generic one,
and a spelling slip beats a different compound with the same head.

:func:`score` is the definition; :class:`FormIndex` finds the forms worth scoring without
looking at every one (a dict of forms, a sorted list of reversed forms for the heads, a sparse
n-gram matrix), and scores them with :func:`score`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz.distance import OSA
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

from hansyn.matching.swedish import allowed_edits, fold

__all__ = [
    "FLOOR_WEIGHT",
    "GENERIC",
    "MIN_COSINE",
    "SPECIFIC",
    "FormIndex",
    "NgramModel",
    "Wanted",
    "score",
]

SPECIFIC = 0.8  # the offered compound ends with the wanted form: a specialisation of it
GENERIC = 0.5  # the wanted compound ends with the offered form: the offered one is generic
FLOOR_WEIGHT = 0.8  # the n-gram rule's score is this times the cosine
MIN_COSINE = 0.4
TYPO = {1: 0.9, 2: 0.85}  # a spelling slip of the wanted form, by edit distance
TYPO_COSINE = 0.2  # ... among forms with at least this n-gram overlap
MIN_HEAD = 3  # a head or the part before it has at least this many letters
_FEATURES = 1 << 18


class NgramModel:
    """Character n-gram TF-IDF vectors of forms (L2-normalised, so a dot product is a cosine)."""

    def __init__(self, corpus: Iterable[str] = ()) -> None:
        self._hasher = HashingVectorizer(analyzer="char", ngram_range=(2, 4), lowercase=False,
                                         n_features=_FEATURES, alternate_sign=False, norm=None,
                                         dtype=np.float64)
        self._idf = TfidfTransformer(sublinear_tf=True)
        texts = [_padded(f) for f in corpus if f]
        self._idf.fit(self._hasher.transform(texts or [" "]))

    def vectors(self, forms: Sequence[str]) -> sparse.csr_matrix:
        counts = self._hasher.transform([_padded(f) for f in forms])
        return sparse.csr_matrix(self._idf.transform(counts))


def _padded(text: str) -> str:
    return f" {text} "


@dataclass(slots=True)
class Wanted:
    """What a wanted text is compared by: its forms with their weight σ, and n-gram vectors
    of its own forms (weight 1)."""

    forms: dict[str, float]
    vectors: sparse.csr_matrix
    own: tuple[str, ...] = ()
    budget: int = 0  # edits a spelling slip may have: by the length of the text as written

    @classmethod
    def of(cls, own: Iterable[str], swaps: Iterable[tuple[str, float]],
           model: NgramModel, written: str = "") -> Wanted:
        forms: dict[str, float] = {}
        for f in own:
            if f:
                forms[f] = 1.0
        mine = list(forms)
        for f, sim in swaps:
            if f and sim > forms.get(f, 0.0):
                forms[f] = sim
        vectors = model.vectors(mine) if mine else sparse.csr_matrix((0, _FEATURES))
        letters = "".join(fold(written).split()) or max(mine, key=len, default="")
        return cls(forms, vectors, tuple(mine), allowed_edits(letters))


def score(wanted: Wanted, offered: str, cosine: float) -> float:
    """How well ``offered`` (a form) satisfies ``wanted``: the best of the rules."""
    best = FLOOR_WEIGHT * cosine if cosine >= MIN_COSINE else 0.0
    if cosine >= TYPO_COSINE:
        for own in wanted.own:
            budget = wanted.budget
            if budget > 0 and abs(len(own) - len(offered)) <= budget:
                distance = OSA.distance(own, offered, score_cutoff=budget)
                # typos rarely hit the first letter (two edits: the first three letters)
                same_start = 1 if distance <= 1 else 3
                if 0 < distance <= budget and own[:same_start] == offered[:same_start]:
                    best = max(best, TYPO[distance])
    for form, sim in wanted.forms.items():
        if offered == form:
            best = max(best, sim)
        elif _head_of(form, offered):
            best = max(best, SPECIFIC * sim)
        elif _head_of(offered, form):
            best = max(best, GENERIC * sim)
    return min(best, 1.0)


def _head_of(head: str, compound: str) -> bool:
    """``compound`` is ``head`` with a first part of its own ("natt" + "städare")."""
    return (len(head) >= MIN_HEAD and len(compound) - len(head) >= MIN_HEAD
            and compound.endswith(head))


@dataclass(slots=True)
class FormIndex:
    """The distinct offered forms of one engine, each with the key id that carries it.

    Forms are only ever added (an engine's key ids are never reused), so a wanted text that
    was scored against the first ``n`` positions only needs the ones added since
    (:meth:`scores` with ``since``).
    """

    make_model: Callable[[], NgramModel]  # called on first use: building an index needs none
    _model: NgramModel | None = None
    _ids: list[int] = field(default_factory=list)
    _forms: list[str] = field(default_factory=list)
    _by_form: dict[str, list[int]] = field(default_factory=dict)  # form -> positions
    _reversed: list[tuple[str, int]] = field(default_factory=list)  # sorted (reversed, position)
    _blocks: list[tuple[int, Any]] = field(default_factory=list)  # (first position, CSR F×n)
    _vectorised: int = 0

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def model(self) -> NgramModel:
        if self._model is None:
            self._model = self.make_model()
        return self._model

    def add(self, key_id: int, form: str) -> None:
        position = len(self._ids)
        self._ids.append(key_id)
        self._forms.append(form)
        self._by_form.setdefault(form, []).append(position)
        bisect.insort(self._reversed, (form[::-1], position))

    def scores(self, wanted: Wanted, since: int = 0) -> dict[int, float]:
        """Key id -> score (> 0) of every form at position ``since`` or later."""
        if since >= len(self._ids):
            return {}
        cosines = self._cosines(wanted, since)
        positions = {p for p in (*cosines, *self._candidates(wanted)) if p >= since}
        out: dict[int, float] = {}
        for position in positions:
            value = score(wanted, self._forms[position], cosines.get(position, 0.0))
            if value > 0:
                out[self._ids[position]] = value
        return out

    def _candidates(self, wanted: Wanted) -> set[int]:
        """Positions whose form can meet a rule other than the n-gram one."""
        found: set[int] = set()
        for form in wanted.forms:
            found.update(self._by_form.get(form, ()))
            if len(form) >= MIN_HEAD:  # specialisations: reversed forms that start reversed
                start = form[::-1]
                at = bisect.bisect_left(self._reversed, (start, -1))
                while at < len(self._reversed) and self._reversed[at][0].startswith(start):
                    found.add(self._reversed[at][1])
                    at += 1
            for cut in range(MIN_HEAD, len(form) - MIN_HEAD + 1):  # generic heads
                found.update(self._by_form.get(form[cut:], ()))
        return found

    def _cosines(self, wanted: Wanted, since: int) -> dict[int, float]:
        """Position -> best cosine (from the lower of MIN_COSINE and TYPO_COSINE) with any of
        the wanted text's own forms."""
        if wanted.vectors.shape[0] == 0:
            return {}
        self._vectorise()
        out: dict[int, float] = {}
        for first, block in self._blocks:
            if first + block.shape[1] <= since:
                continue
            product = (wanted.vectors @ block).tocoo()
            keep = product.data >= min(MIN_COSINE, TYPO_COSINE)
            for col, value in zip(product.col[keep].tolist(), product.data[keep].tolist(),
                                  strict=True):
                if value > out.get(first + col, 0.0):
                    out[first + col] = value
        return out

    def _vectorise(self) -> None:
        """Vectors of the forms added since the last call, as a new block; blocks are merged
        geometrically, so a query multiplies with a few matrices, not one per edit."""
        if self._vectorised == len(self._forms):
            return
        first = self._vectorised
        block = self.model.vectors(self._forms[first:]).T.tocsr()
        self._blocks.append((first, block))
        self._vectorised = len(self._forms)
        while len(self._blocks) > 1 and self._blocks[-2][1].shape[1] <= 4 * block.shape[1]:
            (a_first, a), (_, b) = self._blocks[-2], self._blocks[-1]
            block = sparse.hstack([a, b], format="csr")
            self._blocks[-2:] = [(a_first, block)]


def learn_head_swaps(pairs: Iterable[tuple[str, str]],
                     min_support: int = 2) -> list[tuple[str, str]]:
    """Compound heads that job ads use for one another, learned from pairs of forms of one
    concept ("butiksmedarbetare"/"butikspersonal" -> medarbet/personal).

    A pair of heads counts when both forms share a first part of at least ``MIN_HEAD`` letters
    and differ in more than a spelling slip, and is kept when at least ``min_support``
    different first parts show it: a rule of the language, not one concept's quirk.
    """
    support: dict[tuple[str, str], set[str]] = {}
    for a, b in pairs:
        shared = 0
        while shared < min(len(a), len(b)) and a[shared] == b[shared]:
            shared += 1
        head_a, head_b = a[shared:], b[shared:]
        if shared < MIN_HEAD or min(len(head_a), len(head_b)) < MIN_HEAD:
            continue
        if OSA.distance(head_a, head_b) <= 2:
            continue
        support.setdefault((min(head_a, head_b), max(head_a, head_b)), set()).add(a[:shared])
    return sorted(pair for pair, firsts in support.items() if len(firsts) >= min_support)
