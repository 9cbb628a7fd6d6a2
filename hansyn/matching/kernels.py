"""Compiled inner loops of a ranking (numba): the parts that touch every posting in a ring,
and the array work of resolving a text the index has not seen (cosines with every form, the
slip prefilter, a term's posting-list merge, the typo search's letter-count filter).

A ranking at a million candidates spends its time in a few loops over tens of thousands of
rows: summing each wanted term's similarity into a scratch array, looking up the terms
MaxScore skipped, and scoring distance, commute and working time. In numpy each of those is
several passes with temporary arrays; here each is one pass. :mod:`hansyn.matching.ranking`
decides what to search and calls these; the tests compare them with the numpy reference
(``tests/matching/test_kernels.py``).

The loops are written out on purpose: numba compiles a helper that takes arrays, or an array
chosen by a conditional expression, into much slower code. ``cache=True`` keeps the machine
code beside the module (or in ``NUMBA_CACHE_DIR``; where the package is not writable and
that is not set, in the temporary directory), so a new process loads it instead of compiling.
Importing this module compiles or loads them all (:func:`warm`), one process at a time:
numba's cache is not safe for two processes writing and reading it at once (numba
issues 4807 and 10128; two test workers on a fresh checkout crashed on it), so the first
process compiles and writes the cache while the others wait on a file lock, then load it.
"""

from __future__ import annotations

import contextlib
import fcntl
import math
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numba
import numpy as np
from numba import njit

from hansyn.matching.profiles import (
    AVAILABILITY_HALF_DAYS,
    AVAILABILITY_WEIGHT,
    DISTANCE_HALF_KM,
    DISTANCE_WEIGHT,
    EARTH_RADIUS_KM,
)

__all__ = ["PACKED_COLUMNS", "band_bounds", "cut_positions", "eligible_scores",
           "first_positions", "meeting", "merge_found", "merged_postings", "near_cosines",
           "ring_best", "ring_plan", "ring_scores", "ring_sums", "slip_masks", "warm",
           "within_bag"]

if not numba.config.CACHE_DIR and not os.access(  # type: ignore[attr-defined]
        Path(__file__).parent, os.W_OK):
    # an installed package the server's user may not write to: numba would try the user's
    # home next, and refuse to import the module if that is not writable either
    numba.config.CACHE_DIR = str(  # type: ignore[attr-defined]
        Path(tempfile.gettempdir()) / "hansyn-numba-cache")

# the main segment's per-row columns the eligibility loop reads, packed in one cache line
PACKED_COLUMNS = ("lat", "lon", "commute", "seniority", "available", "hours_min", "hours_max")
_EPSILON = 1e-8
_LOOSE = 1e-6  # far wider than float error: a bound that skips a row must be a sure one
_SCORE_QUANTUM = 1e9
_SCATTER_RATIO = 8  # a scatter and a gather beat binary searches up to this many per needle


@njit(cache=True, nogil=True, inline="always")
def first_at_least(values: Any, lo: int, hi: int, x: Any) -> int:
    """The first position in the sorted ``values[lo:hi]`` whose value is at least ``x``
    (``hi`` when none is)."""
    while lo < hi:
        mid = (lo + hi) >> 1
        if values[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True, nogil=True)
def band_bounds(lat: Any, tier_start: Any, edges: Any, rings: Any, q_lat: float,
                radius: float, per_degree: float) -> Any:
    """Per ring, the main segment's row ranges that can hold eligible rows no farther than
    the ring's km from the vacancy (``q_lat`` NaN: no location), as one flat array of
    ``[a0, b0, a1, b1, ...]`` per ring and the ring's start in it.

    Rows are sorted by commute tier (``edges``: each tier's largest commute, the last tier
    without a location) and then by latitude: per tier, the latitude band within
    ``min(tier edge, radius, ring)`` is two binary searches. Without a limit the whole tier;
    the unlimited last ring also takes the rows without a location when the radius is.
    """
    n_rings, n_tiers = len(rings), len(edges)
    extra = 2 if radius == math.inf and rings[n_rings - 1] == math.inf else 0
    flat = np.empty(n_rings * 2 * n_tiers + extra, np.int64)
    starts = np.empty(n_rings + 1, np.int64)
    n = 0
    for i in range(n_rings):
        starts[i] = n
        for tier in range(n_tiers):
            lo, hi = tier_start[tier], tier_start[tier + 1]
            a, b = lo, hi
            reach = min(edges[tier], radius, rings[i])
            if q_lat == q_lat and lo < hi and reach < math.inf:
                dlat = reach / per_degree
                # the first latitude above x is the first one at least nextafter(x)
                a = first_at_least(lat, lo, hi, q_lat - dlat)
                b = first_at_least(lat, lo, hi, np.nextafter(q_lat + dlat, np.inf))
            flat[n], flat[n + 1] = a, b
            n += 2
    if extra:
        flat[n], flat[n + 1] = tier_start[n_tiers], tier_start[n_tiers + 1]
        n += 2
    starts[n_rings] = n
    return flat, starts


