"""In-memory matching of job seekers to vacancies.

The index keeps one sorted ``int32`` posting list of candidate rows per canonical term (skill,
language, licence or free text).  Rows of the *main segment* are numbered by commute tier and
then by latitude, so each posting list is cut to a vacancy's latitude band with a binary search
per tier; haversine distances are computed only for the survivors.  A ranking searches rings
of growing radius and stops once nobody farther away can reach the top (see ``Engine._top``).
Additions go to a small unsorted *delta segment*; removals and replacements leave a tombstone.
The delta is merged into the main segment (``compact``) once it outgrows a fraction of the
index.

The score is documented in ``docs/matching.md`` ("Ranking and allocation").
"""

from __future__ import annotations

import gc
import json
import math
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from hansyn.matching.similarity import (
    GENERIC,
    SPECIFIC,
    FormIndex,
    NgramModel,
    Wanted,
    reworded,
)
from hansyn.matching.swedish import form, lower_words

__all__ = [
    "CandidateProfile",
    "Engine",
    "Match",
    "StaleIndexError",
    "VacancyProfile",
    "VocabularyLike",
    "distance_factor",
    "haversine_km",
]

IntArray = npt.NDArray[np.int64]
RowArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Sims = FloatArray | float  # per row, or one value for all rows

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = 111.0  # a little under the true 111.19, so the band errs on the wide side
REQUIRED_WEIGHT = 2.0
DESIRED_WEIGHT = 1.0
DISTANCE_WEIGHT = 0.3
DISTANCE_HALF_KM = 20.0
AVAILABILITY_WEIGHT = 0.2
AVAILABILITY_HALF_DAYS = 30.0
COMMUTE_TIERS_KM = (15.0, 30.0, 60.0, 120.0, math.inf)
FORMAT_VERSION = 3
RINGS_KM = (2.0, 8.0, 32.0, 128.0, math.inf)
_EPSILON = 1e-8
# between the parts of an offered key: vocabulary key, form, head-only flag, spelling
_SEP = "\x1f"
SKILL_KINDS = frozenset({"skill", "occupation", "free"})
ALIAS = 0.95  # a skill matched through the vocabulary by an alias or a typo, not its label
_SCORE_QUANTUM = 1e9  # scores equal to 1e-9 are ties (see Engine._order_key)
_GROWING = 1 << 18  # below this many candidates the delta may grow to a quarter of them


class VocabularyLike(Protocol):
    """The part of ``hansyn.matching.vocabulary.Vocabulary`` the engine uses."""

    def normalize(self, text: str) -> Any: ...

    def related(self, term: Any) -> list[tuple[str, float]]: ...



class StaleIndexError(ValueError):
    """A saved index is missing, unreadable or was built from other data."""


@dataclass(frozen=True, slots=True)
class CandidateProfile:
    """A job seeker as the matcher sees it: what they offer and how far they can travel."""

    id: str
    skills: Sequence[str] = ()
    location: tuple[float, float] | None = None
    max_commute_km: float | None = None
    languages: Sequence[str] = ()
    driving_licences: Sequence[str] = ()
    target_groups: Sequence[str] = ()  # codes of the contracts' target groups they belong to
    available_from: date | None = None  # can start work on this day (None: at once)
    hours_per_week: tuple[float, float] | None = None  # the least and most they want to work
    registered: date | datetime | None = None  # first in line among equal scores


@dataclass(frozen=True, slots=True)
class VacancyProfile:
    """A vacancy: wanted skills, where it is and the hard requirements."""

    id: str
    required_skills: Sequence[str] = ()
    desired_skills: Sequence[str] = ()
    location: tuple[float, float] | None = None
    radius_km: float | None = None
    required_languages: Sequence[str] = ()
    required_licences: Sequence[str] = ()
    target_groups: Sequence[str] = ()  # the contract's: a candidate must belong to one
    hours_per_week: float | None = None  # must lie in the candidate's range, when both known
    start_date: date | None = None  # a candidate available later scores lower
    desired_languages: Sequence[str] = ()  # weigh like desired skills


@dataclass(frozen=True, slots=True)
class Match:
    """One ranked candidate, with the evidence for its score."""

    candidate_id: str
    score: float
    distance_km: float | None
    matched: list[tuple[str, str, float]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    # why the job fits beyond skills: ("target_group", code), ("hours", "20-40"),
    # ("available", "on time") or ("available", "<days> days late")
    reasons: list[tuple[str, str]] = field(default_factory=list)


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Great-circle distance in km; works on floats and numpy arrays (degrees)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(lon2) - np.radians(lon1)
    h = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))


def distance_factor(distance_km: Any) -> Any:
    """1 at the workplace, falling smoothly towards ``1 - DISTANCE_WEIGHT`` far away."""
    return 1.0 - DISTANCE_WEIGHT * distance_km / (distance_km + DISTANCE_HALF_KM)


JOB_COLUMNS = ("seniority", "available", "hours_min", "hours_max")
_EPOCH = datetime(2000, 1, 1)
_LAST_IN_LINE = float((1 << 32) - 1)


def availability_factor(days_late: Any) -> Any:
    """1 when the candidate can start by the start date, falling smoothly towards
    ``1 - AVAILABILITY_WEIGHT`` the later they can (0.9 at a month late)."""
    late = np.maximum(days_late, 0.0)
    return 1.0 - AVAILABILITY_WEIGHT * late / (late + AVAILABILITY_HALF_DAYS)


def _day(when: date) -> float:
    return float((when - _EPOCH.date()).days)


def _job(p: CandidateProfile) -> tuple[float, float, float, float]:
    """The per-row job columns: minutes registered since 2000 (ties: the earliest first; none
    is last), the first day available (NaN: at once), the hours range (NaN: unknown)."""
    seniority = _LAST_IN_LINE
    if p.registered is not None:
        when = p.registered if isinstance(p.registered, datetime) else datetime(
            p.registered.year, p.registered.month, p.registered.day)
        minutes = (when.replace(tzinfo=None) - _EPOCH).total_seconds() // 60
        seniority = min(max(float(minutes), 0.0), _LAST_IN_LINE - 1)
    available = math.nan if p.available_from is None else _day(p.available_from)
    low, high = p.hours_per_week if p.hours_per_week is not None else (math.nan, math.nan)
    return seniority, available, float(low), float(high)


@dataclass(slots=True)
class _Wanted:
    text: str
    term_key: str
    weight: float
    keys: list[tuple[int, float]]  # (key id, similarity), ascending similarity
    sims: dict[int, float] = field(init=False)

    def __post_init__(self) -> None:
        self.sims = dict(self.keys)


@dataclass(slots=True)
class _Resolution:
    """A wanted text resolved against this engine's offered keys ``[0, seen)``."""

    term_key: str
    identity: str
    related: dict[str, float]  # vocabulary key -> similarity
    factor: float  # GENERIC when the wanted text itself is known only by its head
    wanted: Wanted | None  # its forms, for the graded similarity (skills only)
    sims: dict[int, float] = field(default_factory=dict)
    keys: list[tuple[int, float]] = field(default_factory=list)
    seen: int = 0
    forms_seen: int = 0


def _group_key(code: str) -> str:
    return f"target-group:{code.strip()}"


