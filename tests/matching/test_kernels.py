"""The compiled kernels against plain numpy references (the ranking's code before them).

Random pools of sorted posting lists, segments, thresholds and candidate columns; each case
is compared exactly: the kernels promise the same floats, summed in the same order.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from hansyn.matching import kernels
from hansyn.matching.profiles import (
    COMMUTE_TIERS_KM,
    DISTANCE_WEIGHT,
    availability_factor,
    distance_factor,
    haversine_km,
)

EPSILON = 1e-8


def make_terms(rng: np.random.Generator, n_rows: int, n_terms: int):
    """A pool of ``n_terms`` sorted posting lists of very different lengths, each either
    with one similarity (``uniform``) or one per row."""
    rows, sims, spans, uniform = [], [], [], []
    at = 0
    for t in range(n_terms):
        size = int(rng.integers(0, n_rows)) if t % 3 else int(rng.integers(0, n_rows // 20 + 1))
        chosen = np.sort(rng.choice(n_rows, size, replace=False)).astype(np.int32)
        one = t % 2 == 0
        values = np.full(size, 0.9) if one else rng.choice([0.5, 0.8, 0.92, 1.0], size)
        rows.append(chosen)
        sims.append(values)
        spans.append((at, at + size))
        uniform.append(0.9 if one else math.nan)
        at += size
    return (np.concatenate(rows), np.concatenate(sims), spans, np.array(uniform))


def segments(rng: np.random.Generator, pool_rows, spans, n_rows: int):
    """Each term's part of two random row ranges, as the ring plan gives them."""
    cuts = sorted(rng.choice(n_rows + 1, 4, replace=False).tolist())
    lo, hi, term = [], [], []
    for t, (a, b) in enumerate(spans):
        for x, y in ((cuts[0], cuts[1]), (cuts[2], cuts[3])):
            start = a + int(np.searchsorted(pool_rows[a:b], x))
            end = a + int(np.searchsorted(pool_rows[a:b], y))
            if end > start:
                lo.append(start)
                hi.append(end)
                term.append(t)
    return np.array(lo, np.int64), np.array(hi, np.int64), np.array(term, np.int64)


def reference_scores(pool_rows, pool_sims, lo, hi, term, weights, uniform, best, total, theta):
    """The numpy ranking's skill sums with MaxScore pruning, as it was before the kernel."""
    n_terms = len(weights)
    lists = []
    for t in range(n_terms):
        parts = [np.arange(a, b) for a, b, x in zip(lo, hi, term, strict=True) if x == t]
        at = np.concatenate(parts) if parts else np.zeros(0, np.int64)
        sims = np.full(len(at), uniform[t]) if not math.isnan(uniform[t]) else pool_sims[at]
        lists.append((pool_rows[at].astype(np.int64), sims))
    skipped, bound = [], 0.0
    for j in sorted(range(n_terms), key=lambda j: -len(lists[j][0])):
        top = weights[j] * best[j] / total
        if bound + top < theta - EPSILON:
            skipped.append(j)
            bound += top
    acc = np.zeros(int(pool_rows.max(initial=0)) + 1)
    seen: list[int] = []
    for j, (rows_j, sims_j) in enumerate(lists):
        if j not in skipped:
            acc[rows_j] += weights[j] * sims_j
            seen += rows_j.tolist()
    rows = np.array(sorted(set(seen)), np.int64)
    scores = acc[rows] / total
    if theta > 0:
        hopeful = scores + bound >= theta - EPSILON
        rows, scores = rows[hopeful], scores[hopeful]
    for j in skipped:
        found = dict(zip(lists[j][0].tolist(), lists[j][1].tolist(), strict=True))
        scores = scores + np.array([weights[j] * found.get(r, 0.0) / total
                                    for r in rows.tolist()])
    keep = scores >= theta - EPSILON
    return rows[keep], scores[keep]