@njit(cache=True, nogil=True)
def first_positions(keys: Any, k: int) -> Any:
    """Positions of the ``k`` smallest ``keys`` in ascending order (equal keys by position),
    and whether that is the whole story: no key equal to the last one chosen is left out,
    and no two chosen keys are equal. When not, the caller orders ties by candidate id."""
    n = len(keys)
    if k <= 0 or n == 0:
        return np.zeros(0, np.int64), True
    if k >= n:
        chosen = np.argsort(keys, kind="mergesort")
        settled = True
    else:
        kth = np.partition(keys.copy(), k - 1)[k - 1]
        chosen = np.empty(k, np.int64)
        m, equal = 0, 0
        for i in range(n):
            if keys[i] < kth:
                chosen[m] = i
                m += 1
            elif keys[i] == kth:
                equal += 1
        settled = equal == k - m
        for i in range(n):
            if m == k:
                break
            if keys[i] == kth:
                chosen[m] = i
                m += 1
        chosen = chosen[np.argsort(keys[chosen], kind="mergesort")]
    for i in range(1, len(chosen)):
        if keys[chosen[i]] == keys[chosen[i - 1]]:
            settled = False
            break
    return chosen, settled


@njit(cache=True, nogil=True)
def cut_positions(pool_rows: Any, starts: Any, ends: Any, bounds: Any) -> Any:
    """``cuts[t, b]``: the position in the pool of the first row >= ``bounds[b]`` within
    term ``t``'s sorted span ``[starts[t], ends[t])``."""
    cuts = np.empty((len(starts), len(bounds)), np.int64)
    for t in range(len(starts)):
        for b in range(len(bounds)):
            cuts[t, b] = first_at_least(pool_rows, starts[t], ends[t], bounds[b])
    return cuts


@njit(cache=True, nogil=True)
def ring_plan(cuts: Any, a0: int, a1: int, p0: int, p1: int,
              delta_lo: Any, delta_hi: Any) -> Any:
    """The pool segments a ring reads, per term: its positions of the ring's row ranges
    (``cuts[:, a0:a1]``, pairs) without those of the ring searched before (``cuts[:, p0:p1]``,
    the same ranges narrower; the ring's extra ranges have no inner counterpart), then the
    term's delta segment when ``delta_hi > delta_lo``. Returns (lo, hi, term) per segment."""
    n_terms, pairs, inner = cuts.shape[0], (a1 - a0) // 2, (p1 - p0) // 2
    most = n_terms * (2 * pairs + 1)
    lo, hi, term = np.empty(most, np.int64), np.empty(most, np.int64), np.empty(most, np.int64)
    n = 0
    for t in range(n_terms):
        for k in range(pairs):
            a, b = cuts[t, a0 + 2 * k], cuts[t, a0 + 2 * k + 1]
            if k < inner:
                ia, ib = cuts[t, p0 + 2 * k], cuts[t, p0 + 2 * k + 1]
                if ia > a:
                    lo[n], hi[n], term[n] = a, ia, t
                    n += 1
                if b > ib:
                    lo[n], hi[n], term[n] = ib, b, t
                    n += 1
            elif b > a:
                lo[n], hi[n], term[n] = a, b, t
                n += 1
        if delta_hi[t] > delta_lo[t]:
            lo[n], hi[n], term[n] = delta_lo[t], delta_hi[t], t
            n += 1
    return lo[:n], hi[:n], term[:n]


