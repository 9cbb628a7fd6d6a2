"""Ranking with explanations: the best eligible candidates for a vacancy, each with the evidence
for its score.

A ranking searches rings of growing radius around the vacancy and stops once nobody farther
away can reach the top (:meth:`Ranker.top`); inside a ring each wanted term's related key ids
are merged once into one posting list with the best similarity per row, summed into a scratch
array, with MaxScore pruning of the largest lists. Every pruning step uses an upper bound, so
the result equals the brute-force ranking (``tests/matching/test_ranking_properties.py``).
The score is documented in ``docs/matching.md`` ("Ranking and allocation").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hansyn.matching import kernels
from hansyn.matching.keys import KeyTable, group_key
from hansyn.matching.profiles import (
    COMMUTE_TIERS_KM,
    DESIRED_WEIGHT,
    DISTANCE_WEIGHT,
    REQUIRED_WEIGHT,
    FloatArray,
    IntArray,
    Match,
    RowArray,
    VacancyProfile,
    availability_factor,
    day_number,
    distance_factor,
)
from hansyn.matching.store import IndexStore

__all__ = ["Query", "Ranker", "WantedTerm"]

KM_PER_DEGREE_LAT = 111.0  # a little under the true 111.19, so the band errs on the wide side
_TIER_EDGES = np.array(COMMUTE_TIERS_KM)
RINGS_KM = (4.0, 32.0, math.inf)  # fewer rings: each costs a fixed ~0.1 ms of numpy calls
_EPSILON = 1e-8


@dataclass(slots=True)
class WantedTerm:
    text: str
    term_key: str
    weight: float
    keys: list[tuple[int, float]]  # (key id, similarity), ascending similarity
    sims: dict[int, float] = field(init=False)
    best: float = field(init=False)  # the highest similarity, 0 when nothing satisfies it

    def __post_init__(self) -> None:
        self.sims = dict(self.keys)
        self.best = max((s for _, s in self.keys), default=0.0)



@dataclass(slots=True)
class Query:
    wanted: list[WantedTerm]
    requirements: list[list[int]]  # per required language/licence: key ids that satisfy it
    lat: float | None
    lon: float | None
    radius: float
    target_groups: list[int]  # key ids; empty: no target group asked for
    hours: float  # NaN: not given
    start: float  # day number; NaN: not given
    # key id -> (position in wanted, similarity) of each wanted term it satisfies
    hits: dict[int, list[tuple[int, float]]] = field(init=False)
    total: float = field(init=False)  # the wanted terms' summed weight

    def __post_init__(self) -> None:
        self.total = sum(w.weight for w in self.wanted)
        self.hits = {}
        for j, w in enumerate(self.wanted):
            for key, sim in w.keys:
                self.hits.setdefault(key, []).append((j, sim))



Found = tuple[IntArray, FloatArray, FloatArray, IntArray]  # rows, scores, distances, order keys
# the requirements: the pool of main rows, each one's span in it, the delta rows and their ptr
Needs = tuple[RowArray, IntArray, IntArray, IntArray, IntArray]


@dataclass(slots=True)
class Terms:
    """A ranking's wanted terms as the kernels read them (arrays indexed by term)."""

    starts: IntArray  # pool span of the main posting list
    ends: IntArray
    uniform: FloatArray  # the one similarity of all its rows, NaN when they differ
    delta_lo: IntArray  # pool span of its delta rows (empty without a delta)
    delta_hi: IntArray
    weights: FloatArray
    best: FloatArray