@pytest.mark.parametrize("seed", range(40))
def test_ring_scores_equal_the_numpy_sums_with_and_without_pruning(seed):
    rng = np.random.default_rng(seed)
    n_rows, n_terms = 3000, int(rng.integers(1, 6))
    pool_rows, pool_sims, spans, uniform = make_terms(rng, n_rows, n_terms)
    lo, hi, term = segments(rng, pool_rows, spans, n_rows)
    weights = rng.choice([1.0, 2.0], n_terms)
    best = np.where(np.isnan(uniform), 1.0, uniform)
    total = float(weights.sum())
    acc = np.zeros(n_rows + 10)
    for theta in (0.0, 0.2, 0.45, 0.7):
        got_rows, got_scores = kernels.ring_scores(pool_rows, pool_sims, lo, hi, term, weights,
                                                   uniform, best, total, theta, acc)
        want_rows, want_scores = reference_scores(pool_rows, pool_sims, lo, hi, term, weights,
                                                  uniform, best, total, theta)
        order = np.argsort(got_rows)
        assert got_rows[order].tolist() == want_rows.tolist(), theta
        assert got_scores[order].tolist() == want_scores.tolist(), theta
        assert not acc.any(), "the scratch array must be zero again"


def test_ring_scores_look_up_skipped_terms_by_walk_and_by_scatter():
    """One rare term and one that holds nearly every row: at a high bar the long one is
    skipped and looked up (a walk: far more rows than needles); with the lists swapped in
    size the skipped list is short enough to scatter."""
    pool_rows = np.concatenate([np.array([5, 700, 1500], np.int32),
                                np.arange(0, 2000, dtype=np.int32)])
    pool_sims = np.concatenate([np.full(3, 1.0), np.where(np.arange(2000) % 2, 0.5, 1.0)])
    lo, hi, term = np.array([0, 3]), np.array([3, 2003]), np.array([0, 1])
    args = (np.array([2.0, 1.0]), np.array([1.0, math.nan]), np.array([1.0, 1.0]), 3.0)
    rows, scores = kernels.ring_scores(pool_rows, pool_sims, lo, hi, term, *args[:3], args[3],
                                       0.5, np.zeros(2100))
    assert rows.tolist() == [5, 700, 1500]
    assert scores.tolist() == [2.0 / 3.0 + 0.5 / 3.0, 2.0 / 3.0 + 1.0 / 3.0,
                               2.0 / 3.0 + 1.0 / 3.0]
    few = np.array([0, 3], np.int64), np.array([1, 10], np.int64)  # rows 0-6 of the long one
    rows, scores = kernels.ring_scores(pool_rows, pool_sims, few[0], few[1], term, *args[:3],
                                       args[3], 0.5, np.zeros(2100))
    assert rows.tolist() == [5]
    assert scores.tolist() == [2.0 / 3.0 + 0.5 / 3.0]


def reference_eligible(rows, skill, cols, alive, lat, lon, radius, hours, start):
    """The numpy ranking's eligibility and final score, as it was before the kernel."""
    c_lat, c_lon, commute, job = cols[rows, 0], cols[rows, 1], cols[rows, 2], cols[rows, 3:]
    ok = alive[rows].copy()
    if not math.isnan(lat):
        dist = haversine_km(lat, lon, c_lat, c_lon)
        unknown = np.isnan(dist)
        ok &= (dist <= commute) | unknown
        ok &= (dist <= radius) | (unknown & (radius == math.inf))
        factor = np.where(unknown, 1.0 - DISTANCE_WEIGHT, distance_factor(dist))
    else:
        dist, factor = np.full(len(rows), np.nan), np.ones(len(rows))
    if not math.isnan(hours):
        ok &= ~((job[:, 2] > hours) | (job[:, 3] < hours))
    if not math.isnan(start):
        factor = factor * availability_factor(np.nan_to_num(job[:, 1] - start))
    keep = np.flatnonzero(ok)
    score = skill[keep] * factor[keep]
    key = -(np.rint(score * 1e9).astype(np.int64) << 32) + job[keep, 0].astype(np.int64)
    return keep, score, dist[keep], key


