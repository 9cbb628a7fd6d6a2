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

from hansyn.matching.keys import KeyTable, group_key
from hansyn.matching.profiles import (
    COMMUTE_TIERS_KM,
    DESIRED_WEIGHT,
    DISTANCE_WEIGHT,
    REQUIRED_WEIGHT,
    BoolArray,
    FloatArray,
    IntArray,
    Match,
    RowArray,
    Sims,
    VacancyProfile,
    availability_factor,
    day_number,
    distance_factor,
    haversine_km,
)
from hansyn.matching.store import IndexStore

__all__ = ["Query", "Ranker", "WantedTerm"]

KM_PER_DEGREE_LAT = 111.0  # a little under the true 111.19, so the band errs on the wide side
RINGS_KM = (4.0, 32.0, math.inf)  # fewer rings: each costs a fixed ~0.1 ms of numpy calls
_EPSILON = 1e-8
_SCORE_QUANTUM = 1e9  # scores equal to 1e-9 are ties (see Ranker._order_key)


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

    def __post_init__(self) -> None:
        self.hits = {}
        for j, w in enumerate(self.wanted):
            for key, sim in w.keys:
                self.hits.setdefault(key, []).append((j, sim))



class Ranker:
    """Ranks the candidates of an :class:`IndexStore` whose key ids a :class:`KeyTable` holds.

    Keeps the merged posting list of each wanted term (for the main segment until the next
    merge, for the delta until the next addition) and a scratch array for the sums.
    """

    def __init__(self, store: IndexStore, table: KeyTable) -> None:
        self._store = store
        self._table = table
        self._term_cache: dict[tuple[str, int], tuple[RowArray, Sims]] = {}
        self._delta_term_cache: dict[tuple[str, int], tuple[RowArray, FloatArray]] = {}
        self._need_cache: dict[tuple[int, ...], RowArray] = {}  # key ids -> main rows
        self._seen = (-1, -1)  # (merges, delta rows) the caches were filled at
        self._scratch_acc = np.zeros(0)
        self._scratch_pos = np.zeros(0, np.int32)

    def rank(self, vacancy: VacancyProfile, limit: int) -> list[Match]:
        """The ``limit`` best eligible candidates, best first, each with its explanation."""
        query = self.query(vacancy)
        rows, _, dists = self.top(query, limit)
        return [self.explain(query, r, d)
                for r, d in zip(rows.tolist(), dists.tolist(), strict=True)]

    def _follow_store(self) -> None:
        """Drop cached posting lists the store's merges and additions made stale."""
        state = (self._store.compactions, len(self._store.delta.ids))
        if state != self._seen:
            if state[0] != self._seen[0]:
                self._term_cache.clear()
                self._need_cache.clear()
            self._delta_term_cache.clear()
            self._seen = state

    def query(self, v: VacancyProfile) -> Query:
        wanted: dict[str, WantedTerm] = {}  # by term key: two spellings of one term count once
        for texts, weight in ((v.required_skills, REQUIRED_WEIGHT),
                              (v.desired_skills, DESIRED_WEIGHT)):
            for text in texts:
                if text.strip():
                    term_key, identity, keys = self._table.related(text)
                    wanted.setdefault(term_key, WantedTerm(text, identity, weight, keys))
        for text in v.desired_languages:
            if text.strip():
                term_key, identity, keys = self._table.related(text)
                wanted.setdefault(term_key, WantedTerm(text, identity, DESIRED_WEIGHT, keys))
        requirements = [[k for k, _ in self._table.related(t)[2]]
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

    def _bands(self, q: Query, rings: list[float]) -> list[IntArray]:
        """Per ring, the row ranges ``[a0, b0, a1, b1, ...]`` of the main segment that can
        hold eligible rows no farther than the ring's km from the vacancy: one binary search
        per tier and side for all rings."""
        main = self._store.main
        bounds: list[list[int]] = [[] for _ in rings]
        for tier, edge in enumerate(COMMUTE_TIERS_KM):
            lo, hi = int(main.tier_start[tier]), int(main.tier_start[tier + 1])
            reach = [min(edge, q.radius, ring) for ring in rings]
            lows, highs = [lo] * len(rings), [hi] * len(rings)
            if q.lat is not None and lo < hi and reach[0] < math.inf:
                near = [r for r in reach if r < math.inf]  # rings widen: a prefix is finite
                dlat = np.array(near) / KM_PER_DEGREE_LAT
                # the first latitude above x is the first one at least nextafter(x): one search
                needles = np.concatenate([q.lat - dlat, np.nextafter(q.lat + dlat, np.inf)])
                found = (lo + np.searchsorted(main.lat[lo:hi], needles, "left")).tolist()
                lows[:len(near)], highs[:len(near)] = found[:len(near)], found[len(near):]
            for i in range(len(rings)):
                bounds[i] += [lows[i], highs[i]]
        if q.radius == math.inf and rings[-1] == math.inf:  # no location: only when unlimited
            bounds[-1] += [int(main.tier_start[-2]), int(main.tier_start[-1])]
        return [np.array(b, np.int32) for b in bounds]  # the postings' dtype: no conversion

    def _ensure_scratch(self) -> None:
        n = self._store.delta.base + len(self._store.delta.ids)
        if len(self._scratch_acc) < n:
            size = n + max(1024, n // 8)
            self._scratch_acc = np.zeros(size)
            self._scratch_pos = np.zeros(size, np.int32)

    def _term_main(self, w: WantedTerm) -> tuple[RowArray, Sims]:
        """One sorted posting list per wanted term: rows offering any related key, with the
        best similarity (a scalar when all are alike); merged once per term, then cached."""
        if len(w.keys) <= 1:
            key, sim = w.keys[0] if w.keys else (len(self._table.keys), 0.0)
            return self._store.main.postings(key), sim
        cache_key = (w.term_key, len(w.keys))
        cached = self._term_cache.get(cache_key)
        if cached is not None:
            return cached
        rows, sims = self._store.main.gather(w.keys)
        order = np.lexsort((-sims, rows))
        rows, sims = rows[order], sims[order]
        first = np.ones(len(rows), bool)
        first[1:] = rows[1:] != rows[:-1]
        if len(self._term_cache) >= 4096:
            self._term_cache.clear()
        merged = self._term_cache[cache_key] = (rows[first], sims[first])
        return merged

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

    def _term_rows(self, w: WantedTerm, cuts: list[int]) -> tuple[RowArray, Sims]:
        """The term's rows between pairs of ``cuts`` (positions in its main posting list) plus
        its delta rows, each once, with similarity."""
        rows, sims = self._term_main(w)
        parts: list[tuple[RowArray, Sims]] = [
            (rows[a:b], sims if isinstance(sims, float) else sims[a:b])
            for a, b in zip(cuts[::2], cuts[1::2], strict=True) if b > a]
        if self._store.delta.ids:
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

    def _skill_scores(self, q: Query, cuts: list[list[int]],
                      theta: float) -> tuple[IntArray, FloatArray]:
        """Rows in the bands (``cuts``: each term's positions of their bounds) whose weighted
        skill score in (0, 1] can reach ``theta``.

        MaxScore pruning: the largest posting lists whose summed best contributions stay below
        ``theta`` are not enumerated; rows only in them cannot reach the top.  They are looked
        up (binary search) for the rows that other lists bring in.
        """
        self._ensure_scratch()
        total = sum(w.weight for w in q.wanted)
        lists = [self._term_rows(w, c) for w, c in zip(q.wanted, cuts, strict=True)]
        skipped, bound = [], 0.0
        for j in sorted(range(len(q.wanted)), key=lambda j: -len(lists[j][0])):
            top = q.wanted[j].weight * q.wanted[j].best / total
            if bound + top < theta - _EPSILON:
                skipped.append(j)
                bound += top
        acc, touched = self._scratch_acc, []
        for j, (rows_j, sims_j) in enumerate(lists):
            if j not in skipped and len(rows_j):
                acc[rows_j] += q.wanted[j].weight * sims_j  # rows are unique within a term
                touched.append(rows_j)
        if len(touched) == 1:  # rows are unique within a term
            rows = touched[0]
        else:
            every = np.concatenate(touched) if touched else np.zeros(0, np.int32)
            pos, at = self._scratch_pos, np.arange(len(every), dtype=np.int32)
            pos[every] = at
            rows = every[pos[every] == at]
        scores = acc[rows] / total
        acc[rows] = 0.0
        if theta > 0:  # drop rows that cannot reach theta even with every skipped term
            hopeful = np.flatnonzero(scores + bound >= theta - _EPSILON)
            rows, scores = rows[hopeful], scores[hopeful]
        if skipped:
            order = np.argsort(rows)  # sorted needles make the binary searches cache-friendly
            rows, scores = rows[order], scores[order]
        for j in skipped:  # needles lie in the bands: the term's rows there are enough
            hay, sims = lists[j]
            if len(hay) <= 8 * len(rows):  # a scatter and a gather beat binary searches
                acc[hay] = sims
                found = acc[rows]
                acc[hay] = 0.0
            else:
                found = lookup(hay, sims, rows)
            scores += q.wanted[j].weight * found / total
        keep = np.flatnonzero(scores >= theta - _EPSILON)
        return rows[keep].astype(np.int64), scores[keep]

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
        ceiling = sum(w.weight * w.best for w in q.wanted)
        ceiling = ceiling / sum(w.weight for w in q.wanted) if q.wanted else 1.0
        rings: tuple[float, ...] = (RINGS_KM if q.lat is not None and q.radius > RINGS_KM[0]
                                    else (math.inf,))
        rings = rings[:next(i for i, r in enumerate(rings) if r >= q.radius) + 1]
        bands = self._bands(q, [*rings[:-1], math.inf])
        # each term's positions of every ring's bounds in its posting list, in one search
        every = np.concatenate(bands)
        ends = np.cumsum([0, *(len(b) for b in bands)]).tolist()
        term_cuts = [np.searchsorted(self._term_main(w)[0], every).tolist() for w in q.wanted]
        found: tuple[IntArray, FloatArray, FloatArray] | None = None
        inner, searched = 0.0, np.zeros(0, np.int64)  # the ring already searched, its bands
        for i, ring in enumerate(rings):
            last = i == len(rings) - 1
            # beyond the inner ring the distance factor is below f(inner): to enter the top a
            # new candidate needs a skill score of at least theta / f(inner)
            theta = 0.0
            if found is not None and len(found[0]) == limit:
                theta = float(found[1][-1]) / float(distance_factor(inner))
            cuts = [annulus(c[ends[i]:ends[i + 1]], c[ends[i - 1]:ends[i]] if i else [])
                    for c in term_cuts]
            step = self._ranked(q, annulus(bands[i], searched), cuts, theta, limit)
            found = step if found is None else self._merge(found, step, limit)
            searched = bands[i]
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
        seniority = self._store.seniority(rows)
        chosen = self._first(self._order_key(score, seniority), rows, limit)
        return rows[chosen], score[chosen], dist[chosen]

    def _ranked(self, q: Query, bounds: IntArray, cuts: list[list[int]], theta: float,
                limit: int) -> tuple[IntArray, FloatArray, FloatArray]:
        rows, skill = self._skill_scores(q, cuts, theta) if q.wanted else self._all_rows(bounds)
        pilot = pilot_size(limit)
        if len(rows) > 4 * pilot:
            # the skill score bounds the final one: once the best of the ``pilot`` rows with
            # the highest skill give a limit-th score, rows of less skill cannot enter
            first = np.argpartition(-skill, pilot - 1)[:pilot]
            found = self._scored(q, rows[first], skill[first], limit)
            if len(found[0]) == limit:
                near = np.flatnonzero(skill >= float(found[1][-1]) - _EPSILON)
                rows, skill = rows[near], skill[near]
        return self._scored(q, rows, skill, limit)

    def _scored(self, q: Query, rows: IntArray, skill: FloatArray,
                limit: int) -> tuple[IntArray, FloatArray, FloatArray]:
        """The ``limit`` best eligible of ``rows`` by their final score, from their skill."""
        lat, lon, commute, alive, job = self._store.columns(rows)
        if q.lat is not None:
            dist = haversine_km(q.lat, q.lon, lat, lon)
            unknown = np.isnan(dist)
            ok = alive & ((dist <= commute) | unknown)
            ok &= (dist <= q.radius) | (unknown & (q.radius == math.inf))
            # an unknown distance counts as the far end of the scale, behind any known one
            factor = np.where(unknown, 1.0 - DISTANCE_WEIGHT, distance_factor(dist))
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
        chosen = smallest(order_key, k)
        if not len(chosen):
            return chosen
        keys = order_key[chosen]
        last = keys[-1]
        inside = int((keys == last).sum())
        if len(chosen) < len(order_key):
            tied = np.flatnonzero(order_key == last)
            if len(tied) > inside:  # the tie crosses the cut: the lowest ids go in
                ids = np.array([self._store.id_of(r) for r in rows[tied].tolist()])
                pick = tied[np.argsort(ids, kind="stable")[:inside]]
                chosen = np.concatenate([chosen[keys < last], pick])
                keys = order_key[chosen]
        if len(keys) > 1 and bool((keys[1:] == keys[:-1]).any()):
            names = [self._store.id_of(r) for r in rows[chosen].tolist()]
            order = sorted(range(len(chosen)), key=lambda i: (int(keys[i]), names[i]))
            chosen = chosen[np.array(order, np.int64)]
        return chosen

    def _best(self, q: Query, rows: IntArray, order_key: IntArray, limit: int) -> IntArray:
        """Positions of the ``limit`` first rows by ``order_key`` that meet the requirements."""
        first = self._first(order_key, rows, min(len(rows), 4 * limit + 16))
        ok = self._meets(q, rows[first])
        if ok.sum() >= limit or len(first) == len(rows):
            return first[ok][:limit]
        passing = np.flatnonzero(self._meets(q, rows))
        return passing[self._first(order_key[passing], rows[passing], limit)]

    def _meets(self, q: Query, rows: IntArray) -> BoolArray:
        ok = np.ones(len(rows), bool)
        for keys in q.requirements:
            if not keys:
                return np.zeros(len(rows), bool)
            ok &= self._has_any(keys, rows)
        return ok

    def _has_any(self, keys: list[int], rows: IntArray) -> BoolArray:
        """Which of ``rows`` offer any of ``keys``: one binary search in their merged posting
        list (merged once per key set until the next merge of the store)."""
        need = tuple(keys)
        postings = self._need_cache.get(need)
        if postings is None:
            if len(self._need_cache) >= 256:
                self._need_cache.clear()
            postings = self._need_cache[need] = np.unique(np.concatenate(
                [self._store.main.postings(key) for key in keys]))
        has = np.zeros(len(rows), bool)
        if len(postings):
            needles = rows.astype(np.int32)  # else numpy converts the whole posting list
            at = np.minimum(np.searchsorted(postings, needles), len(postings) - 1)
            has = postings[at] == needles
        if self._store.delta.ids:
            delta = self._store.delta.postings()
            extra = [row for key in keys for row in delta.get(key, ())]
            if extra:
                has |= np.isin(rows, extra)
        return has

    def explain(self, q: Query, row: int, dist: float) -> Match:
        """The match with its evidence; the score is recomputed here in one fixed order, so
        it does not depend on which pruning path found the candidate (float sums)."""
        offers = self._store.offers(row)
        matched, missing, weighted = [], [], 0.0
        bests = [(0.0, -1)] * len(q.wanted)  # per wanted term: similarity, text id
        for key, text in offers:  # on a tie the candidate's own first wording is named
            for j, sim in q.hits.get(key, ()):
                if sim > bests[j][0]:
                    bests[j] = (sim, text)
        for w, best in zip(q.wanted, bests, strict=True):
            if best[1] >= 0:
                matched.append((w.text, self._table.texts[best[1]], best[0]))
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
        return Match(self._store.id_of(row), min(max(skill * factor, 0.0), 1.0),
                     None if math.isnan(dist) else dist, matched, missing, reasons)

    def _job_fit(self, q: Query, row: int, offers: list[tuple[int, int]],
                 factor: float) -> tuple[float, list[tuple[str, str]]]:
        """The distance factor times the availability factor, and the reasons the job fits."""
        _, available, low, high = self._store.job_of(row)
        reasons: list[tuple[str, str]] = []
        groups = set(q.target_groups)
        reasons += [("target_group", self._table.texts[t]) for k, t in offers if k in groups][:1]
        if not math.isnan(q.hours) and not math.isnan(low):
            reasons.append(("hours", f"{low:g}-{high:g}"))
        if not math.isnan(q.start) and not math.isnan(available):
            late = max(available - q.start, 0.0)
            factor *= float(availability_factor(late))
            reasons.append(("available", "on time" if late == 0 else f"{late:g} days late"))
        return factor, reasons


def pilot_size(limit: int) -> int:
    """How many rows of the highest skill a ranking scores first when a ring holds more than
    four times as many (a guess at enough to fill the top with eligible ones)."""
    return 8 * limit + 64


def lookup(rows: RowArray, sims: Sims, needles: RowArray) -> FloatArray:
    """The similarity of each of the sorted ``needles`` in a sorted posting list with its
    similarities (0 where the row is not in it)."""
    got = np.zeros(len(needles))
    if len(rows):
        at = np.minimum(np.searchsorted(rows, needles), len(rows) - 1)
        hit = rows[at] == needles
        got[hit] = sims if isinstance(sims, float) else sims[at[hit]]
    return got


def smallest(values: IntArray, k: int) -> IntArray:
    """Positions of the ``k`` smallest values, in ascending order of value."""
    if k <= 0:
        return np.zeros(0, np.int64)
    if k < len(values):
        part = np.argpartition(values, k - 1)[:k]
        return part[np.argsort(values[part], kind="stable")]
    return np.argsort(values, kind="stable")


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