class Ranker:
    """Ranks the candidates of an :class:`IndexStore` whose key ids a :class:`KeyTable` holds.

    Keeps the merged posting list of each wanted term (for the main segment until the next
    merge, for the delta until the next addition) and a scratch array for the sums. The
    main segment's lists sit one after another in one *pool* (rows and similarities), so a
    compiled loop (:mod:`~hansyn.matching.kernels`) reads any term's part of a ring by
    position; each term's span is its cached list.
    """

    def __init__(self, store: IndexStore, table: KeyTable) -> None:
        self._store = store
        self._table = table
        self._spans: dict[tuple[str, int], tuple[int, int, float]] = {}  # start, end, sim
        self._pool_rows = np.zeros(1024, np.int32)
        self._pool_sims = np.zeros(1024)
        self._pool_len = 0
        self._delta_term_cache: dict[tuple[str, int], tuple[RowArray, FloatArray]] = {}
        # the main rows offering any of a requirement's key ids, one span each in a pool
        self._need_spans: dict[tuple[int, ...], tuple[int, int]] = {}
        self._need_pool = np.zeros(0, np.int32)
        self._seen = (-1, -1)  # (merges, delta rows) the caches were filled at
        self._packed: FloatArray | None = None  # the main rows' PACKED_COLUMNS
        self._acc = np.zeros(0)

    def rank(self, vacancy: VacancyProfile, limit: int) -> list[Match]:
        """The ``limit`` best eligible candidates, best first, each with its explanation."""
        query = self.query(vacancy)
        rows, _, dists = self.top(query, limit)
        offers = self._store.offers_of(rows)
        return [self.explain(query, r, d, o)
                for r, d, o in zip(rows.tolist(), dists.tolist(), offers, strict=True)]

    def prepare(self, vacancy: VacancyProfile) -> None:
        """Do now what the vacancy's first ranking would do once: resolve its wanted texts
        and merge their posting lists and those of its requirements."""
        query = self.query(vacancy)
        if self._store.row_of:
            self._follow_store()
            self._trim_pool()
            self._terms(query)
            self._needs(query)

    def _follow_store(self) -> None:
        """Drop cached posting lists the store's merges and additions made stale."""
        state = (self._store.compactions, len(self._store.delta.ids))
        if state != self._seen:
            if state[0] != self._seen[0]:
                self._spans.clear()
                self._pool_len = 0
                self._need_spans.clear()
                self._need_pool = np.zeros(0, np.int32)
                self._packed = None
            self._delta_term_cache.clear()
            self._seen = state

    def query(self, v: VacancyProfile) -> Query:
        wanted: dict[str, WantedTerm] = {}  # by term key: two spellings of one term count once
        for texts, weight in ((v.required_skills, REQUIRED_WEIGHT),
                              (v.desired_skills, DESIRED_WEIGHT)):
            for text in texts:
                if text.strip():
                    term_key, identity, keys = self._table.related(text)
                    if term_key not in wanted:
                        wanted[term_key] = WantedTerm(text, identity, weight, keys)
        for text in v.desired_languages:
            if text.strip():
                term_key, identity, keys = self._table.related(text)
                if term_key not in wanted:
                    wanted[term_key] = WantedTerm(text, identity, DESIRED_WEIGHT, keys)
        requirements = [self._table.required(t)
                        for t in (*v.required_languages, *v.required_licences) if t.strip()]
        groups = [self._table.key_id[k] for k in dict.fromkeys(group_key(g) for g in v.target_groups
                                                         if g.strip()) if k in self._table.key_id]
        if any(g.strip() for g in v.target_groups):
            requirements.append(groups)  # nobody qualifies when no candidate has any of them
        lat, lon = v.location if v.location is not None else (None, None)
        radius = math.inf if v.radius_km is None or lat is None else float(v.radius_km)
        return Query(list(wanted.values()), requirements, lat, lon, radius, groups,
                      math.nan if v.hours_per_week is None else float(v.hours_per_week),
                      math.nan if v.start_date is None else day_number(v.start_date))

    def _bands(self, q: Query, rings: list[float]) -> tuple[IntArray, list[int]]:
        """Per ring, the row ranges ``[a0, b0, a1, b1, ...]`` of the main segment that can
        hold eligible rows no farther than the ring's km from the vacancy: all rings' ranges
        in one flat array, and where each ring's start (:func:`kernels.band_bounds`)."""
        main = self._store.main
        flat, starts = kernels.band_bounds(
            main.lat, main.tier_start, _TIER_EDGES, np.array(rings),
            math.nan if q.lat is None else q.lat, q.radius, KM_PER_DEGREE_LAT)
        return flat, starts.tolist()

    def _scratch(self) -> FloatArray:
        """A zeroed array with a slot per row of both segments (the kernels leave it zero)."""
        n = self._store.delta.base + len(self._store.delta.ids)
        if len(self._acc) < n:
            self._acc = np.zeros(n + max(1024, n // 8))
        return self._acc

    def _main_rows(self) -> FloatArray:
        """The main segment's ``PACKED_COLUMNS`` in one row of 8 floats (a cache line) per
        candidate: the eligibility loop reads one line per row instead of seven. Built once
        per merge (64 bytes a candidate), before a server forks when the index is warmed."""
        if self._packed is None:
            main = self._store.main
            packed = np.zeros((len(main.ids), 8))
            packed[:, 0], packed[:, 1], packed[:, 2] = main.lat, main.lon, main.commute
            packed[:, 3:7] = main.job
            self._packed = packed
        return self._packed

    def warm(self) -> None:
        """Compile the kernels and pack the main rows: a first ranking's one-off work."""
        kernels.warm()
        self._follow_store()
        self._main_rows()

    def _reserve(self, extra: int) -> None:
        needed = self._pool_len + extra
        if needed > len(self._pool_rows):
            size = max(needed, 2 * len(self._pool_rows))
            rows, sims = np.zeros(size, np.int32), np.zeros(size)
            rows[:self._pool_len] = self._pool_rows[:self._pool_len]
            sims[:self._pool_len] = self._pool_sims[:self._pool_len]
            self._pool_rows, self._pool_sims = rows, sims

    def _trim_pool(self) -> None:
        """Forget every term's list once the pool outgrows twice the posting lists (plus
        room for a million rows); only between rankings, which hold spans."""
        if self._pool_len > 2 * len(self._store.main.post_rows) + (1 << 20):
            self._spans.clear()
            self._pool_len = 0
            self._pool_rows, self._pool_sims = np.zeros(1024, np.int32), np.zeros(1024)

    def _term_span(self, w: WantedTerm) -> tuple[int, int, float]:
        """The pool span of a term's main posting list: rows offering any related key, each
        once with the best similarity; the third value is the one similarity of all its
        rows, or NaN when they differ. Merged once per term, then cached."""
        cache_key = (w.term_key, len(w.keys))
        span = self._spans.get(cache_key)
        if span is not None:
            return span
        main = self._store.main
        sims: FloatArray | None = None
        if len(w.keys) <= 1:
            key, uniform = w.keys[0] if w.keys else (len(self._table.keys), 0.0)
            rows = main.postings(key)
        else:
            rows, sims = main.merged(w.keys)
            uniform = float(sims[0]) if len(sims) and bool((sims == sims[0]).all()) else math.nan
        start = self._pool_len
        self._reserve(len(rows))
        self._pool_rows[start:start + len(rows)] = rows
        if sims is not None and math.isnan(uniform):
            self._pool_sims[start:start + len(rows)] = sims
        self._pool_len += len(rows)
        span = self._spans[cache_key] = (start, self._pool_len, uniform)
        return span

    def _term_delta(self, w: WantedTerm) -> tuple[RowArray, FloatArray]:
        """The delta segment's part of a term's posting list; cached until the next add."""
        cache_key = (w.term_key, len(w.keys))
        cached = self._delta_term_cache.get(cache_key)
        if cached is not None:
            return cached
        best: dict[int, float] = {}
        for key, sim in w.keys:  # ascending similarity: the best one is written last
            for row in self._store.delta.postings().get(key, ()):
                best[row] = sim
        rows = np.fromiter(sorted(best), np.int32, len(best))
        merged = rows, np.array([best[r] for r in rows.tolist()], np.float64)
        self._delta_term_cache[cache_key] = merged
        return merged

    def _terms(self, q: Query) -> Terms:
        """Each wanted term's pool span, and its delta rows written after the pool's end
        (there only for this ranking: the next term merged overwrites them)."""
        spans = [self._term_span(w) for w in q.wanted]
        deltas = ([self._term_delta(w) for w in q.wanted] if self._store.delta.ids
                  else [])
        self._reserve(sum(len(r) for r, _ in deltas))
        delta_lo = np.zeros(len(q.wanted), np.int64)
        delta_hi = np.zeros(len(q.wanted), np.int64)
        at = self._pool_len
        for j, (rows, sims) in enumerate(deltas):
            self._pool_rows[at:at + len(rows)] = rows
            self._pool_sims[at:at + len(rows)] = sims
            delta_lo[j], delta_hi[j] = at, at + len(rows)
            at += len(rows)
        uniform = np.array([u if not deltas or not len(deltas[j][0]) or (
            len(set(deltas[j][1].tolist())) == 1 and deltas[j][1][0] == u) else math.nan
            for j, (_, _, u) in enumerate(spans)])
        if np.isnan(uniform).any():  # a delta that differs: the main span needs its sims
            for j, (start, end, u) in enumerate(spans):
                if math.isnan(uniform[j]) and not math.isnan(u):
                    self._pool_sims[start:end] = u
        return Terms(np.array([a for a, _, _ in spans], np.int64),
                     np.array([b for _, b, _ in spans], np.int64), uniform, delta_lo, delta_hi,
                     np.array([w.weight for w in q.wanted]),
                     np.array([w.best for w in q.wanted]))

    def _all_rows(self, bounds: IntArray) -> tuple[IntArray, FloatArray]:
        """Without wanted skills every candidate in reach is a match on skills."""
        n = self._store.delta.base + len(self._store.delta.ids)
        parts = [np.arange(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
        rows = np.concatenate([*parts, np.arange(self._store.delta.base, n)])
        return rows, np.ones(len(rows))

    def top(self, q: Query, limit: int) -> tuple[IntArray, FloatArray, FloatArray]:
        """Rows, scores and distances (NaN when unknown) of the best eligible candidates.

        Searches rings of growing radius around the vacancy: once the ``limit``-th best score
        inside a ring beats what any candidate beyond it could reach (the best skill score times
        the distance factor at the ring's edge), the rest of the country is never read.  The
        ring's ``limit``-th score also feeds the skill pruning of the next, wider ring.
        """
        if limit <= 0 or not self._store.row_of:
            return np.zeros(0, np.int64), np.zeros(0), np.zeros(0)
        self._follow_store()
        self._trim_pool()
        ceiling = sum(w.weight * w.best for w in q.wanted)
        ceiling = ceiling / q.total if q.wanted else 1.0
        rings: tuple[float, ...] = (RINGS_KM if q.lat is not None and q.radius > RINGS_KM[0]
                                    else (math.inf,))
        rings = rings[:next(i for i, r in enumerate(rings) if r >= q.radius) + 1]
        every, ends = self._bands(q, [*rings[:-1], math.inf])
        terms = self._terms(q)
        # each term's positions of every ring's bounds in the pool, in one call
        cuts = kernels.cut_positions(self._pool_rows, terms.starts, terms.ends, every)
        none = np.zeros(len(q.wanted), np.int64)
        needs = self._needs(q)
        found: Found | None = None
        inner, searched = 0.0, np.zeros(0, np.int64)  # the ring already searched, its bands
        for i, ring in enumerate(rings):
            last = i == len(rings) - 1
            # beyond the inner ring the distance factor is below f(inner): to enter the top a
            # new candidate needs a skill score of at least theta / f(inner)
            theta = 0.0
            if found is not None and len(found[0]) == limit:
                theta = float(found[1][-1]) / float(distance_factor(inner))
            if q.wanted:  # the delta's rows are searched with the first ring
                rows, skill = kernels.ring_sums(
                    self._pool_rows, self._pool_sims, cuts, ends[i], ends[i + 1],
                    ends[i - 1] if i else 0, ends[i] if i else 0,
                    terms.delta_lo if i == 0 else none, terms.delta_hi if i == 0 else none,
                    terms.weights, terms.uniform, terms.best, q.total, theta, self._scratch())
            else:
                rows, skill = self._all_rows(annulus(every[ends[i]:ends[i + 1]], searched))
            step = self._ranked(q, rows, skill, limit, needs)
            found = step if found is None else self._merge(found, step, limit)
            searched = every[ends[i]:ends[i + 1]]
            if last:
                return found[:3]
            inner = ring
            beyond = ceiling * distance_factor(ring)  # the best any farther candidate can do
            if len(found[0]) == limit and found[1][-1] >= beyond + _EPSILON:
                return found[:3]
        raise AssertionError("the last ring is unbounded")

    def _merge(self, a: Found, b: Found, limit: int) -> Found:
        """The ``limit`` best of two rings' best (:func:`kernels.merge_found`); a tie on the
        order key at the cut broken by id here."""
        rows, score, dist, order_key, settled = kernels.merge_found(*a, *b, limit)
        if settled:
            return rows, score, dist, order_key
        chosen = self._first(order_key, rows, limit)
        return rows[chosen], score[chosen], dist[chosen], order_key[chosen]

    def _ranked(self, q: Query, rows: IntArray, skill: FloatArray, limit: int,
                needs: Needs) -> Found:
        """The ``limit`` best of a ring's ``rows`` by their final score, from their skill:
        distance, commute, radius, hours, availability and requirements in one compiled
        call (:func:`kernels.ring_best`); a tie on the order key at the cut by id here."""
        delta = self._store.delta
        rows, score, dist, order_key, settled = kernels.ring_best(
            rows, skill, self._main_rows(), self._store.main.alive, delta.columns(),
            delta.alive, delta.base, math.nan if q.lat is None else q.lat,
            math.nan if q.lon is None else q.lon, q.radius, q.hours, q.start, *needs, limit,
            pilot_size(limit))
        if settled:
            return rows, score, dist, order_key
        chosen = self._first(order_key, rows, limit)
        return rows[chosen], score[chosen], dist[chosen], order_key[chosen]

    def _first(self, order_key: IntArray, rows: IntArray, k: int) -> IntArray:
        """Positions of the ``k`` first rows by ``order_key`` and then candidate id (so equal
        scores and registration times are ordered by id, whatever path found them)."""
        chosen: IntArray
        chosen, settled = kernels.first_positions(order_key, k)
        if settled or not len(chosen):
            return chosen
        keys = order_key[chosen]
        last = keys[-1]
        inside = int((keys == last).sum())
        if len(chosen) < len(order_key):
            tied = np.flatnonzero(order_key == last)
            if len(tied) > inside:  # the tie crosses the cut: the lowest ids go in
                ids = [id_order(self._store.id_of(r)) for r in rows[tied].tolist()]
                lowest = sorted(range(len(tied)), key=ids.__getitem__)[:inside]
                pick = tied[np.array(lowest, np.int64)]
                chosen = np.concatenate([chosen[keys < last], pick])
                keys = order_key[chosen]
        if len(keys) > 1 and bool((keys[1:] == keys[:-1]).any()):
            names = [id_order(self._store.id_of(r)) for r in rows[chosen].tolist()]
            order_keys = list(zip(keys.tolist(), names, strict=True))  # no numpy scalar each
            order = sorted(range(len(chosen)), key=order_keys.__getitem__)
            chosen = chosen[np.array(order, np.int64)]
        return chosen

    def _needs(self, q: Query) -> Needs:
        """The requirements as :func:`kernels.meeting` reads them: per requirement the span
        of its main rows in the pool (merged once per key set until the store merges) and
        its delta rows."""
        spans = []
        for keys in q.requirements:
            need = tuple(keys)
            span = self._need_spans.get(need)
            if span is None:
                if len(self._need_pool) > 2 * len(self._store.main.post_rows) + (1 << 20):
                    self._need_spans.clear()
                    self._need_pool = np.zeros(0, np.int32)
                main = self._store.main
                rows = np.unique(np.concatenate([main.postings(k) for k in keys])) if keys \
                    else np.zeros(0, np.int32)
                start = len(self._need_pool)
                self._need_pool = np.concatenate([self._need_pool, rows.astype(np.int32)])
                span = self._need_spans[need] = (start, len(self._need_pool))
            spans.append(span)
        delta: list[int] = []
        delta_ptr = [0]
        if self._store.delta.ids:
            postings = self._store.delta.postings()
            for keys in q.requirements:
                delta += [row for key in keys for row in postings.get(key, ())]
                delta_ptr.append(len(delta))
        else:
            delta_ptr *= len(q.requirements) + 1
        return (self._need_pool, np.array([a for a, _ in spans], np.int64),
                np.array([b for _, b in spans], np.int64), np.array(delta, np.int64),
                np.array(delta_ptr, np.int64))

    def explain(self, q: Query, row: int, dist: float,
                offers: list[tuple[int, int]] | None = None) -> Match:
        """The match with its evidence; the score is recomputed here in one fixed order, so
        it does not depend on which pruning path found the candidate (float sums).
        ``offers``: the row's (key id, text id) pairs when already read."""
        if offers is None:
            offers = self._store.offers(row)
        sims, texts = [0.0] * len(q.wanted), [-1] * len(q.wanted)  # per wanted term
        hits = q.hits
        for key, text in offers:  # on a tie the candidate's own first wording is named
            found = hits.get(key)
            if found:
                for j, sim in found:
                    if sim > sims[j]:
                        sims[j], texts[j] = sim, text
        matched, missing, weighted = [], [], 0.0
        named = self._table.texts
        for w, sim, text in zip(q.wanted, sims, texts, strict=True):
            if text >= 0:
                matched.append((w.text, named[text], sim))
                weighted += w.weight * sim
            else:
                missing.append(w.text)
        skill = weighted / q.total if q.wanted else 1.0
        if q.lat is None:
            factor = 1.0
        elif math.isnan(dist):
            factor = 1.0 - DISTANCE_WEIGHT
        else:
            factor = float(distance_factor(dist))
        factor, reasons = self._job_fit(q, row, offers, factor)
        return Match(self._store.id_of(row), min(max(skill * factor, 0.0), 1.0),
                     None if math.isnan(dist) else dist, matched, missing, reasons)

    def _job_fit(self, q: Query, row: int, offers: list[tuple[int, int]],
                 factor: float) -> tuple[float, list[tuple[str, str]]]:
        """The distance factor times the availability factor, and the reasons the job fits."""
        reasons: list[tuple[str, str]] = []
        if q.target_groups:
            groups = set(q.target_groups)
            reasons += [("target_group", self._table.texts[t])
                        for k, t in offers if k in groups][:1]
        if math.isnan(q.hours) and math.isnan(q.start):
            return factor, reasons
        _, available, low, high = self._store.job_of(row)
        if not math.isnan(q.hours) and not math.isnan(low):
            reasons.append(("hours", f"{low:g}-{high:g}"))
        if not math.isnan(q.start) and not math.isnan(available):
            late = max(available - q.start, 0.0)
            factor *= float(availability_factor(late))
            reasons.append(("available", "on time" if late == 0 else f"{late:g} days late"))
        return factor, reasons


def id_order(candidate_id: str) -> tuple[int, str]:
    """The order of ids among equal scores: shorter first, then alphabetically, so that
    numeric ids (the app's) go in numeric order ("9" before "10")."""
    return len(candidate_id), candidate_id


def pilot_size(limit: int) -> int:
    """How many rows of the highest skill a ranking scores first when a ring holds more than
    four times as many (a guess at enough to fill the top with eligible ones)."""
    return 8 * limit + 64


def annulus(bands: Any, inner: Any) -> Any:
    """The row ranges of ``bands`` outside ``inner`` (same ranges, each one inside its wider
    counterpart): per range, the rows below and above the inner one.  Works on arrays of
    bounds and on lists of positions alike (the same ranges, cut in a posting list)."""
    if not len(inner):
        return bands
    out = []
    for i in range(0, len(bands), 2):
        lo, hi = int(bands[i]), int(bands[i + 1])
        if i + 1 < len(inner):
            out += [lo, int(inner[i]), int(inner[i + 1]), hi]
        else:
            out += [lo, hi]
    return np.array(out, bands.dtype) if isinstance(bands, np.ndarray) else out
