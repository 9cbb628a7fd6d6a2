"""In-memory matching of job seekers to vacancies: the front of the matching package.

:class:`Engine` holds one tenant's index and delegates each job to a module: the offered key
ids and wanted texts to :mod:`~hansyn.matching.keys`, the rows to the index store
(:mod:`~hansyn.matching.store`), ranking with explanations to :mod:`~hansyn.matching.ranking`,
allocation to :mod:`~hansyn.matching.allocation` and saving to :mod:`~hansyn.matching.storage`.
The types it takes and returns live in :mod:`~hansyn.matching.profiles`.

The score is documented in ``docs/matching.md`` ("Ranking and allocation").
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from hansyn.matching.allocation import allocate_scored
from hansyn.matching.keys import ALIAS, SKILL_KINDS, KeyTable
from hansyn.matching.profiles import (
    AVAILABILITY_WEIGHT,
    DESIRED_WEIGHT,
    DISTANCE_WEIGHT,
    REQUIRED_WEIGHT,
    CandidateProfile,
    Match,
    StaleIndexError,
    VacancyProfile,
    VocabularyLike,
    availability_factor,
    distance_factor,
    haversine_km,
    job_columns,
    place,
)
from hansyn.matching.ranking import Ranker
from hansyn.matching.storage import load_index, save_index
from hansyn.matching.store import Batch, IndexStore, gc_paused

__all__ = [
    "ALIAS",
    "AVAILABILITY_WEIGHT",
    "DESIRED_WEIGHT",
    "DISTANCE_WEIGHT",
    "REQUIRED_WEIGHT",
    "SKILL_KINDS",
    "CandidateProfile",
    "Engine",
    "Match",
    "StaleIndexError",
    "VacancyProfile",
    "VocabularyLike",
    "availability_factor",
    "distance_factor",
    "haversine_km",
]


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
        self._lock = threading.RLock()
        self._table = KeyTable(vocabulary)
        self._store = IndexStore(compact_ratio, compact_min)
        self._ranker = Ranker(self._store, self._table)

    def __len__(self) -> int:
        return len(self._store)

    def __contains__(self, candidate_id: object) -> bool:
        return candidate_id in self._store.row_of

    def add(self, profile: CandidateProfile) -> None:
        """Add a candidate, or replace the one with the same id."""
        with self._lock:
            offers = self._table.offers_of(profile)  # raises on a bad id before any change
            self._store.add(profile.id, (*place(profile), *job_columns(profile)), offers,
                            len(self._table.keys))

    def remove(self, candidate_id: str) -> None:
        """Forget a candidate; unknown ids are ignored."""
        with self._lock:
            self._store.remove(candidate_id)

    def bulk_add(self, profiles: Iterable[CandidateProfile]) -> None:
        """Add or replace many candidates and rebuild the sorted segment once."""
        with self._lock, gc_paused():
            batch = Batch()
            try:
                for p in profiles:
                    offers = self._table.offers_of(p)  # raises on a bad id before any change
                    self._store.tombstone(p.id)
                    earlier = batch.index.get(p.id)
                    if earlier is not None:  # the last profile of an id wins
                        batch.alive[earlier] = False
                    lat, lon, commute = place(p)
                    batch.add(p.id, lat, lon, commute, job_columns(p), offers)
            finally:  # on an error the profiles before it are in, none is half in
                self._store.compact(len(self._table.keys), batch)

    @classmethod
    def build(cls, profiles: Iterable[CandidateProfile],
              vocabulary: VocabularyLike | None = None) -> Engine:
        """A new engine holding ``profiles``."""
        engine = cls(vocabulary)
        engine.bulk_add(profiles)
        engine._table.warm()  # the first query's one-off work, before a server forks
        engine._ranker.warm()
        return engine

    def compact(self) -> None:
        """Merge the delta segment, drop tombstones, renumber all rows."""
        with self._lock:
            self._store.compact(len(self._table.keys))

    def rank(self, vacancy: VacancyProfile, limit: int = 20) -> list[Match]:
        """The ``limit`` best eligible candidates, best first, each with its explanation."""
        with self._lock:
            return self._ranker.rank(vacancy, limit)

    def prepare(self, vacancies: Iterable[VacancyProfile]) -> None:
        """Resolve the vacancies' texts now (the app does it for its open vacancies before a
        server forks), so that their first ranking costs what a repeated one does."""
        for vacancy in vacancies:
            with self._lock:
                self._ranker.prepare(vacancy)

    def allocate(self, demands: Sequence[tuple[VacancyProfile, int]],
                 *, depth: int | None = None) -> list[tuple[str, str]]:
        """Fill positions so the total score is maximal; each candidate gets at most one."""
        return [(v, c) for v, c, _ in self.allocate_scored(demands, depth=depth)]

    def allocate_scored(self, demands: Sequence[tuple[VacancyProfile, int]],
                        *, depth: int | None = None,
                        greedy: bool = False) -> list[tuple[str, str, float]]:
        """``allocate`` with each pair's score; ``greedy=True`` gives the greedy baseline
        (see :func:`hansyn.matching.allocation.allocate_scored`)."""
        with self._lock:
            return allocate_scored(self._ranker, self._store, demands, depth, greedy)

    def save(self, path: str | os.PathLike[str], fingerprint: str | None = None) -> None:
        """Write the index to the directory ``path`` (compacting first); atomic per file."""
        with self._lock:
            self.compact()
            if fingerprint is not None:
                self.fingerprint = fingerprint
            save_index(Path(path), self._store.main, {
                "fingerprint": self.fingerprint,
                "vocabulary": getattr(self.vocabulary, "version", None),
                "keys": self._table.keys, "texts": self._table.texts})

    @classmethod
    def load(cls, path: str | os.PathLike[str], vocabulary: VocabularyLike | None = None,
             *, fingerprint: str | None = None, mmap: bool = True) -> Engine:
        """Read an index written by ``save``; ``StaleIndexError`` if missing or other data.

        With ``mmap`` the arrays stay on disk and are shared by all processes that load them.
        """
        engine = cls(vocabulary)
        main, meta = load_index(Path(path), fingerprint,
                                getattr(engine.vocabulary, "version", None), mmap)
        engine.fingerprint = meta.get("fingerprint")
        for key in meta["keys"]:
            engine._table.intern_key(key)
        for text in meta["texts"]:
            engine._table.intern_text(text)
        engine._store.replace(main)
        engine._table.warm()  # the first query's one-off work, before a server forks
        engine._ranker.warm()
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
