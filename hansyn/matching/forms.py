"""The index of an engine's distinct offered forms: which forms a wanted text can meet, found
without looking at every one (dicts of forms, spellings, sounds, tails, leads and staff
titles, a sorted list of reversed forms for the heads, the n-gram vectors in sparse blocks),
scored by :func:`hansyn.matching.similarity.score`, the definition."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from hansyn.matching import kernels
from hansyn.matching.ngrams import FloatVector, NgramModel, Vector
from hansyn.matching.similarity import (
    FLOOR_WEIGHT,
    INFLECTIONS,
    MIN_COSINE,
    MIN_FIRST_LETTER,
    MIN_HEAD,
    MIN_OTHER_FIRST,
    MIN_SOUND,
    TYPO,
    TYPO_COSINE,
    Wanted,
    closeness,
    first_slip,
    head_slip,
    leads,
    score,
    slip,
    slip_of,
    staff_of,
)
from hansyn.matching.swedish import fold, sound

__all__ = ["FormIndex"]

def _first_slip_ranges(wanted: Wanted) -> list[tuple[int, int, int, int]]:
    """(first letter, second letter, length) codes of the wanted texts whose first-letter
    slips :func:`first_slip` finds, as :func:`_start_code` ranges: an offered text starting
    with the second letter and up to two shorter or one longer (dropped, swapped), or with
    another letter and up to two longer (added), may be one."""
    mine = () if wanted.short_start else (*wanted.own, wanted.spelling)
    texts = [t for t in (*mine, wanted.conjunct) if len(t) >= MIN_FIRST_LETTER]
    return [(ord(t[0]), _start_code(t[1:], len(t) - 2), _start_code(t[1:], len(t) + 1),
             len(t)) for t in texts]


def _slip_ranges(wanted: Wanted) -> list[tuple[int, int]]:
    """Ranges of :func:`_start_code` of the texts a slip of the wanted text can be (its first
    letter, a length within the budget): a form or folded spelling outside them is no slip
    (see :func:`slip`)."""
    return [(_start_code(mine, len(mine) - budget), _start_code(mine, len(mine) + budget))
            for mine, budget, _ in (*wanted.slips, *wanted.heads)]


def _first_slip_codes(wanted: Wanted) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Which forms may be a first-letter slip of the wanted text, as ranges of their start
    codes (starting with its second letter and up to two shorter or one longer: dropped,
    swapped) and of their second codes (:func:`_second_code`: its first letter second and up
    to two longer: added); :func:`first_slip` decides."""
    starts, seconds = [], []
    for first, lowest, highest, length in _first_slip_ranges(wanted):
        starts.append((lowest, highest))
        if length <= 1023:  # a second code's length is capped there
            seconds.append((first << 10 | length, first << 10 | min(length + 2, 1023)))
    return starts, seconds


def _prefilters(codes: npt.NDArray[np.int64], slips: Sequence[tuple[int, int]],
                starts: Sequence[tuple[int, int]],
                seconds: Sequence[tuple[int, int]]) -> tuple[npt.NDArray[np.bool_], ...]:
    """Which columns of ``codes`` (rows: the start codes of forms and of folded spellings,
    then their second codes) may be a slip (a start code within one of ``slips``) and which a
    first-letter slip (a start code within one of ``starts`` or a second code within one of
    ``seconds``): one compiled pass (:func:`kernels.slip_masks`), where numpy took a dozen
    calls that a query meeting them cold pays for."""
    # C order whatever the caller's slice: the kernel is compiled for that layout only (a
    # column selection of several is Fortran-ordered, and would compile on a request)
    masks: tuple[npt.NDArray[np.bool_], ...] = kernels.slip_masks(
        np.ascontiguousarray(codes), _ranges(slips), _ranges(starts), _ranges(seconds))
    return masks


def _ranges(pairs: Sequence[tuple[int, int]]) -> npt.NDArray[np.int64]:
    return np.array(pairs, np.int64).reshape(len(pairs), 2)


def _start_code(text: str, length: int) -> int:
    """A text's first letter and a length as one number, ordered by letter, then length."""
    return ord(text[0]) << 10 | max(0, min(length, 1023)) if text else -1


def _second_code(text: str) -> int:
    """A text's second letter and its length as one number, the length capped as in
    :func:`_start_code` (-1 for a text of fewer than two letters)."""
    return ord(text[1]) << 10 | min(len(text), 1023) if len(text) > 1 else -1