@pytest.mark.parametrize("seed", range(20))
def test_eligible_scores_equal_the_numpy_filters(seed):
    rng = np.random.default_rng(seed)
    n, base = 400, 300  # rows from 300 on are the delta's
    cols = np.column_stack([
        rng.uniform(55.5, 58.5, n), rng.uniform(11.5, 16.0, n),
        rng.choice([15.0, 30.0, 60.0, math.inf], n),
        rng.integers(0, 10, n).astype(float),  # seniority: many ties
        np.where(rng.random(n) < 0.5, math.nan, rng.integers(9000, 9100, n)),
        np.where(rng.random(n) < 0.3, math.nan, rng.choice([10.0, 20.0], n)),
        np.where(rng.random(n) < 0.3, math.nan, rng.choice([30.0, 40.0], n))])
    cols[rng.random(n) < 0.1, :2] = math.nan  # no location
    alive = rng.random(n) > 0.1
    packed = np.zeros((base, 8))
    packed[:, :7] = cols[:base]
    rows = rng.choice(n, 250, replace=False).astype(np.int64)
    skill = rng.uniform(0.1, 1.0, len(rows))
    for lat, lon, radius, hours, start in [(57.7, 12.0, math.inf, math.nan, math.nan),
                                           (57.7, 12.0, 50.0, 35.0, 9050.0),
                                           (math.nan, math.nan, math.inf, 25.0, math.nan)]:
        got = kernels.eligible_scores(rows, skill, packed, alive[:base], cols[base:],
                                      alive[base:], base, lat, lon, radius, hours, start, 0.0)
        want = reference_eligible(rows, skill, cols, alive, lat, lon, radius, hours, start)
        assert got[0].tolist() == want[0].tolist()
        np.testing.assert_allclose(got[1], want[1], rtol=1e-12)
        np.testing.assert_allclose(got[2], want[2], rtol=1e-12)
        assert got[3].tolist() == want[3].tolist()
        # with a bar: exactly the rows that reach it stay, with the same figures
        bar = float(np.median(want[1]))
        barred = kernels.eligible_scores(rows, skill, packed, alive[:base], cols[base:],
                                         alive[base:], base, lat, lon, radius, hours, start,
                                         bar)
        reach = want[1] >= bar
        assert set(want[0][reach].tolist()) <= set(barred[0].tolist()) <= set(want[0].tolist())
        assert len(barred[0]) < len(want[0]) or math.isnan(lat)
        at = {p: i for i, p in enumerate(got[0].tolist())}
        assert [at[p] for p in barred[0].tolist()] == sorted(at[p] for p in barred[0].tolist())
        assert barred[1].tolist() == [got[1][at[p]] for p in barred[0].tolist()]


@pytest.mark.parametrize("seed", range(30))
def test_first_positions_are_the_smallest_keys_and_flag_ties(seed):
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, 40, int(rng.integers(1, 80))).astype(np.int64)
    k = int(rng.integers(1, len(keys) + 3))
    chosen, settled = kernels.first_positions(keys, k)
    expected = np.sort(keys)[:k]
    assert keys[chosen].tolist() == expected.tolist()
    assert len(set(chosen.tolist())) == len(chosen)
    last = expected[-1]
    crossing = int((keys == last).sum()) > int((expected == last).sum())
    repeated = len(set(expected.tolist())) < len(expected)
    assert settled == (not crossing and not repeated)


def reference_bands(lat, tier_start, rings, q_lat, radius):
    """The numpy ranking's ring bands, as they were before the kernel."""
    bounds = [[] for _ in rings]
    for tier, edge in enumerate(COMMUTE_TIERS_KM):
        lo, hi = int(tier_start[tier]), int(tier_start[tier + 1])
        for i, ring in enumerate(rings):
            reach = min(edge, radius, ring)
            a, b = lo, hi
            if not math.isnan(q_lat) and lo < hi and reach < math.inf:
                a = lo + int(np.searchsorted(lat[lo:hi], q_lat - reach / 111.0, "left"))
                b = lo + int(np.searchsorted(lat[lo:hi], np.nextafter(q_lat + reach / 111.0,
                                                                      np.inf), "left"))
            bounds[i] += [a, b]
    if radius == math.inf and rings[-1] == math.inf:
        bounds[-1] += [int(tier_start[-2]), int(tier_start[-1])]
    return bounds


@pytest.mark.parametrize(("q_lat", "radius"), [(57.7, math.inf), (57.7, 20.0), (math.nan,
                                                                                math.inf)])