def _offer_id(term: Any, text: str) -> str:
    """What the index files an offered text under. Languages and licences: the vocabulary
    key (their qualifiers are facts, never graded). Skills: the key, the text's form and
    whether only its head was known, so that a specific title is never filed as the generic
    one it was normalised to."""
    if term.kind not in SKILL_KINDS:
        return str(term.key)
    head_only = "h" if getattr(term, "head_only", False) else ""
    return f"{term.key}{_SEP}{form(text)}{_SEP}{head_only}{_SEP}{_spelling(text)}"


def _spelling(text: str) -> str:
    """The words of a text joined, lowercase, diacritics kept: what spelling slips and
    inflections are judged on ("ingenior" is a slip of "ingenjör", its stem is not)."""
    return "".join(lower_words(text))


@dataclass(slots=True)
class _Query:
    wanted: list[_Wanted]
    requirements: list[list[int]]  # per required language/licence: key ids that satisfy it
    lat: float | None
    lon: float | None
    radius: float
    target_groups: list[int]  # key ids; empty: no target group asked for
    hours: float  # NaN: not given
    start: float  # day number; NaN: not given


@dataclass(slots=True)
class _Main:
    """The latitude-ordered segment: flat numpy arrays, possibly memory-mapped from disk."""

    ids: list[str]
    lat: FloatArray
    lon: FloatArray
    commute: FloatArray  # inf when unlimited
    job: FloatArray  # per row: JOB_COLUMNS
    alive: BoolArray
    tier_start: IntArray  # len(COMMUTE_TIERS_KM) + 2 bounds; the last tier has no location
    post_ptr: IntArray  # per key id
    post_rows: RowArray
    offer_ptr: IntArray  # per row
    offer_key: RowArray
    offer_text: RowArray

    @classmethod
    def empty(cls) -> _Main:
        z = np.zeros(0)
        i32 = np.zeros(0, np.int32)
        return cls([], z, z, z, np.zeros((0, len(JOB_COLUMNS))), np.zeros(0, bool),
                   np.zeros(len(COMMUTE_TIERS_KM) + 2, np.int64), np.zeros(1, np.int64), i32,
                   np.zeros(1, np.int64), i32, i32)

    def postings(self, key: int) -> RowArray:
        if key + 1 >= len(self.post_ptr):
            return self.post_rows[:0]
        return self.post_rows[self.post_ptr[key]:self.post_ptr[key + 1]]

    def offers(self, row: int) -> list[tuple[int, int]]:
        a, b = self.offer_ptr[row], self.offer_ptr[row + 1]
        return list(zip(self.offer_key[a:b].tolist(), self.offer_text[a:b].tolist(), strict=True))


@dataclass(slots=True)
class _Part:
    """Candidates in flat arrays, the input of ``_assemble``."""

    ids: list[str]
    lat: FloatArray
    lon: FloatArray
    commute: FloatArray
    job: FloatArray
    counts: IntArray  # offers per candidate
    keys: RowArray  # flat offered key ids
    texts: RowArray  # flat offered text ids