@njit(cache=True, nogil=True)
def ring_scores(pool_rows: Any, pool_sims: Any, seg_lo: Any, seg_hi: Any, seg_term: Any,
                weights: Any, uniform: Any, best: Any, total: float, theta: float,
                acc: Any) -> Any:
    """Rows in the segments whose weighted skill score (sum of weight x similarity over the
    terms, divided by ``total``) can reach ``theta``, with that score.

    MaxScore: the terms with the longest lists whose best contributions together stay below
    ``theta`` are not enumerated (a row only in them cannot reach it); they are looked up for
    the rows the other terms bring in. ``uniform[t]`` is term ``t``'s one similarity, NaN when
    its sims are per row. ``acc`` is a zeroed scratch array as long as the rows; it is zero
    again on return. The sums run in the order of the numpy reference (term by term, skipped
    terms last in the order they were skipped), so the scores are the same floats.
    """
    n_terms = len(weights)
    length = np.zeros(n_terms, np.int64)
    for s in range(len(seg_lo)):
        length[seg_term[s]] += seg_hi[s] - seg_lo[s]
    skipped = np.zeros(n_terms, np.bool_)
    skip_order = np.empty(n_terms, np.int64)
    n_skipped, bound = 0, 0.0
    for t in np.argsort(-length, kind="mergesort"):  # stable: ties keep the terms' order
        top = weights[t] * best[t] / total
        if bound + top < theta - _EPSILON:
            skipped[t] = True
            skip_order[n_skipped] = t
            n_skipped += 1
            bound += top
    capacity = 0
    for t in range(n_terms):
        if not skipped[t]:
            capacity += length[t]
    rows = np.empty(capacity, np.int64)
    n = 0
    for s in range(len(seg_lo)):
        t = seg_term[s]
        if skipped[t]:
            continue
        w, u = weights[t], uniform[t]
        if u == u:  # one similarity for the whole list
            c = w * u
            if c == 0.0:
                continue
            for p in range(seg_lo[s], seg_hi[s]):
                r = pool_rows[p]
                if acc[r] == 0.0:
                    rows[n] = r
                    n += 1
                acc[r] += c
        else:
            for p in range(seg_lo[s], seg_hi[s]):
                c = w * pool_sims[p]
                if c == 0.0:
                    continue
                r = pool_rows[p]
                if acc[r] == 0.0:
                    rows[n] = r
                    n += 1
                acc[r] += c
    scores = np.empty(n, np.float64)
    kept = 0
    for i in range(n):
        r = rows[i]
        score = acc[r] / total
        acc[r] = 0.0
        if theta <= 0 or score + bound >= theta - _EPSILON:
            rows[kept], scores[kept] = r, score
            kept += 1
    rows, scores = rows[:kept], scores[:kept]
    if n_skipped == 0:
        return rows, scores
    order = np.argsort(rows)  # sorted needles: the look-ups walk each list once
    rows, scores = rows[order], scores[order]
    for k in range(n_skipped):
        t = skip_order[k]
        w, u, hay = weights[t], uniform[t], length[t]
        if hay <= _SCATTER_RATIO * kept:  # scatter the list, gather at the needles
            for s in range(len(seg_lo)):
                if seg_term[s] == t:
                    for p in range(seg_lo[s], seg_hi[s]):
                        acc[pool_rows[p]] = pool_sims[p] if u != u else u
            for i in range(kept):
                scores[i] += w * acc[rows[i]] / total
            for s in range(len(seg_lo)):
                if seg_term[s] == t:
                    for p in range(seg_lo[s], seg_hi[s]):
                        acc[pool_rows[p]] = 0.0
            continue
        # galloping walk: needles and the term's segments both ascend
        s, pos = 0, -1
        for i in range(kept):
            x = rows[i]
            while s < len(seg_lo) and (seg_term[s] != t or seg_hi[s] <= seg_lo[s]
                                       or pool_rows[seg_hi[s] - 1] < x):
                s, pos = s + 1, -1
            if s == len(seg_lo):
                break
            if pos < 0:
                pos = seg_lo[s]
            end, step = seg_hi[s], 1
            while pos + step < end and pool_rows[pos + step] < x:
                step <<= 1
            pos = first_at_least(pool_rows, pos + (step >> 1), min(pos + step, end), x)
            if pool_rows[pos] == x:  # pos < end: the segment's last row is >= x
                scores[i] += w * (u if u == u else pool_sims[pos]) / total
    final = 0
    for i in range(kept):
        if scores[i] >= theta - _EPSILON:
            rows[final], scores[final] = rows[i], scores[i]
            final += 1
    return rows[:final], scores[:final]


