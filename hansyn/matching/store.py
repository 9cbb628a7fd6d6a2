"""The index store: candidates' rows in a latitude-ordered main segment and an unsorted delta.

Rows of the *main segment* are numbered by commute tier and then by latitude, with one sorted
``int32`` posting list of rows per offered key id (see ``docs/matching.md``, "The index").
Additions go to a small unsorted *delta segment*; removals and replacements leave a tombstone.
The delta is merged into the main segment (:meth:`IndexStore.compact`) once it outgrows a
fraction of the index. The store knows rows, key ids and text ids, never what they mean.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from hansyn.matching import kernels
from hansyn.matching.profiles import (
    COMMUTE_TIERS_KM,
    JOB_COLUMNS,
    BoolArray,
    FloatArray,
    IntArray,
    RowArray,
)

__all__ = ["Batch", "Delta", "IndexStore", "MainSegment", "Part", "gc_paused"]

_GROWING = 1 << 18  # below this many candidates the delta may grow to a quarter of them


@dataclass(slots=True)
class MainSegment:
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
    def empty(cls) -> MainSegment:
        z = np.zeros(0)
        i32 = np.zeros(0, np.int32)
        return cls([], z, z, z, np.zeros((0, len(JOB_COLUMNS))), np.zeros(0, bool),
                   np.zeros(len(COMMUTE_TIERS_KM) + 2, np.int64), np.zeros(1, np.int64), i32,
                   np.zeros(1, np.int64), i32, i32)

    def postings(self, key: int) -> RowArray:
        if key + 1 >= len(self.post_ptr):
            return self.post_rows[:0]
        return self.post_rows[self.post_ptr[key]:self.post_ptr[key + 1]]

    def merged(self, keys: list[tuple[int, float]]) -> tuple[RowArray, FloatArray]:
        """The rows offering any of many (key id, similarity) pairs, each once and ascending,
        with its best similarity: one compiled pass over their posting lists."""
        merged: tuple[RowArray, FloatArray] = kernels.merged_postings(
            self.post_ptr, self.post_rows, np.array([k for k, _ in keys], np.int64),
            np.array([s for _, s in keys], np.float64))
        return merged

    def offers(self, row: int) -> list[tuple[int, int]]:
        a, b = self.offer_ptr[row], self.offer_ptr[row + 1]
        return list(zip(self.offer_key[a:b].tolist(), self.offer_text[a:b].tolist(), strict=True))


@dataclass(slots=True)
class Part:
    """Candidates in flat arrays, the input of ``assemble``."""

    ids: list[str]
    lat: FloatArray
    lon: FloatArray
    commute: FloatArray
    job: FloatArray
    counts: IntArray  # offers per candidate
    keys: RowArray  # flat offered key ids
    texts: RowArray  # flat offered text ids


class Batch:
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
    def of(cls, delta: Delta) -> Part:
        """The live candidates of the delta segment, from its flat columns in one pass."""
        n = len(delta.ids)
        alive = delta.alive[:n]
        keep = np.flatnonzero(alive)
        ptr: IntArray = np.array(delta.offer_ptr, np.int64)
        counts: IntArray = ptr[1:] - ptr[:-1]
        flat_alive = np.repeat(alive, counts)
        cols = delta.columns()[keep]
        ids = delta.ids if len(keep) == n else [delta.ids[i] for i in keep.tolist()]
        return Part(list(ids), cols[:, 0].copy(), cols[:, 1].copy(),
                     cols[:, 2].copy(), cols[:, 3:].copy(), counts[keep],
                     np.array(delta.offer_keys, np.int32)[flat_alive],
                     np.array(delta.offer_texts, np.int32)[flat_alive])

    def arrays(self) -> Part:
        alive = np.array(self.alive, bool)
        counts = np.array(self.counts, np.int64)
        flat_alive = np.repeat(alive, counts)
        ids = self.ids if alive.all() else [c for c, a in zip(self.ids, self.alive,
                                                               strict=True) if a]
        return Part(ids, np.array(self.lat, np.float64)[alive],
                     np.array(self.lon, np.float64)[alive],
                     np.array(self.commute, np.float64)[alive],
                     np.array(self.job, np.float64).reshape(-1, len(JOB_COLUMNS))[alive],
                     counts[alive],
                     np.array(self.keys, np.int32)[flat_alive],
                     np.array(self.texts, np.int32)[flat_alive])


@contextmanager
def gc_paused() -> Iterator[None]:
    """Bulk work allocates millions of small objects; the cyclic GC would rescan them all."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()



class Delta:
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