class _Batch:
    """Profiles of a bulk load, kept as flat lists until ``compact``."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.ids: list[str] = []
        self.alive: list[bool] = []
        self.lat: list[float] = []
        self.lon: list[float] = []
        self.commute: list[float] = []
        self.job: list[tuple[float, ...]] = []
        self.counts: list[int] = []
        self.keys: list[int] = []
        self.texts: list[int] = []

    def add(self, cid: str, lat: float, lon: float, commute: float, job: tuple[float, ...],
            offers: dict[int, int]) -> None:
        self.index[cid] = len(self.ids)
        self.ids.append(cid)
        self.alive.append(True)
        self.lat.append(lat)
        self.lon.append(lon)
        self.commute.append(commute)
        self.job.append(job)
        self.counts.append(len(offers))
        self.keys.extend(offers)
        self.texts.extend(offers.values())

    @classmethod
    def of(cls, delta: _Delta) -> _Part:
        """The live candidates of the delta segment, from its flat columns in one pass."""
        n = len(delta.ids)
        alive = delta.alive[:n]
        keep = np.flatnonzero(alive)
        ptr: IntArray = np.array(delta.offer_ptr, np.int64)
        counts: IntArray = ptr[1:] - ptr[:-1]
        flat_alive = np.repeat(alive, counts)
        cols = delta.columns()[keep]
        ids = delta.ids if len(keep) == n else [delta.ids[i] for i in keep.tolist()]
        return _Part(list(ids), cols[:, 0].copy(), cols[:, 1].copy(),
                     cols[:, 2].copy(), cols[:, 3:].copy(), counts[keep],
                     np.array(delta.offer_keys, np.int32)[flat_alive],
                     np.array(delta.offer_texts, np.int32)[flat_alive])

    def arrays(self) -> _Part:
        alive = np.array(self.alive, bool)
        counts = np.array(self.counts, np.int64)
        flat_alive = np.repeat(alive, counts)
        ids = self.ids if alive.all() else [c for c, a in zip(self.ids, self.alive,
                                                               strict=True) if a]
        return _Part(ids, np.array(self.lat, np.float64)[alive],
                     np.array(self.lon, np.float64)[alive],
                     np.array(self.commute, np.float64)[alive],
                     np.array(self.job, np.float64).reshape(-1, len(JOB_COLUMNS))[alive],
                     counts[alive],
                     np.array(self.keys, np.int32)[flat_alive],
                     np.array(self.texts, np.int32)[flat_alive])


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Bulk work allocates millions of small objects; the cyclic GC would rescan them all."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _place(p: CandidateProfile) -> tuple[float, float, float]:
    lat, lon = p.location if p.location is not None else (math.nan, math.nan)
    commute = math.inf if p.max_commute_km is None else float(p.max_commute_km)
    return float(lat), float(lon), commute


class _Delta:
    """Recently added candidates, unsorted; rows continue the main segment's numbering.

    An append only extends flat Python lists (cheap); the numpy columns and the per-key
    posting lists the ranking reads are built from them when it first needs them
    (``columns``, ``postings``), and a merge reads the flat lists in one pass.
    """

    def __init__(self, base: int) -> None:
        self.base = base
        self.ids: list[str] = []
        self.offer_ptr: list[int] = [0]  # row i offers offer_keys[ptr[i]:ptr[i + 1]]
        self.offer_keys: list[int] = []
        self.offer_texts: list[int] = []
        self.alive = np.zeros(64, bool)
        self._rows: list[tuple[float, ...]] = []  # lat, lon, commute, *job, not yet in arrays
        self._arrays = np.zeros((64, 3 + len(JOB_COLUMNS)))
        self._filled = 0
        self._postings: dict[int, list[int]] = {}
        self._posted = 0  # rows whose offers are in _postings

    def __len__(self) -> int:
        return len(self.ids)

    def append(self, cid: str, columns: tuple[float, ...], offers: dict[int, int]) -> int:
        i = len(self.ids)
        if i == len(self.alive):  # doubling keeps appends O(1) amortised
            self.alive = np.concatenate([self.alive, np.zeros_like(self.alive)])
        self.alive[i] = True
        self.ids.append(cid)
        self._rows.append(columns)
        self.offer_keys.extend(offers)
        self.offer_texts.extend(offers.values())
        self.offer_ptr.append(len(self.offer_keys))
        return self.base + i

    def offers(self, i: int) -> list[tuple[int, int]]:
        a, b = self.offer_ptr[i], self.offer_ptr[i + 1]
        return list(zip(self.offer_keys[a:b], self.offer_texts[a:b], strict=True))

    def postings(self) -> dict[int, list[int]]:
        """Key id -> rows of the delta offering it, in row order."""
        if self._posted < len(self.ids):
            postings, keys, ptr = self._postings, self.offer_keys, self.offer_ptr
            for i in range(self._posted, len(self.ids)):
                row = self.base + i
                for key in keys[ptr[i]:ptr[i + 1]]:
                    found = postings.get(key)
                    if found is None:
                        postings[key] = [row]
                    else:
                        found.append(row)
            self._posted = len(self.ids)
        return self._postings

    def columns(self) -> FloatArray:
        """lat, lon, commute and the job columns of every row, one row per candidate."""
        if self._rows:
            end = self._filled + len(self._rows)
            if end > len(self._arrays):
                grown = np.zeros((max(end, 2 * len(self._arrays)), self._arrays.shape[1]))
                grown[:self._filled] = self._arrays[:self._filled]
                self._arrays = grown
            self._arrays[self._filled:end] = self._rows
            self._filled, self._rows = end, []
        return self._arrays

class Engine:
    """Ranks candidates for a vacancy and allocates candidates to positions.

    Build it once (``build``/``bulk_add`` or ``load``) before the web server forks, so
    that workers share the arrays; single edits (``add``/``remove``) stay cheap.
    """

    def __init__(self, vocabulary: VocabularyLike | None = None,
                 *, compact_ratio: float = 0.02, compact_min: int = 4096) -> None:
        if vocabulary is None:
            from hansyn.matching.vocabulary import Vocabulary

            vocabulary = Vocabulary.default()
        self.vocabulary: VocabularyLike = vocabulary
        self.fingerprint: str | None = None
        self._compact_ratio = compact_ratio
        self._compact_min = compact_min
        self._lock = threading.RLock()
        self._keys: list[str] = []
        self._key_id: dict[str, int] = {}
        self._texts: list[str] = []
        self._text_id: dict[str, int] = {}
        self._offer_cache: dict[str, tuple[int, int]] = {}  # text -> (key id, text id)
        self._wanted_cache: dict[str, _Resolution] = {}
        self._pairs_of: dict[str, list[int]] = {}  # vocabulary key -> key ids carrying it
        self._base_of: list[str] = []  # key id -> vocabulary key
        self._form_of: list[str] = []  # key id -> form of its text ("" for facts)
        # key id -> SPECIFIC for a text known only by its head, ALIAS for one known by an
        # alias or a typo, else 1: how sure a match of its vocabulary key is
        self._pair_factor: list[float] = []
        self._label_forms: dict[str, frozenset[str]] = {}
        self._forms: FormIndex | None = None
        self._term_cache: dict[tuple[str, int], tuple[RowArray, Sims]] = {}
        self._delta_term_cache: dict[tuple[str, int], tuple[RowArray, FloatArray]] = {}
        self._main = _Main.empty()
        self._delta = _Delta(0)
        self._compact_threshold = self._compact_at()
        self._row_of: dict[str, int] = {}
        self._scratch_acc = np.zeros(0)
        self._scratch_pos = np.zeros(0, np.int64)

    # ------------------------------------------------------------------ size and edits
    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, candidate_id: object) -> bool:
        return candidate_id in self._row_of

    def add(self, profile: CandidateProfile) -> None:
        """Add a candidate, or replace the one with the same id."""
        with self._lock:
            offers = self._offers_of(profile)  # raises on a bad id before anything changes
            self._tombstone(profile.id)
            lat, lon, commute = _place(profile)
            self._row_of[profile.id] = self._delta.append(
                profile.id, (lat, lon, commute, *_job(profile)), offers)
            if self._delta_term_cache:
                self._delta_term_cache.clear()
            if len(self._delta.ids) > self._compact_threshold:
                self.compact()

    def _compact_at(self) -> float:
        """The delta size that triggers a merge: ``compact_ratio`` of the main segment (at
        least ``compact_min``), and while the index is still small, a quarter of it, so that
        filling an index one ``add`` at a time merges a geometric number of times."""
        main = len(self._main.ids)
        growing = main / 4 if main < _GROWING else 0.0
        return max(self._compact_min, self._compact_ratio * main, growing)

    def remove(self, candidate_id: str) -> None:
        """Forget a candidate; unknown ids are ignored."""
        with self._lock:
            self._tombstone(candidate_id)
            self._row_of.pop(candidate_id, None)

    def bulk_add(self, profiles: Iterable[CandidateProfile]) -> None:
        """Add or replace many candidates and rebuild the sorted segment once."""
        with self._lock, _gc_paused():
            batch = _Batch()
            try:
                for p in profiles:
                    offers = self._offers_of(p)  # raises on a bad id before anything changes
                    self._tombstone(p.id)
                    earlier = batch.index.get(p.id)
                    if earlier is not None:  # the last profile of an id wins
                        batch.alive[earlier] = False
                    lat, lon, commute = _place(p)
                    batch.add(p.id, lat, lon, commute, _job(p), offers)
            finally:  # on an error the profiles before it are in, none is half in
                self.compact(batch)

    @classmethod
    def build(cls, profiles: Iterable[CandidateProfile],
              vocabulary: VocabularyLike | None = None) -> Engine:
        """A new engine holding ``profiles``."""
        engine = cls(vocabulary)
        engine.bulk_add(profiles)
        return engine

    def _tombstone(self, candidate_id: str) -> None:
        row = self._row_of.get(candidate_id)
        if row is None:
            return
        if row < self._delta.base:
            self._main.alive[row] = False
        else:
            self._delta.alive[row - self._delta.base] = False

    def _offers_of(self, p: CandidateProfile) -> dict[int, int]:
        """Key id -> text id of what a candidate offers, first wording of each key."""
        if not p.id or "\0" in p.id:
            raise ValueError("candidate id must be a non-empty string without NUL")
        offers: dict[int, int] = {}
        for group in p.target_groups:
            if group.strip():
                offers.setdefault(self._intern_key(_group_key(group)), self._intern_text(group))
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
        key = self._intern_key(_offer_id(self.vocabulary.normalize(text), text))
        pair = self._offer_cache[text] = (key, self._intern_text(text))
        return pair

    def _intern_key(self, key: str) -> int:
        """An offered key: the vocabulary key, and for skills also the form of the text
        and whether only its head was known (see ``_offer_id``)."""
        kid = self._key_id.get(key)
        if kid is None:
            kid = self._key_id[key] = len(self._keys)
            self._keys.append(key)
            base, _, rest = key.partition(_SEP)
            text_form, _, rest = rest.partition(_SEP)
            head_only, _, spelling = rest.partition(_SEP)
            self._base_of.append(base)
            self._form_of.append(text_form)
            self._pair_factor.append(SPECIFIC if head_only == "h" else
                                     self._exactness(base, text_form) if text_form else 1.0)
            self._pairs_of.setdefault(base, []).append(kid)
            if text_form:
                self._form_index().add(kid, text_form, spelling)
        return kid

    def _form_index(self) -> FormIndex:
        if self._forms is None:
            model = getattr(self.vocabulary, "ngram_model", None)
            self._forms = FormIndex(model if model is not None else NgramModel)
        return self._forms

    def _intern_text(self, text: str) -> int:
        tid = self._text_id.get(text)
        if tid is None:
            tid = self._text_id[text] = len(self._texts)
            self._texts.append(text)
        return tid

    # ------------------------------------------------------------------ compaction
    def compact(self, batch: _Batch | None = None) -> None:
        """Merge the delta segment (and a bulk batch), drop tombstones, renumber all rows."""
        with self._lock, _gc_paused():
            delta = self._delta
            parts = [self._main_part(), _Batch.of(delta)]
            if batch is not None:
                parts.append(batch.arrays())
            ids = [cid for part in parts for cid in part.ids]
            cat = {name: np.concatenate([getattr(part, name) for part in parts])
                   for name in ("lat", "lon", "commute", "job", "counts", "keys", "texts")}
            self._main = _assemble(ids, cat, len(self._keys))
            self._term_cache.clear()
            self._delta_term_cache.clear()
            self._delta = _Delta(len(ids))
            self._compact_threshold = self._compact_at()
            self._row_of = dict(zip(self._main.ids, range(len(ids)), strict=True))

    def _main_part(self) -> _Part:
        main = self._main
        keep = np.flatnonzero(main.alive)
        counts = (main.offer_ptr[1:] - main.offer_ptr[:-1])[keep]
        take = _ranges(main.offer_ptr[keep], counts)
        ids = main.ids if len(keep) == len(main.ids) else [main.ids[i] for i in keep.tolist()]
        return _Part(ids, main.lat[keep], main.lon[keep], main.commute[keep],
                     main.job[keep], counts, main.offer_key[take], main.offer_text[take])

    # ------------------------------------------------------------------ ranking
    def rank(self, vacancy: VacancyProfile, limit: int = 20) -> list[Match]:
        """The ``limit`` best eligible candidates, best first, each with its explanation."""
        with self._lock:
            query = self._query(vacancy)
            rows, _, dists = self._top(query, limit)
            return [self._explain(query, r, d)
                    for r, d in zip(rows.tolist(), dists.tolist(), strict=True)]

    def _query(self, v: VacancyProfile) -> _Query:
        wanted: dict[str, _Wanted] = {}  # by term key: two spellings of one term count once
        for texts, weight in ((v.required_skills, REQUIRED_WEIGHT),
                              (v.desired_skills, DESIRED_WEIGHT)):
            for text in texts:
                if text.strip():
                    term_key, identity, keys = self._related(text)
                    wanted.setdefault(term_key, _Wanted(text, identity, weight, keys))
        for text in v.desired_languages:
            if text.strip():
                term_key, identity, keys = self._related(text)
                wanted.setdefault(term_key, _Wanted(text, identity, DESIRED_WEIGHT, keys))
        requirements = [[k for k, _ in self._related(t)[2]]
                        for t in (*v.required_languages, *v.required_licences) if t.strip()]
        groups = [self._key_id[k] for k in dict.fromkeys(_group_key(g) for g in v.target_groups
                                                         if g.strip()) if k in self._key_id]
        if any(g.strip() for g in v.target_groups):
            requirements.append(groups)  # nobody qualifies when no candidate has any of them
        lat, lon = v.location if v.location is not None else (None, None)
        radius = math.inf if v.radius_km is None or lat is None else float(v.radius_km)
        return _Query(list(wanted.values()), requirements, lat, lon, radius, groups,
                      math.nan if v.hours_per_week is None else float(v.hours_per_week),
                      math.nan if v.start_date is None else _day(v.start_date))

    def _related(self, text: str) -> tuple[str, str, list[tuple[int, float]]]:
        """The term key of a wanted text, the identity its sims are cached by, and the offered
        key ids that satisfy it with their similarity, ascending.

        Resolved once per text and index; keys added later are scored on their own when the
        text is next asked for, so a new term costs one resolution, not one per edit.
        """
        entry = self._wanted_cache.get(text)
        if entry is None:
            if len(self._wanted_cache) > 50_000:
                self._wanted_cache.clear()
            entry = self._wanted_cache[text] = self._resolution(text)
        if entry.seen < len(self._keys):
            self._extend(entry)
        return entry.term_key, entry.identity, entry.keys

    def _resolution(self, text: str) -> _Resolution:
        term = self.vocabulary.normalize(text)
        head_only = bool(getattr(term, "head_only", False))
        own, wanted, factor = form(text), None, 1.0
        if term.kind in SKILL_KINDS:
            swaps = getattr(self.vocabulary, "head_swaps", None)
            found = swaps(own) if swaps is not None else []
            wanted = Wanted.of([own], found, self._form_index().model, text)
            # a compound known only by its head asks for something more specific than the
            # head; a text known by an alias or a typo is a little less sure than its label
            factor = GENERIC if head_only else self._exactness(term.key, own)
        identity = (f"{term.key}{_SEP}{own}{_SEP}{'h' if head_only else ''}{_SEP}"
                    f"{_spelling(text) if wanted is not None else ''}")
        return _Resolution(term.key, identity, dict(self.vocabulary.related(term)), factor,
                           wanted)

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

    def _extend(self, entry: _Resolution) -> None:
        """Score the key ids added since ``entry`` was last brought up to date."""
        sims, start = entry.sims, entry.seen
        if start == 0:
            new = [(kid, sim) for base, sim in entry.related.items()
                   for kid in self._pairs_of.get(base, ())]
        else:
            new = [(kid, entry.related[self._base_of[kid]])
                   for kid in range(start, len(self._keys))
                   if self._base_of[kid] in entry.related]
        scores: dict[int, float] = {}
        cosines: dict[int, float] = {}
        if entry.wanted is not None:
            index = self._form_index()
            scores, cosines = index.scores_and_cosines(entry.wanted, entry.forms_seen)
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
        entry.seen = len(self._keys)
        entry.keys = sorted(((k, min(float(v), 1.0)) for k, v in sims.items() if v > 0),
                            key=lambda ks: (ks[1], ks[0]))

    def _bands(self, q: _Query, ring: float) -> IntArray:
        """Row ranges ``[a0, b0, a1, b1, ...]`` of the main segment that can hold eligible rows
        no farther than ``ring`` km from the vacancy."""
        main, bounds = self._main, []
        for tier, edge in enumerate(COMMUTE_TIERS_KM):
            lo, hi = int(main.tier_start[tier]), int(main.tier_start[tier + 1])
            reach = min(edge, q.radius, ring)
            if q.lat is not None and lo < hi and reach < math.inf:
                lats, dlat = main.lat[lo:hi], reach / KM_PER_DEGREE_LAT
                lo, hi = (lo + int(np.searchsorted(lats, q.lat - dlat, side="left")),
                          lo + int(np.searchsorted(lats, q.lat + dlat, side="right")))
            bounds += [lo, hi]
        if q.radius == math.inf and ring == math.inf:  # no location: only when nothing limits
            bounds += [int(main.tier_start[-2]), int(main.tier_start[-1])]
        return np.array(bounds, np.int32)  # the dtype of the postings: no conversion per search

    def _has_key(self, key: int, rows: IntArray) -> BoolArray:
        """Which of ``rows`` offer ``key``: binary search in its sorted posting list."""
        postings = self._main.postings(key)
        has = np.zeros(len(rows), bool)
        if len(postings):
            needles = rows.astype(np.int32)  # else numpy converts the whole posting list
            at = np.minimum(np.searchsorted(postings, needles), len(postings) - 1)
            has = postings[at] == needles
        extra = self._delta.postings().get(key)
        if extra:
            has |= np.isin(rows, extra)
        return has

    def _ensure_scratch(self) -> None:
        n = self._delta.base + len(self._delta.ids)
        if len(self._scratch_acc) < n:
            size = n + max(1024, n // 8)
            self._scratch_acc = np.zeros(size)
            self._scratch_pos = np.zeros(size, np.int64)

    def _term_main(self, w: _Wanted) -> tuple[RowArray, Sims]:
        """One sorted posting list per wanted term: rows offering any related key, with the
        best similarity (a scalar when all are alike); merged once per term, then cached."""
        if len(w.keys) <= 1:
            key, sim = w.keys[0] if w.keys else (len(self._keys), 0.0)
            return self._main.postings(key), sim
        cache_key = (w.term_key, len(w.keys))
        cached = self._term_cache.get(cache_key)
        if cached is not None:
            return cached
        rows = np.concatenate([self._main.postings(k) for k, _ in w.keys])
        sims = np.concatenate([np.full(len(self._main.postings(k)), s) for k, s in w.keys])
        order = np.lexsort((-sims, rows))
        rows, sims = rows[order], sims[order]
        first = np.ones(len(rows), bool)
        first[1:] = rows[1:] != rows[:-1]
        if len(self._term_cache) >= 4096:
            self._term_cache.clear()
        merged = self._term_cache[cache_key] = (rows[first], sims[first])
        return merged

    def _term_delta(self, w: _Wanted) -> tuple[RowArray, FloatArray]:
        """The delta segment's part of a term's posting list; cached until the next add."""
        cache_key = (w.term_key, len(w.keys))
        cached = self._delta_term_cache.get(cache_key)
        if cached is not None:
            return cached
        best: dict[int, float] = {}
        for key, sim in w.keys:  # ascending similarity: the best one is written last
            for row in self._delta.postings().get(key, ()):
                best[row] = sim
        rows = np.fromiter(sorted(best), np.int32, len(best))
        merged = rows, np.array([best[r] for r in rows.tolist()], np.float64)
        self._delta_term_cache[cache_key] = merged
        return merged

    def _term_rows(self, w: _Wanted, bounds: IntArray) -> tuple[RowArray, Sims]:
        """The term's rows inside ``bounds`` plus its delta rows, each once, with similarity."""
        rows, sims = self._term_main(w)
        cuts = np.searchsorted(rows, bounds).tolist()
        parts: list[tuple[RowArray, Sims]] = [
            (rows[a:b], sims if isinstance(sims, float) else sims[a:b])
            for a, b in zip(cuts[::2], cuts[1::2], strict=True) if b > a]
        if self._delta.ids:
            parts.append(self._term_delta(w))
        if len(parts) == 1:
            return parts[0]
        if not parts:
            return rows[:0], 0.0
        joined = np.concatenate([r for r, _ in parts])
        if all(isinstance(x, float) and x == parts[0][1] for _, x in parts):
            return joined, parts[0][1]
        return joined, np.concatenate([np.full(len(r), x) if isinstance(x, float) else x
                                       for r, x in parts])

    def _term_lookup(self, w: _Wanted, needles: IntArray) -> FloatArray:
        """The term's similarity for each of the sorted ``needles`` (0 where it is not offered)."""
        got = np.zeros(len(needles))
        sources: list[tuple[RowArray, Sims]] = [self._term_main(w)]
        if self._delta.ids:
            sources.append(self._term_delta(w))
        for rows, sims in sources:
            if len(rows):
                at = np.minimum(np.searchsorted(rows, needles), len(rows) - 1)
                hit = rows[at] == needles
                got[hit] = sims if isinstance(sims, float) else sims[at[hit]]
        return got

    def _skill_scores(self, q: _Query, bounds: IntArray,
                      theta: float) -> tuple[IntArray, FloatArray]:
        """Rows in ``bounds`` whose weighted skill score in (0, 1] can reach ``theta``.

        MaxScore pruning: the largest posting lists whose summed best contributions stay below
        ``theta`` are not enumerated; rows only in them cannot reach the top.  They are looked
        up (binary search) for the rows that other lists bring in.
        """
        self._ensure_scratch()
        total = sum(w.weight for w in q.wanted)
        lists = [self._term_rows(w, bounds) for w in q.wanted]
        skipped, bound = [], 0.0
        for j in sorted(range(len(q.wanted)), key=lambda j: -len(lists[j][0])):
            top = q.wanted[j].weight * max((s for _, s in q.wanted[j].keys), default=0.0) / total
            if bound + top < theta - _EPSILON:
                skipped.append(j)
                bound += top
        acc, touched = self._scratch_acc, []
        for j, (rows_j, sims_j) in enumerate(lists):
            if j not in skipped and len(rows_j):
                acc[rows_j] += q.wanted[j].weight * sims_j  # rows are unique within a term
                touched.append(rows_j)
        every = np.concatenate(touched) if touched else np.zeros(0, np.int32)
        pos = self._scratch_pos
        pos[every] = np.arange(len(every))
        rows = every[pos[every] == np.arange(len(every))]
        scores = acc[rows] / total
        acc[rows] = 0.0
        if theta > 0:  # drop rows that cannot reach theta even with every skipped term
            hopeful = np.flatnonzero(scores + bound >= theta - _EPSILON)
            rows, scores = rows[hopeful], scores[hopeful]
        if skipped:
            order = np.argsort(rows)  # sorted needles make the binary searches cache-friendly
            rows, scores = rows[order], scores[order]
        for j in skipped:
            scores += q.wanted[j].weight * self._term_lookup(q.wanted[j], rows) / total
        keep = np.flatnonzero(scores >= theta - _EPSILON)
        return rows[keep].astype(np.int64), scores[keep]

    def _all_rows(self, bounds: IntArray) -> tuple[IntArray, FloatArray]:
        """Without wanted skills every candidate in reach is a match on skills."""
        n = self._delta.base + len(self._delta.ids)
        parts = [np.arange(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
        rows = np.concatenate([*parts, np.arange(self._delta.base, n)])
        return rows, np.ones(len(rows))

    def _columns(self, rows: IntArray) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray,
                                                FloatArray]:
        """lat, lon, commute, alive and the job columns of ``rows`` from either segment."""
        main, delta = self._main, self._delta
        in_delta = rows >= delta.base
        if not in_delta.any():
            return (main.lat[rows], main.lon[rows], main.commute[rows], main.alive[rows],
                    main.job[rows])
        m, d = rows[~in_delta], rows[in_delta] - delta.base
        order = np.concatenate([np.flatnonzero(~in_delta), np.flatnonzero(in_delta)])
        inv = np.empty_like(order)
        inv[order] = np.arange(len(order))

        def both(a: Any, b: Any) -> Any:
            return np.concatenate([a[m], b[d]])[inv]

        cols = delta.columns()
        return (both(main.lat, cols[:, 0]), both(main.lon, cols[:, 1]),
                both(main.commute, cols[:, 2]), both(main.alive, delta.alive),
                both(main.job, cols[:, 3:]))

    def _top(self, q: _Query, limit: int) -> tuple[IntArray, FloatArray, FloatArray]:
        """Rows, scores and distances (NaN when unknown) of the best eligible candidates.

        Searches rings of growing radius around the vacancy: once the ``limit``-th best score
        inside a ring beats what any candidate beyond it could reach (the best skill score times
        the distance factor at the ring's edge), the rest of the country is never read.  The
        ring's ``limit``-th score also feeds the skill pruning of the next, wider ring.
        """
        if limit <= 0 or not self._row_of:
            return np.zeros(0, np.int64), np.zeros(0), np.zeros(0)
        ceiling = sum(w.weight * max((s for _, s in w.keys), default=0.0) for w in q.wanted)
        ceiling = ceiling / sum(w.weight for w in q.wanted) if q.wanted else 1.0
        rings = RINGS_KM if q.lat is not None and q.radius > RINGS_KM[0] else (math.inf,)
        found: tuple[IntArray, FloatArray, FloatArray] | None = None
        inner, searched = 0.0, np.zeros(0, np.int64)  # the ring already searched, its bands
        for ring in rings:
            last = ring == math.inf or ring >= q.radius
            # beyond the inner ring the distance factor is below f(inner): to enter the top a
            # new candidate needs a skill score of at least theta / f(inner)
            theta = 0.0
            if found is not None and len(found[0]) == limit:
                theta = float(found[1][-1]) / float(distance_factor(inner))
            bands = self._bands(q, math.inf if last else ring)
            step = self._ranked(q, _annulus(bands, searched), theta, limit)
            found = step if found is None else self._merge(found, step, limit)
            searched = bands
            if last:
                return found
            inner = ring
            beyond = ceiling * distance_factor(ring)  # the best any farther candidate can do
            if len(found[0]) == limit and found[1][-1] >= beyond + _EPSILON:
                return found
        raise AssertionError("the last ring is unbounded")

    def _merge(self, a: tuple[IntArray, FloatArray, FloatArray],
               b: tuple[IntArray, FloatArray, FloatArray],
               limit: int) -> tuple[IntArray, FloatArray, FloatArray]:
        rows, first = np.unique(np.concatenate([a[0], b[0]]), return_index=True)
        score = np.concatenate([a[1], b[1]])[first]
        dist = np.concatenate([a[2], b[2]])[first]
        chosen = self._first(self._order_key(score, self._columns(rows)[4][:, 0]), rows, limit)
        return rows[chosen], score[chosen], dist[chosen]

    def _ranked(self, q: _Query, bounds: IntArray, theta: float,
                limit: int) -> tuple[IntArray, FloatArray, FloatArray]:
        rows, skill = self._skill_scores(q, bounds, theta) if q.wanted else self._all_rows(bounds)
        lat, lon, commute, alive, job = self._columns(rows)
        if q.lat is not None:
            dist = haversine_km(q.lat, q.lon, lat, lon)
            unknown = np.isnan(dist)
            ok = alive & ((dist <= commute) | unknown)
            ok &= (dist <= q.radius) | (unknown & (q.radius == math.inf))
            # an unknown distance counts as the far end of the scale, behind any known one
            factor = np.where(unknown, 1.0 - DISTANCE_WEIGHT, distance_factor(np.nan_to_num(dist)))
        else:
            dist, ok, factor = np.full(len(rows), np.nan), alive, np.ones(len(rows))
        if not math.isnan(q.hours):  # NaN bounds compare False: unknown hours never exclude
            ok &= ~((job[:, 2] > q.hours) | (job[:, 3] < q.hours))
        if not math.isnan(q.start):  # unknown availability: at once
            factor = factor * availability_factor(np.nan_to_num(job[:, 1] - q.start))
        keep = np.flatnonzero(ok)
        rows, score, dist = rows[keep], skill[keep] * factor[keep], dist[keep]
        order_key = self._order_key(score, job[keep, 0])
        chosen = self._best(q, rows, order_key, limit)
        return rows[chosen], score[chosen], dist[chosen]

    @staticmethod
    def _order_key(score: FloatArray, seniority: FloatArray) -> IntArray:
        """Ascending key: higher score first; equal scores (to 1e-9) by time registered,
        the longest registered first (``_first`` then orders by candidate id)."""
        quantised = np.rint(score * _SCORE_QUANTUM).astype(np.int64)
        return -(quantised << 32) + seniority.astype(np.int64)

    def _first(self, order_key: IntArray, rows: IntArray, k: int) -> IntArray:
        """Positions of the ``k`` first rows by ``order_key`` and then candidate id (so equal
        scores and registration times are ordered by id, whatever path found them)."""
        chosen = _smallest(order_key, k)
        if not len(chosen):
            return chosen
        keys = order_key[chosen]
        last = keys[-1]
        inside = int((keys == last).sum())
        if len(chosen) < len(order_key):
            tied = np.flatnonzero(order_key == last)
            if len(tied) > inside:  # the tie crosses the cut: the lowest ids go in
                ids = np.array([self._id_of(r) for r in rows[tied].tolist()])
                pick = tied[np.argsort(ids, kind="stable")[:inside]]
                chosen = np.concatenate([chosen[keys < last], pick])
                keys = order_key[chosen]
        if len(keys) > 1 and bool((keys[1:] == keys[:-1]).any()):
            names = [self._id_of(r) for r in rows[chosen].tolist()]
            order = sorted(range(len(chosen)), key=lambda i: (int(keys[i]), names[i]))
            chosen = chosen[np.array(order, np.int64)]
        return chosen

    def _best(self, q: _Query, rows: IntArray, order_key: IntArray, limit: int) -> IntArray:
        """Positions of the ``limit`` first rows by ``order_key`` that meet the requirements."""
        first = self._first(order_key, rows, min(len(rows), 4 * limit + 16))
        ok = self._meets(q, rows[first])
        if ok.sum() >= limit or len(first) == len(rows):
            return first[ok][:limit]
        passing = np.flatnonzero(self._meets(q, rows))
        return passing[self._first(order_key[passing], rows[passing], limit)]

    def _meets(self, q: _Query, rows: IntArray) -> BoolArray:
        ok = np.ones(len(rows), bool)
        for keys in q.requirements:
            has = np.zeros(len(rows), bool)
            for key in keys:
                has |= self._has_key(key, rows)
            ok &= has
        return ok

    def _explain(self, q: _Query, row: int, dist: float) -> Match:
        """The match with its evidence; the score is recomputed here in one fixed order, so
        it does not depend on which pruning path found the candidate (float sums)."""
        offers = self._offers(row)
        matched, missing, weighted = [], [], 0.0
        for w in q.wanted:
            sims, best = w.sims, (0.0, -1)
            for key, text in offers:  # on a tie the candidate's own first wording is named
                if sims.get(key, 0.0) > best[0]:
                    best = (sims[key], text)
            if best[1] >= 0:
                matched.append((w.text, self._texts[best[1]], best[0]))
                weighted += w.weight * best[0]
            else:
                missing.append(w.text)
        skill = weighted / sum(w.weight for w in q.wanted) if q.wanted else 1.0
        if q.lat is None:
            factor = 1.0
        elif math.isnan(dist):
            factor = 1.0 - DISTANCE_WEIGHT
        else:
            factor = float(distance_factor(dist))
        factor, reasons = self._job_fit(q, row, offers, factor)
        return Match(self._id_of(row), min(max(skill * factor, 0.0), 1.0),
                     None if math.isnan(dist) else dist, matched, missing, reasons)

    def _job_fit(self, q: _Query, row: int, offers: list[tuple[int, int]],
                 factor: float) -> tuple[float, list[tuple[str, str]]]:
        """The distance factor times the availability factor, and the reasons the job fits."""
        _, available, low, high = self._columns(np.array([row], np.int64))[4][0].tolist()
        reasons: list[tuple[str, str]] = []
        groups = set(q.target_groups)
        reasons += [("target_group", self._texts[t]) for k, t in offers if k in groups][:1]
        if not math.isnan(q.hours) and not math.isnan(low):
            reasons.append(("hours", f"{low:g}-{high:g}"))
        if not math.isnan(q.start) and not math.isnan(available):
            late = max(available - q.start, 0.0)
            factor *= float(availability_factor(late))
            reasons.append(("available", "on time" if late == 0 else f"{late:g} days late"))
        return factor, reasons

    def _offers(self, row: int) -> list[tuple[int, int]]:
        if row < self._delta.base:
            return self._main.offers(row)
        return self._delta.offers(row - self._delta.base)

    def _id_of(self, row: int) -> str:
        if row < self._delta.base:
            return self._main.ids[row]
        return self._delta.ids[row - self._delta.base]

    # ------------------------------------------------------------------ allocation
    def allocate(self, demands: Sequence[tuple[VacancyProfile, int]],
                 *, depth: int | None = None) -> list[tuple[str, str]]:
        """Fill positions so the total score is maximal; each candidate gets at most one."""
        return [(v, c) for v, c, _ in self.allocate_scored(demands, depth=depth)]

    def allocate_scored(self, demands: Sequence[tuple[VacancyProfile, int]],
                        *, depth: int | None = None,
                        greedy: bool = False) -> list[tuple[str, str, float]]:
        """``allocate`` with each pair's score; ``greedy=True`` gives the greedy baseline.

        Each vacancy with ``p`` positions offers its ``depth`` best candidates (default
        ``2p + 10``); the assignment is optimal over those edges, and a position stays
        empty when filling it would need a candidate another vacancy uses better.
        """
        with self._lock:
            edges = []
            for slot, (vacancy, positions) in enumerate(demands):
                if positions <= 0:
                    continue
                k = depth if depth is not None else 2 * positions + 10
                rows, scores, _ = self._top(self._query(vacancy), k)
                edges.append((slot, positions, rows, scores))
            solve = _assign_greedy if greedy else _assign_optimal
            return [(demands[slot][0].id, self._id_of(row), score)
                    for slot, row, score in solve(edges)]

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | os.PathLike[str], fingerprint: str | None = None) -> None:
        """Write the index to the directory ``path`` (compacting first); atomic per file."""
        with self._lock:
            self.compact()
            if fingerprint is not None:
                self.fingerprint = fingerprint
            _save(Path(path), self)

    @classmethod
    def load(cls, path: str | os.PathLike[str], vocabulary: VocabularyLike | None = None,
             *, fingerprint: str | None = None, mmap: bool = True) -> Engine:
        """Read an index written by ``save``; ``StaleIndexError`` if missing or other data.

        With ``mmap`` the arrays stay on disk and are shared by all processes that load them.
        """
        engine = cls(vocabulary)
        _load(Path(path), engine, fingerprint, mmap)
        return engine

    @classmethod
    def load_or_build(cls, path: str | os.PathLike[str], fingerprint: str,
                      profiles: Callable[[], Iterable[CandidateProfile]],
                      vocabulary: VocabularyLike | None = None) -> Engine:
        """The saved index when its fingerprint matches, else one built and saved anew."""
        try:
            return cls.load(path, vocabulary, fingerprint=fingerprint)
        except StaleIndexError:
            engine = cls.build(profiles(), vocabulary)
            engine.save(path, fingerprint)
            return engine