@njit(cache=True, nogil=True)
def ring_sums(pool_rows: Any, pool_sims: Any, cuts: Any, a0: int, a1: int, p0: int, p1: int,
              delta_lo: Any, delta_hi: Any, weights: Any, uniform: Any, best: Any,
              total: float, theta: float, acc: Any) -> Any:
    """:func:`ring_plan` then :func:`ring_scores`: one call from Python per ring."""
    lo, hi, term = ring_plan(cuts, a0, a1, p0, p1, delta_lo, delta_hi)
    return ring_scores(pool_rows, pool_sims, lo, hi, term, weights, uniform, best, total,
                       theta, acc)


@njit(cache=True, nogil=True)
def eligible_scores(rows: Any, skill: Any, packed: Any, alive: Any, delta_cols: Any,
                    delta_alive: Any, base: int, lat: float, lon: float, radius: float,
                    hours: float, start: float, bar: float) -> Any:
    """Of ``rows`` with their skill score, those the vacancy may rank: alive, within their
    commute and the vacancy's radius, with hours that fit; and for each the final score
    (skill x distance factor x availability factor), the distance (NaN when unknown) and the
    ascending order key: the score rounded to 1e-9 (equal scores are ties), then the minutes
    registered (the longest registered first; ``Ranker._first`` then orders by id).
    ``lat`` NaN: the vacancy has no location; ``hours``/``start`` NaN: not asked. Main rows
    read ``packed`` (``PACKED_COLUMNS``), delta rows ``delta_cols`` (lat, lon, commute and
    the job columns).

    Rows whose final score cannot reach ``bar`` are left out early: the distance is at least
    the difference in latitude along a meridian, so the skill times the distance factor at
    that distance bounds the score without the trigonometry (``bar`` 0: keep all)."""
    n = len(rows)
    keep = np.empty(n, np.int64)
    score = np.empty(n, np.float64)
    dist = np.empty(n, np.float64)
    key = np.empty(n, np.int64)
    located = lat == lat
    p1 = math.radians(lat)
    cos_p1 = math.cos(p1)
    lam1 = math.radians(lon)
    m = 0
    for i in range(n):
        r = rows[i]
        if r < base:
            if not alive[r]:
                continue
            c_lat, c_lon, commute = packed[r, 0], packed[r, 1], packed[r, 2]
            seniority, available = packed[r, 3], packed[r, 4]
            low, high = packed[r, 5], packed[r, 6]
        else:
            d = r - base
            if not delta_alive[d]:
                continue
            c_lat, c_lon, commute = delta_cols[d, 0], delta_cols[d, 1], delta_cols[d, 2]
            seniority, available = delta_cols[d, 3], delta_cols[d, 4]
            low, high = delta_cols[d, 5], delta_cols[d, 6]
        # NaN bounds compare False: unknown hours never exclude
        if hours == hours and (low > hours or high < hours):
            continue
        factor, km = 1.0, math.nan
        if located:
            if c_lat == c_lat and c_lon == c_lon:
                p2 = math.radians(c_lat)
                if bar > 0.0:
                    least = EARTH_RADIUS_KM * abs(p2 - p1)
                    best = skill[i] * (1.0 - DISTANCE_WEIGHT * least / (least + DISTANCE_HALF_KM))
                    if best < bar - _LOOSE:
                        continue
                dlat, dlon = p2 - p1, math.radians(c_lon) - lam1
                h = math.sin(dlat / 2) ** 2 + cos_p1 * math.cos(p2) * math.sin(dlon / 2) ** 2
                km = 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(h, 1.0)))
                if km > commute or km > radius:
                    continue
                factor = 1.0 - DISTANCE_WEIGHT * km / (km + DISTANCE_HALF_KM)
            else:
                if radius != math.inf:
                    continue
                factor = 1.0 - DISTANCE_WEIGHT  # the far end of the scale
        if start == start:
            late = available - start if available == available else 0.0
            late = max(late, 0.0)
            factor = factor * (1.0 - AVAILABILITY_WEIGHT * late
                               / (late + AVAILABILITY_HALF_DAYS))
        s = skill[i] * factor
        keep[m], score[m], dist[m] = i, s, km
        key[m] = -(np.int64(np.rint(s * _SCORE_QUANTUM)) << 32) + np.int64(seniority)
        m += 1
    return keep[:m], score[:m], dist[:m], key[:m]