@dataclass(slots=True)
class _Block:
    """The forms at positions ``[first, first + width)``: their n-gram vectors as a
    features × forms CSR matrix (so one feature's row lists the forms that have it), their
    key ids, and, in a row for the forms and one for their folded spellings, the first
    letter and length as one number (:func:`_start_code`), which the slip rule's prefilter
    reads, and the second letter and length (:func:`_second_code`), which the first-letter
    rule's reads."""

    first: int
    vectors: Any
    ids: npt.NDArray[np.int64]
    # 4 × width: _start_code of forms and of spellings, then their _second_code
    codes: npt.NDArray[np.int64]

    @classmethod
    def of(cls, first: int, vectors: Any, ids: Sequence[int], forms: Sequence[str],
           spellings: Sequence[str]) -> _Block:
        texts = (forms, spellings)
        return cls(first, vectors, np.array(ids, np.int64),
                   np.array([[_start_code(t, len(t)) for t in ts] for ts in texts]
                            + [[_second_code(t) for t in ts] for ts in texts], np.int64))

    @property
    def width(self) -> int:
        return int(self.vectors.shape[1])

    def cosines(self, vectors: Sequence[Vector],
                since: int) -> tuple[npt.NDArray[np.int64], FloatVector]:
        """Places in the block (ascending) of the positions from ``since`` on with their best
        cosine, from the lower of MIN_COSINE and TYPO_COSINE, with any of ``vectors``."""
        matrix = self.vectors
        if len(vectors) == 1:
            (columns, weights), = vectors
        else:
            columns = np.concatenate([c for c, _ in vectors])
            weights = np.concatenate([w for _, w in vectors])
        bounds = np.array([0, *itertools.accumulate(len(c) for c, _ in vectors)], np.int64)
        found: tuple[npt.NDArray[np.int64], FloatVector] = kernels.near_cosines(
            matrix.indptr, matrix.indices, matrix.data, columns, weights, bounds,
            matrix.shape[1], since - self.first, min(MIN_COSINE, TYPO_COSINE))
        return found

    def joined(self, other: _Block) -> _Block:
        return _Block(self.first, sparse.hstack([self.vectors, other.vectors], format="csr"),
                      np.concatenate([self.ids, other.ids]),
                      np.concatenate([self.codes, other.codes], axis=1))


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
    _position: dict[int, int] = field(default_factory=dict)  # key id -> position
    _forms: list[str] = field(default_factory=list)
    _spellings: list[str] = field(default_factory=list)
    _folded: list[str] = field(default_factory=list)  # the spellings folded
    _by_form: dict[str, list[int]] = field(default_factory=dict)  # form -> positions
    _by_spelling: dict[str, list[int]] = field(default_factory=dict)  # folded -> positions
    _by_sound: dict[str, list[int]] = field(default_factory=dict)  # sound -> positions
    _by_tail: dict[str, list[int]] = field(default_factory=dict)  # all but the first letter
    _by_lead: dict[str, list[int]] = field(default_factory=dict)  # see leads()
    _by_staff: dict[str, list[int]] = field(default_factory=dict)  # see staff_of()
    _words: list[bool] = field(default_factory=list)  # a label or alias of the vocabulary
    _reversed: list[str] = field(default_factory=list)  # the forms reversed, sorted
    _reversed_at: list[int] = field(default_factory=list)  # ... their positions
    _blocks: list[_Block] = field(default_factory=list)
    _vectorised: int = 0

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def model(self) -> NgramModel:
        if self._model is None:
            self._model = self.make_model()
        return self._model

    def add(self, key_id: int, form: str, spelling: str = "", word: bool = False) -> None:
        """A form with the key id that carries it, the spelling of its text and whether the
        vocabulary knows the text as a label or alias (a word, not a misspelling)."""
        position = len(self._ids)
        self._ids.append(key_id)
        self._position[key_id] = position
        self._forms.append(form)
        self._spellings.append(spelling)
        folded = fold("".join(spelling.split()))
        self._folded.append(folded)
        self._words.append(word)
        self._by_form.setdefault(form, []).append(position)
        if spelling:
            self._by_spelling.setdefault(folded, []).append(position)
        if not word:
            for text in {form, folded}:
                if len(text) >= MIN_SOUND:
                    self._by_sound.setdefault(sound(text), []).append(position)
                if len(text) >= MIN_OTHER_FIRST:
                    self._by_tail.setdefault(text[1:], []).append(position)
        for lead in leads(spelling):
            self._by_lead.setdefault(lead, []).append(position)
        for title in staff_of(form):
            self._by_staff.setdefault(title, []).append(position)
        # two lists, not one of pairs: a search compares strings, without a tuple to read
        at = bisect.bisect_right(self._reversed, form[::-1])
        self._reversed.insert(at, form[::-1])
        self._reversed_at.insert(at, position)

    def scores(self, wanted: Wanted, since: int = 0) -> dict[int, float]:
        """Key id -> score (> 0) of every form at position ``since`` or later."""
        return self.scores_and_cosines(wanted, since)[0]

    def scores_and_cosines(self, wanted: Wanted, since: int = 0,
                           among: Iterable[int] = ()) -> tuple[dict[int, float],
                                                               dict[int, float]]:
        """:meth:`scores`, and key id -> n-gram cosine (from TYPO_COSINE up) with the wanted
        text's own forms for those key ids ``among`` whose form is at position ``since`` or
        later."""
        if since >= len(self._ids):
            return {}, {}
        candidates = [p for p in self._candidates(wanted) if p >= since]
        out: dict[int, float] = {}
        near: dict[int, float] = {}  # position -> cosine, where the blocks found one
        if wanted.vectors:
            self._vectorise()
            for block in self._blocks:
                if block.first + block.width > since:
                    local, cosines = block.cosines(wanted.vectors, since)
                    out.update(self._floor(wanted, block, local, cosines, near))
        for position in candidates:
            value = score(wanted, self._forms[position], near.get(position, 0.0),
                          self._spellings[position], self._words[position],
                          self._folded[position])
            if value > 0:
                out[self._ids[position]] = value
        mine = {kid: p for kid in among if (p := self._position.get(kid, -1)) >= since}
        return out, {kid: c for kid, p in mine.items() if (c := near.get(p, 0.0)) >= TYPO_COSINE}

    def _floor(self, wanted: Wanted, block: _Block, local: npt.NDArray[np.int64],
               cosines: FloatVector, near: dict[int, float]) -> dict[int, float]:
        """Key id -> score by the n-gram rule or a slip of the block's near forms (``local``:
        their places in the block), and their cosines added to ``near`` by position (a form
        that another rule can meet is scored again by :func:`score`, which is at least
        this). The arrays become lists once: a first query meets each numpy call cold."""
        positions = [block.first + i for i in local.tolist()]
        near_cosines = cosines.tolist()
        near.update(zip(positions, near_cosines, strict=True))
        value = [FLOOR_WEIGHT * c if c >= MIN_COSINE else 0.0 for c in near_cosines]
        slips, firsts = _prefilters(block.codes[:, local], _slip_ranges(wanted),
                                    *_first_slip_codes(wanted))
        for i in np.flatnonzero(slips).tolist():
            position = positions[i]
            if wanted.known and self._words[position]:
                continue  # two words the vocabulary knows are two words, not a slip
            distance = slip(wanted, self._forms[position], self._folded[position])
            if distance:
                value[i] = max(value[i], TYPO[distance] * closeness(near_cosines[i]))
            head = slip_of(wanted.heads, self._forms[position], self._folded[position])
            if head:
                value[i] = max(value[i], head_slip(head, closeness(near_cosines[i])))
        for i in np.flatnonzero(firsts).tolist():
            position = positions[i]
            if not self._words[position]:
                found = first_slip(wanted, self._forms[position], self._folded[position])
                value[i] = max(value[i], found * closeness(near_cosines[i]))
        ids = block.ids[local].tolist()
        return {ids[i]: v for i, v in enumerate(value) if v > 0}

    def _candidates(self, wanted: Wanted) -> set[int]:
        """Positions whose form can meet a rule other than the n-gram one."""
        found: set[int] = set()
        forms: list[str] = []
        for form in wanted.forms:
            forms.append(form)
            if len(form) >= MIN_HEAD:  # specialisations: reversed forms that start reversed
                start = form[::-1]
                at = bisect.bisect_left(self._reversed, start)
                while at < len(self._reversed) and self._reversed[at].startswith(start):
                    found.add(self._reversed_at[at])
                    at += 1
            forms += [form[cut:] for cut in range(MIN_HEAD, len(form) - MIN_HEAD + 1)]
        misspelt = (*wanted.cut, *wanted.sounds)  # misspellings no edit budget finds
        mine = wanted.spelling
        inflected = [mine + ending for ending in INFLECTIONS]  # inflected, or the wanted is
        inflected += [mine[: -len(e)] for e in INFLECTIONS if mine.endswith(e)]
        for index, texts in ((self._by_form, (*forms, *misspelt, *wanted.linked)),
                             (self._by_spelling, (*misspelt, *wanted.linked, *inflected)),
                             (self._by_sound, misspelt), (self._by_tail, wanted.tails),
                             (self._by_lead, (mine,)), (self._by_staff, (mine,))):
            for text in index.keys() & texts:  # a set operation: the lookups run in C
                found.update(index[text])
        return found

    def prepare(self) -> None:
        """Build the n-gram model and the vectors of the forms so far, the work a first query
        would otherwise do (an engine does it before a server forks, to share it)."""
        self._vectorise()

    def _vectorise(self) -> None:
        """Vectors of the forms added since the last call, as a new block; blocks are merged
        geometrically, so a query multiplies with a few matrices, not one per edit."""
        if self._vectorised == len(self._forms):
            return
        first, end = self._vectorised, len(self._forms)
        forms, folded = self._forms[first:end], self._folded[first:end]
        block = _Block.of(first, self.model.vectors(forms).T.tocsr(), self._ids[first:end],
                          forms, folded)
        self._blocks.append(block)
        self._vectorised = end
        while len(self._blocks) > 1 and self._blocks[-2].width <= 4 * self._blocks[-1].width:
            self._blocks[-2:] = [self._blocks[-2].joined(self._blocks[-1])]