# ---------------------------------------------------------------------- helpers
def _smallest(values: IntArray, k: int) -> IntArray:
    """Positions of the ``k`` smallest values, in ascending order of value."""
    if k <= 0:
        return np.zeros(0, np.int64)
    if k < len(values):
        part = np.argpartition(values, k - 1)[:k]
        return part[np.argsort(values[part], kind="stable")]
    return np.argsort(values, kind="stable")


def _annulus(bands: IntArray, inner: IntArray) -> IntArray:
    """The row ranges of ``bands`` outside ``inner`` (same ranges, each one inside its wider
    counterpart): per range, the rows below and above the inner one."""
    if not len(inner):
        return bands
    out = []
    for i in range(0, len(bands), 2):
        lo, hi = int(bands[i]), int(bands[i + 1])
        if i + 1 < len(inner):
            out += [lo, int(inner[i]), int(inner[i + 1]), hi]
        else:
            out += [lo, hi]
    return np.array(out, bands.dtype)


def _ranges(starts: IntArray, counts: IntArray) -> IntArray:
    """Concatenation of ``arange(s, s + c)`` for each start and count, vectorised."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    ends = np.cumsum(counts)
    shift = np.repeat(starts - (ends - counts), counts)
    out: IntArray = np.arange(total) + shift
    return out


def _assemble(ids: list[str], cols: dict[str, Any], n_keys: int) -> _Main:
    """Sort rows by (commute tier, latitude) and build the posting lists."""
    lat, commute, counts = cols["lat"], cols["commute"], cols["counts"]
    has_loc = ~np.isnan(lat)
    tier = np.searchsorted(np.array(COMMUTE_TIERS_KM), commute, side="left")
    tier = np.where(has_loc, tier, len(COMMUTE_TIERS_KM))
    perm = np.lexsort((np.where(has_loc, lat, 0.0), tier))
    tier_start = np.searchsorted(tier[perm], np.arange(len(COMMUTE_TIERS_KM) + 2))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    take = _ranges(starts[perm], counts[perm])
    offer_ptr = np.concatenate([[0], np.cumsum(counts[perm])]).astype(np.int64)
    offer_key, offer_text = cols["keys"][take], cols["texts"][take]
    row_of_offer = np.repeat(np.arange(len(ids), dtype=np.int32), counts[perm])
    # a stable sort keeps rows ascending within each key; numpy radix-sorts 16-bit integers
    small = offer_key.astype(np.uint16) if n_keys <= 1 << 16 else offer_key
    post_rows = row_of_offer[np.argsort(small, kind="stable")]
    post_ptr = np.zeros(n_keys + 1, np.int64)
    np.cumsum(np.bincount(offer_key, minlength=n_keys), out=post_ptr[1:])
    ids_sorted = ids if len(ids) == 0 else [ids[i] for i in perm.tolist()]
    return _Main(ids_sorted, lat[perm], cols["lon"][perm], commute[perm], cols["job"][perm],
                 np.ones(len(ids), bool), tier_start.astype(np.int64), post_ptr,
                 post_rows.astype(np.int32), offer_ptr, offer_key.astype(np.int32),
                 offer_text.astype(np.int32))


_ARRAYS = ("lat", "lon", "commute", "job", "tier_start", "post_ptr", "post_rows",
           "offer_ptr", "offer_key", "offer_text")


def _save(path: Path, engine: Engine) -> None:
    path.mkdir(parents=True, exist_ok=True)
    main = engine._main
    for name in _ARRAYS:
        _atomic(path / f"{name}.npy", _array_writer(getattr(main, name)))
    _atomic(path / "ids.bin", lambda f: f.write("\0".join(main.ids).encode()))
    meta = {"format": FORMAT_VERSION, "fingerprint": engine.fingerprint,
            "vocabulary": getattr(engine.vocabulary, "version", None), "count": len(main.ids),
            "keys": engine._keys, "texts": engine._texts}
    # meta.json is written last: its presence and fingerprint vouch for the arrays
    _atomic(path / "meta.json", lambda f: f.write(json.dumps(meta, ensure_ascii=False).encode()))


def _array_writer(array: npt.NDArray[Any]) -> Callable[[Any], object]:
    return lambda f: np.save(f, array)


def _atomic(target: Path, write: Callable[[Any], object]) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _load(path: Path, engine: Engine, fingerprint: str | None, mmap: bool) -> None:
    try:
        meta = json.loads((path / "meta.json").read_text())
        arrays = {n: np.load(path / f"{n}.npy", mmap_mode="r" if mmap else None)
                  for n in _ARRAYS}
        raw = (path / "ids.bin").read_bytes().decode()
    except (OSError, ValueError) as exc:
        raise StaleIndexError(f"no readable index at {path}: {exc}") from exc
    if meta.get("format") != FORMAT_VERSION:
        raise StaleIndexError("index written by another format version")
    if fingerprint is not None and meta.get("fingerprint") != fingerprint:
        raise StaleIndexError("index fingerprint differs")
    if meta.get("vocabulary") != getattr(engine.vocabulary, "version", None):
        raise StaleIndexError("index built with another vocabulary")
    ids = raw.split("\0") if meta["count"] else []
    if len(ids) != meta["count"] or len(arrays["lat"]) != len(ids):
        raise StaleIndexError("index files disagree")
    engine.fingerprint = meta.get("fingerprint")
    for key in meta["keys"]:
        engine._intern_key(key)
    for text in meta["texts"]:
        engine._intern_text(text)
    engine._main = _Main(ids=ids, alive=np.ones(len(ids), bool), **arrays)
    engine._delta = _Delta(len(ids))
    engine._compact_threshold = engine._compact_at()
    engine._row_of = {cid: row for row, cid in enumerate(ids)}


Edges = list[tuple[int, int, IntArray, FloatArray]]  # (demand index, positions, rows, scores)


def _assign_greedy(edges: Edges) -> list[tuple[int, int, float]]:
    """Best remaining pair first: the baseline the optimal assignment is measured against."""
    flat = [(float(s), slot, int(r)) for slot, _, rows, scores in edges
            for r, s in zip(rows.tolist(), scores.tolist(), strict=True)]
    flat.sort(key=lambda e: -e[0])
    left = {slot: positions for slot, positions, _, _ in edges}
    taken: set[int] = set()
    out = []
    for score, slot, row in flat:
        if left[slot] > 0 and row not in taken:
            left[slot] -= 1
            taken.add(row)
            out.append((slot, row, score))
    return out


def _assign_optimal(edges: Edges) -> list[tuple[int, int, float]]:
    """Maximum-score assignment over the given edges, positions allowed to stay empty.

    Each position is a row of a bipartite graph whose columns are the candidates plus one
    private dummy column per position (cost 2, i.e. score 0); a real edge costs ``2 - score``.
    The dummies make every full matching feasible, so LAPJVsp always succeeds.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    out, edges = _take_exclusive([e for e in edges if len(e[2]) and e[1] > 0])
    if not edges:
        return out
    uniq, cols = np.unique(np.concatenate([e[2] for e in edges]), return_inverse=True)
    slots, row_cols, row_scores = [], [], []
    offset = 0
    for slot, positions, rows, scores in edges:
        c = cols[offset:offset + len(rows)]
        offset += len(rows)
        for _ in range(min(positions, len(rows))):
            slots.append(slot)
            row_cols.append(c)
            row_scores.append(scores)
    n_rows, n_real = len(slots), len(uniq)
    counts = np.array([len(c) + 1 for c in row_cols])
    indptr = np.concatenate([[0], np.cumsum(counts)])
    dummy = n_real + np.arange(n_rows)
    indices = np.concatenate([x for c, d in zip(row_cols, dummy, strict=True) for x in (c, [d])])
    score = np.concatenate([x for c in row_scores for x in (c, [0.0])])
    shape = (n_rows, n_real + n_rows)
    r_ind, c_ind = min_weight_full_bipartite_matching(
        csr_matrix((2.0 - score, indices, indptr), shape=shape))
    real = c_ind < n_real
    r_ind, c_ind = r_ind[real], c_ind[real]
    # read the scores back by position: 2 - (2 - s) need not give s again
    position = csr_matrix((np.arange(1, len(score) + 1), indices, indptr), shape=shape)
    at = np.asarray(position[r_ind, c_ind]).ravel() - 1
    return out + [(slots[r], int(uniq[c]), float(w))
                  for r, c, w in zip(r_ind.tolist(), c_ind.tolist(), score[at].tolist(),
                                     strict=True)]


def _take_exclusive(edges: Edges) -> tuple[list[tuple[int, int, float]], Edges]:
    """Give each vacancy the candidates only it wants, as long as they rank within its free
    positions; returns those pairs and the smaller problem that is left.

    Exact: if such a candidate were not placed there, swapping it in for the vacancy's
    weakest pick (or into an empty position) would not lower the total, and nobody else
    can use it.
    """
    uniq, counts = np.unique(np.concatenate([e[2] for e in edges]) if edges else
                             np.zeros(0, np.int64), return_counts=True)
    shared = set(uniq[counts > 1].tolist())
    taken: list[tuple[int, int, float]] = []
    left: Edges = []
    for slot, positions, rows, scores in edges:
        order = np.argsort(-scores, kind="stable")
        keep, free, others = np.ones(len(rows), bool), positions, 0
        for i, row in zip(order.tolist(), rows[order].tolist(), strict=True):
            if others >= free:
                break
            if row in shared:
                others += 1
            else:
                taken.append((slot, row, float(scores[i])))
                keep[i], free = False, free - 1
        if free > 0 and keep.any():
            left.append((slot, free, rows[keep], scores[keep]))
    return taken, left