@njit(cache=True, nogil=True)
def meeting(rows: Any, need_pool: Any, starts: Any, ends: Any, delta_rows: Any,
            delta_ptr: Any) -> Any:
    """Which ``rows`` meet every requirement: for requirement ``r``, offer a key of its sorted
    main rows ``need_pool[starts[r]:ends[r]]`` or of its delta rows
    ``delta_rows[delta_ptr[r]:delta_ptr[r + 1]]`` (a requirement with neither: nobody)."""
    ok = np.ones(len(rows), np.bool_)
    for i in range(len(rows)):
        x = rows[i]
        for r in range(len(starts)):
            at = first_at_least(need_pool, starts[r], ends[r], x)
            if at < ends[r] and need_pool[at] == x:
                continue
            found = False
            for d in range(delta_ptr[r], delta_ptr[r + 1]):
                if delta_rows[d] == x:
                    found = True
                    break
            if not found:
                ok[i] = False
                break
    return ok


@njit(cache=True, nogil=True)
def ring_best(rows: Any, skill: Any, packed: Any, alive: Any, delta_cols: Any,
              delta_alive: Any, base: int, lat: float, lon: float, radius: float,
              hours: float, start: float, need_pool: Any, need_starts: Any, need_ends: Any,
              need_delta: Any, need_delta_ptr: Any, limit: int, pilot: int) -> Any:
    """The ``limit`` best of a ring's ``rows`` (with their skill score) that are eligible
    (:func:`eligible_scores`) and meet the requirements (:func:`meeting`), by order key:
    rows, final scores, distances, order keys, and True. When a tie on the order key
    crosses the cut or sits inside it, every eligible row instead, unordered, and False:
    the caller breaks the tie by candidate id.

    A ring with more than ``4 * pilot`` rows scores the ``pilot`` of the highest skill first:
    the skill bounds the final score, so once those give a ``limit``-th final score, rows of
    less skill cannot enter.
    """
    bar = 0.0
    if len(rows) > 4 * pilot:
        least = -np.partition(-skill, pilot - 1)[pilot - 1]
        pick = np.empty(pilot, np.int64)  # exactly ``pilot`` rows, however many tie
        m = 0
        for i in range(len(rows)):
            if skill[i] > least:
                pick[m] = i
                m += 1
        for i in range(len(rows)):
            if m == pilot:
                break
            if skill[i] == least:
                pick[m] = i
                m += 1
        some = rows[pick]
        keep, score, _, key = eligible_scores(some, skill[pick], packed, alive, delta_cols,
                                              delta_alive, base, lat, lon, radius, hours,
                                              start, 0.0)
        ok = meeting(some[keep], need_pool, need_starts, need_ends, need_delta,
                     need_delta_ptr)
        if ok.sum() >= limit:
            score, key = score[ok], key[ok]
            bar = score[np.argsort(key, kind="mergesort")[limit - 1]]
            near = np.flatnonzero(skill >= bar - _EPSILON)
            rows, skill = rows[near], skill[near]
    keep, score, dist, key = eligible_scores(rows, skill, packed, alive, delta_cols,
                                             delta_alive, base, lat, lon, radius, hours, start,
                                             bar)
    rows = rows[keep]
    ok = meeting(rows, need_pool, need_starts, need_ends, need_delta, need_delta_ptr)
    return first_or_all(rows[ok], score[ok], dist[ok], key[ok], limit)


@njit(cache=True, nogil=True)
def first_or_all(rows: Any, score: Any, dist: Any, key: Any, limit: int) -> Any:
    """The ``limit`` first rows by order key with their figures and True, or, when a tie
    crosses the cut or sits inside it (:func:`first_positions`), all of them and False."""
    chosen, settled = first_positions(key, limit)
    if settled:
        return rows[chosen], score[chosen], dist[chosen], key[chosen], True
    return rows, score, dist, key, False


