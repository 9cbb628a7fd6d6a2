"""Allocation: candidates to the positions of many vacancies, each candidate at most once, the
total score as high as possible (``docs/matching.md``, "Allocation").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from hansyn.matching.profiles import FloatArray, IntArray, VacancyProfile
from hansyn.matching.ranking import Ranker
from hansyn.matching.store import IndexStore

__all__ = ["Edges", "allocate_scored"]

Edges = list[tuple[int, int, IntArray, FloatArray]]  # (demand index, positions, rows, scores)



def allocate_scored(ranker: Ranker, store: IndexStore,
                    demands: Sequence[tuple[VacancyProfile, int]], depth: int | None,
                    greedy: bool) -> list[tuple[str, str, float]]:
    """(vacancy id, candidate id, score) of the optimal (or the greedy) assignment.

    Each vacancy with ``p`` positions offers its ``depth`` best candidates (default
    ``2p + 10``); the assignment is optimal over those edges, and a position stays empty
    when filling it would need a candidate another vacancy uses better.
    """
    edges = []
    for slot, (vacancy, positions) in enumerate(demands):
        if positions <= 0:
            continue
        k = depth if depth is not None else 2 * positions + 10
        rows, scores, _ = ranker.top(ranker.query(vacancy), k)
        edges.append((slot, positions, rows, scores))
    solve = _assign_greedy if greedy else _assign_optimal
    return [(demands[slot][0].id, store.id_of(row), score) for slot, row, score in solve(edges)]


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