class IndexStore:
    """Both segments, the row of every candidate id, tombstones and merges."""

    def __init__(self, compact_ratio: float = 0.02, compact_min: int = 4096) -> None:
        self._compact_ratio = compact_ratio
        self._compact_min = compact_min
        self.main = MainSegment.empty()
        self.delta = Delta(0)
        self.row_of: dict[str, int] = {}
        self.compactions = 0  # merges so far: a ranking's caches of main rows follow it
        self._threshold = self._compact_at()

    def __len__(self) -> int:
        return len(self.row_of)

    def add(self, cid: str, columns: tuple[float, ...], offers: dict[int, int],
            n_keys: int) -> None:
        """Append a candidate (replacing one with the same id) and merge when it is time."""
        self.tombstone(cid)
        self.row_of[cid] = self.delta.append(cid, columns, offers)
        if len(self.delta.ids) > self._threshold:
            self.compact(n_keys)

    def remove(self, cid: str) -> None:
        self.tombstone(cid)
        self.row_of.pop(cid, None)

    def tombstone(self, cid: str) -> None:
        row = self.row_of.get(cid)
        if row is None:
            return
        if row < self.delta.base:
            self.main.alive[row] = False
        else:
            self.delta.alive[row - self.delta.base] = False

    def _compact_at(self) -> float:
        """The delta size that triggers a merge: ``compact_ratio`` of the main segment (at
        least ``compact_min``), and while the index is still small, a quarter of it, so that
        filling an index one ``add`` at a time merges a geometric number of times."""
        main = len(self.main.ids)
        growing = main / 4 if main < _GROWING else 0.0
        return max(self._compact_min, self._compact_ratio * main, growing)

    def compact(self, n_keys: int, batch: Batch | None = None) -> None:
        """Merge the delta segment (and a bulk batch), drop tombstones, renumber all rows."""
        with gc_paused():
            parts = [self._main_part(), Batch.of(self.delta)]
            if batch is not None:
                parts.append(batch.arrays())
            ids = [cid for part in parts for cid in part.ids]
            cat = {name: np.concatenate([getattr(part, name) for part in parts])
                   for name in ("lat", "lon", "commute", "job", "counts", "keys", "texts")}
            self.replace(assemble(ids, cat, n_keys))

    def replace(self, main: MainSegment) -> None:
        """Make ``main`` the main segment (merged, or loaded from disk), with an empty delta."""
        self.main = main
        self.delta = Delta(len(main.ids))
        self._threshold = self._compact_at()
        self.row_of = dict(zip(main.ids, range(len(main.ids)), strict=True))
        self.compactions += 1

    def _main_part(self) -> Part:
        main = self.main
        keep = np.flatnonzero(main.alive)
        counts = (main.offer_ptr[1:] - main.offer_ptr[:-1])[keep]
        take = ranges(main.offer_ptr[keep], counts)
        ids = main.ids if len(keep) == len(main.ids) else [main.ids[i] for i in keep.tolist()]
        return Part(ids, main.lat[keep], main.lon[keep], main.commute[keep],
                    main.job[keep], counts, main.offer_key[take], main.offer_text[take])

    def columns(self, rows: IntArray) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray,
                                                FloatArray]:
        """lat, lon, commute, alive and the job columns of ``rows`` from either segment."""
        main, delta = self.main, self.delta
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

    def offers(self, row: int) -> list[tuple[int, int]]:
        """(key id, text id) of what the candidate in ``row`` offers."""
        if row < self.delta.base:
            return self.main.offers(row)
        return self.delta.offers(row - self.delta.base)

    def offers_of(self, rows: IntArray) -> list[list[tuple[int, int]]]:
        """``offers`` of many rows; the main segment's in one gather."""
        main_rows = rows[rows < self.delta.base]
        starts = self.main.offer_ptr[main_rows]
        counts = self.main.offer_ptr[main_rows + 1] - starts
        take = ranges(starts, counts)
        pairs = list(zip(self.main.offer_key[take].tolist(),
                         self.main.offer_text[take].tolist(), strict=True))
        ends = np.cumsum(counts).tolist()
        read = iter([pairs[e - c:e] for e, c in zip(ends, counts.tolist(), strict=True)])
        return [next(read) if row < self.delta.base else self.delta.offers(row - self.delta.base)
                for row in rows.tolist()]

    def job_of(self, row: int) -> list[float]:
        """The job columns of one row (a scalar read, without the arrays of ``columns``)."""
        if row < self.delta.base:
            values: list[float] = self.main.job[row].tolist()
        else:
            values = self.delta.columns()[row - self.delta.base, 3:].tolist()
        return values

    def id_of(self, row: int) -> str:
        if row < self.delta.base:
            return self.main.ids[row]
        return self.delta.ids[row - self.delta.base]


def ranges(starts: IntArray, counts: IntArray) -> IntArray:
    """Concatenation of ``arange(s, s + c)`` for each start and count, vectorised."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    ends = np.cumsum(counts)
    shift = np.repeat(starts - (ends - counts), counts)
    out: IntArray = np.arange(total) + shift
    return out


def assemble(ids: list[str], cols: dict[str, Any], n_keys: int) -> MainSegment:
    """Sort rows by (commute tier, latitude) and build the posting lists."""
    lat, commute, counts = cols["lat"], cols["commute"], cols["counts"]
    has_loc = ~np.isnan(lat)
    tier = np.searchsorted(np.array(COMMUTE_TIERS_KM), commute, side="left")
    tier = np.where(has_loc, tier, len(COMMUTE_TIERS_KM))
    perm = np.lexsort((np.where(has_loc, lat, 0.0), tier))
    tier_start = np.searchsorted(tier[perm], np.arange(len(COMMUTE_TIERS_KM) + 2))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    take = ranges(starts[perm], counts[perm])
    offer_ptr = np.concatenate([[0], np.cumsum(counts[perm])]).astype(np.int64)
    offer_key, offer_text = cols["keys"][take], cols["texts"][take]
    row_of_offer = np.repeat(np.arange(len(ids), dtype=np.int32), counts[perm])
    # a stable sort keeps rows ascending within each key; numpy radix-sorts 16-bit integers
    small = offer_key.astype(np.uint16) if n_keys <= 1 << 16 else offer_key
    post_rows = row_of_offer[np.argsort(small, kind="stable")]
    post_ptr = np.zeros(n_keys + 1, np.int64)
    np.cumsum(np.bincount(offer_key, minlength=n_keys), out=post_ptr[1:])
    ids_sorted = ids if len(ids) == 0 else [ids[i] for i in perm.tolist()]
    return MainSegment(ids_sorted, lat[perm], cols["lon"][perm], commute[perm], cols["job"][perm],
                 np.ones(len(ids), bool), tier_start.astype(np.int64), post_ptr,
                 post_rows.astype(np.int32), offer_ptr, offer_key.astype(np.int32),
                 offer_text.astype(np.int32))