@njit(cache=True, nogil=True)
def merge_found(a_rows: Any, a_score: Any, a_dist: Any, a_key: Any, b_rows: Any,
                b_score: Any, b_dist: Any, b_key: Any, limit: int) -> Any:
    """Two rings' best rows as one: each row once (its first ring's figures), then the
    ``limit`` first by order key and True; or, when a tie on the order key is at the cut or
    inside it (see :func:`first_positions`), every row and False."""
    rows = np.concatenate((a_rows, b_rows))
    order = np.argsort(rows, kind="mergesort")  # stable: a row of ``a`` before the same in b
    take = np.empty(len(rows), np.int64)
    n = 0
    for i in range(len(order)):
        if i == 0 or rows[order[i]] != rows[order[i - 1]]:
            take[n] = order[i]
            n += 1
    take = take[:n]
    score = np.concatenate((a_score, b_score))[take]
    dist = np.concatenate((a_dist, b_dist))[take]
    key = np.concatenate((a_key, b_key))[take]
    return first_or_all(rows[take], score, dist, key, limit)


@njit(cache=True, nogil=True)
def merged_postings(post_ptr: Any, post_rows: Any, keys: Any, sims: Any) -> tuple[Any, Any]:
    """The rows of the posting lists of ``keys`` (ids past ``post_ptr`` have none), each once
    and ascending, with the best of their keys' ``sims``."""
    total = 0
    for k in range(len(keys)):
        if keys[k] + 1 < len(post_ptr):
            total += post_ptr[keys[k] + 1] - post_ptr[keys[k]]
    rows = np.empty(total, np.int32)
    best = np.empty(total)
    n = 0
    for k in range(len(keys)):
        if keys[k] + 1 < len(post_ptr):
            for p in range(post_ptr[keys[k]], post_ptr[keys[k] + 1]):
                rows[n] = post_rows[p]
                best[n] = sims[k]
                n += 1
    order = np.argsort(rows)
    out_rows = np.empty(total, np.int32)
    out_best = np.empty(total)
    m = -1
    for i in range(total):
        row, sim = rows[order[i]], best[order[i]]
        if m < 0 or out_rows[m] != row:
            m += 1
            out_rows[m], out_best[m] = row, sim
        elif sim > out_best[m]:
            out_best[m] = sim
    return out_rows[:m + 1], out_best[:m + 1]


@njit(cache=True, nogil=True)
def within_bag(counts: Any, low: int, high: int, wanted: Any, most: int) -> Any:
    """The rows from ``low`` to ``high`` of ``counts`` whose absolute differences from
    ``wanted`` add up to at most ``most``, ascending (a row stops being read once past it)."""
    found = np.empty(max(high - low, 0), np.int64)
    n = 0
    for row in range(low, high):
        total = np.int64(0)
        for c in range(counts.shape[1]):
            total += abs(np.int64(counts[row, c]) - np.int64(wanted[c]))
            if total > most:
                break
        if total <= most:
            found[n] = row
            n += 1
    return found[:n]


@njit(cache=True, nogil=True)
def near_cosines(indptr: Any, indices: Any, data: Any, rows: Any, weights: Any, bounds: Any,
                 width: int, start: int, threshold: float) -> tuple[Any, Any]:
    """The columns from ``start`` on whose best sum over several queries reaches
    ``threshold``, ascending, with that best: query ``q`` is the rows
    ``rows[bounds[q]:bounds[q + 1]]`` of a CSR matrix with their weights, each row's entries
    times its weight added in row order (the order numpy's bincount adds them: the same
    floats), the best the largest of the sums."""
    best = np.zeros(width)
    sums = np.zeros(width)
    for q in range(len(bounds) - 1):
        if q:
            sums[:] = 0.0
        for k in range(bounds[q], bounds[q + 1]):
            r, w = rows[k], weights[k]
            for p in range(indptr[r], indptr[r + 1]):
                sums[indices[p]] += data[p] * w
        if q == 0:
            best, sums = sums, best
        else:
            for c in range(width):
                if sums[c] > best[c]:
                    best[c] = sums[c]
    n = 0
    for c in range(max(start, 0), width):
        if best[c] >= threshold:
            n += 1
    keep = np.empty(n, np.int64)
    values = np.empty(n)
    n = 0
    for c in range(max(start, 0), width):
        if best[c] >= threshold:
            keep[n] = c
            values[n] = best[c]
            n += 1
    return keep, values