def test_band_bounds_equal_the_numpy_searches(q_lat, radius):
    rng = np.random.default_rng(3)
    sizes = [50, 0, 80, 30, 60, 10]  # rows per commute tier; the last has no location
    lat = np.concatenate([np.sort(rng.uniform(55.0, 60.0, s)) for s in sizes[:-1]]
                         + [np.full(sizes[-1], math.nan)])
    lat[10] = 57.7 - 4.0 / 111.0  # a row exactly on the band's lower edge is inside
    lat[:50] = np.sort(lat[:50])
    tier_start = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    lat.setflags(write=False)  # as a memory-mapped index is
    rings = [4.0, 32.0, math.inf]
    flat, starts = kernels.band_bounds(lat, tier_start, np.array(COMMUTE_TIERS_KM),
                                       np.array(rings), q_lat, radius, 111.0)
    got = [flat[starts[i]:starts[i + 1]].tolist() for i in range(len(rings))]
    assert got == reference_bands(lat, tier_start, rings, q_lat, radius)


@pytest.mark.parametrize("seed", range(10))
def test_meeting_is_every_requirement_met_in_main_or_delta_rows(seed):
    rng = np.random.default_rng(seed)
    base = 500
    needs = [np.sort(rng.choice(base, int(rng.integers(0, 300)), replace=False))
             for _ in range(int(rng.integers(1, 4)))]
    deltas = [rng.choice(np.arange(base, base + 50), int(rng.integers(0, 10)), replace=False)
              for _ in needs]
    if seed == 0:
        needs[0], deltas[0] = needs[0][:0], deltas[0][:0]  # a requirement nobody meets
    pool = np.concatenate(needs).astype(np.int32)
    ends = np.cumsum([len(n) for n in needs])
    starts = ends - [len(n) for n in needs]
    delta_ptr = np.concatenate([[0], np.cumsum([len(d) for d in deltas])])
    rows = rng.choice(base + 50, 200, replace=False).astype(np.int64)
    got = kernels.meeting(rows, pool, starts.astype(np.int64), ends.astype(np.int64),
                          np.concatenate(deltas).astype(np.int64), delta_ptr.astype(np.int64))
    want = np.ones(len(rows), bool)
    for main, delta in zip(needs, deltas, strict=True):
        want &= np.isin(rows, main) | np.isin(rows, delta)
    assert got.tolist() == want.tolist()
    if seed == 0:
        assert not got.any()


def reference_merge(post_ptr, post_rows, keys, sims):
    """The numpy merge of a term's posting lists before the kernel: gathered, ordered by row
    and then by similarity downwards, the first of each row kept."""
    rows, values = [], []
    for key, sim in zip(keys.tolist(), sims.tolist(), strict=True):
        if key + 1 < len(post_ptr):
            found = post_rows[post_ptr[key]:post_ptr[key + 1]]
            rows.append(found)
            values.append(np.full(len(found), sim))
    rows = np.concatenate(rows or [np.zeros(0, np.int32)])
    values = np.concatenate(values or [np.zeros(0)])
    order = np.lexsort((-values, rows))
    rows, values = rows[order], values[order]
    first = np.ones(len(rows), bool)
    first[1:] = rows[1:] != rows[:-1]
    return rows[first], values[first]


@pytest.mark.parametrize("seed", range(20))
def test_merged_postings_are_each_row_once_with_its_best_similarity(seed):
    rng = np.random.default_rng(seed)
    lists = [np.sort(rng.choice(300, int(rng.integers(0, 60)), replace=False)).astype(np.int32)
             for _ in range(12)]
    post_ptr = np.concatenate([[0], np.cumsum([len(x) for x in lists])]).astype(np.int64)
    post_rows = np.concatenate(lists)
    post_rows.setflags(write=False)  # as a memory-mapped index's are
    # keys past the last posting list (added since the index was built) have no rows
    keys = rng.choice(15, int(rng.integers(0, 8)), replace=False).astype(np.int64)
    sims = rng.choice([0.5, 0.8, 0.92, 1.0], len(keys))
    rows, best = kernels.merged_postings(post_ptr, post_rows, keys, sims)
    want_rows, want_best = reference_merge(post_ptr, post_rows, keys, sims)
    assert rows.tolist() == want_rows.tolist()
    assert best.tolist() == want_best.tolist()