@njit(cache=True, nogil=True)
def slip_masks(codes: Any, slips: Any, starts: Any, seconds: Any) -> tuple[Any, Any]:
    """Per column of ``codes`` (rows: two start codes, then two second codes), whether a start
    code is within one of the closed ranges ``slips`` (rows of low, high), and whether a start
    code is within one of ``starts`` or a second code within one of ``seconds``."""
    n = codes.shape[1]
    slip = np.zeros(n, np.bool_)
    first = np.zeros(n, np.bool_)
    for i in range(n):
        for row in range(2):
            code = codes[row, i]
            for k in range(slips.shape[0]):
                if slips[k, 0] <= code <= slips[k, 1]:
                    slip[i] = True
            for k in range(starts.shape[0]):
                if starts[k, 0] <= code <= starts[k, 1]:
                    first[i] = True
            second = codes[row + 2, i]
            for k in range(seconds.shape[0]):
                if seconds[k, 0] <= second <= seconds[k, 1]:
                    first[i] = True
    return slip, first


_warmed = False


def warm() -> None:
    """Compile (or load from the cache) every kernel with the types a ranking passes, once
    per process and one process at a time (see the module's docstring)."""
    global _warmed
    if not _warmed:
        with _compile_lock():
            _compile_all()
        _warmed = True


@contextlib.contextmanager
def _compile_lock() -> Iterator[None]:
    """An exclusive lock shared by every process of this machine (none where the file
    cannot be opened: then numba's own behaviour)."""
    try:
        fd = os.open(Path(tempfile.gettempdir()) / "hansyn-numba-kernels.lock",
                     os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _compile_all() -> None:
    """Call every kernel with the types a ranking passes (the main segment's arrays are
    read-only when memory-mapped: a type of their own)."""
    lat, tier_start = np.zeros(2), np.zeros(3, np.int64)
    for _ in range(2):
        band_bounds(lat, tier_start, np.array([15.0, math.inf]), np.array([4.0, math.inf]),
                    59.0, math.inf, 111.0)
        lat, tier_start = lat.copy(), tier_start.copy()
        lat.setflags(write=False)
        tier_start.setflags(write=False)
    first_positions(np.array([3, 1, 2], np.int64), 2)
    rows = np.array([0, 1], np.int32)
    sims = np.array([1.0, 0.5])
    i64 = np.array([0, 2], np.int64)
    cuts = cut_positions(rows, i64[:1], i64[1:], i64)
    empty = np.zeros(0, np.int64)
    lo, hi, term = ring_plan(cuts, 0, 2, 0, 0, np.zeros(1, np.int64), np.zeros(1, np.int64))
    ring_scores(rows, sims, lo, hi, term, np.array([2.0]), np.array([math.nan]),
                np.array([1.0]), 2.0, 0.0, np.zeros(2))
    ring_sums(rows, sims, cuts, 0, 2, 0, 0, np.zeros(1, np.int64), np.zeros(1, np.int64),
              np.array([2.0]), np.array([math.nan]), np.array([1.0]), 2.0, 0.0, np.zeros(2))
    ring_scores(rows, sims, empty, empty, empty, np.array([2.0]), np.array([1.0]),
                np.array([1.0]), 2.0, 0.9, np.zeros(2))
    packed = np.zeros((2, 8))
    need = np.array([0, 1], np.int32), i64[:1], i64[1:], empty, np.zeros(2, np.int64)
    merge_found(i64, sims, sims, i64, i64, sims, sims, i64, 2)
    ring_best(np.array([0, 1], np.int64), sims, packed, np.ones(2, np.bool_), np.zeros((0, 7)),
              np.zeros(0, np.bool_), 2, 59.0, 18.0, math.inf, math.nan, math.nan, *need, 1, 1)
    post_ptr, post_rows = np.array([0, 2], np.int64), np.array([0, 1], np.int32)
    for _ in range(2):  # a mapped index's posting lists are read-only
        merged_postings(post_ptr, post_rows, i64, sims)
        post_ptr, post_rows = post_ptr.copy(), post_rows.copy()
        post_ptr.setflags(write=False)
        post_rows.setflags(write=False)
    pointers, columns = np.array([0, 1], np.int32), np.array([0], np.int32)
    near_cosines(pointers, columns, sims[:1], columns, sims[:1], i64[:1], 1, 0, 0.5)
    for small in (np.int16, np.int64):  # a vocabulary's letter counts, and its longest keys'
        within_bag(np.zeros((2, 3), small), 0, 2, np.zeros(3, small), 2)
    ranges = np.zeros((1, 2), np.int64)
    slip_masks(np.zeros((4, 1), np.int64), ranges, ranges, ranges)


warm()
