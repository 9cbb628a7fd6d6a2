"""Disclosure control for published figures: primary and secondary cell suppression.

Pure functions, no Flask and no database. Every published table is modelled as a flow network:
a cell (a count, or a margin total) is an arc between two nodes, and at every node what flows in
equals what flows out — exactly the additive equations a reader can write down ("the row total is
the sum of its cells"). A one-way table with its total is a two-node network; a two-way table with
row, column and grand totals is the classic network of rows and columns; two breakdowns of one
total (placements by form of employment and by sector) share their total arc.

The reader (the attacker) knows every published value, the equations, that counts are whole numbers
that are never negative, and that a hidden count is never 0 (zeros are always shown). A hidden cell
is *determined* when only one value is consistent with all of that. In a network this has an exact
answer: the cell can take another value if and only if a unit of flow can be pushed around a cycle
through it using only hidden arcs, where an arc pushed backwards must stay at least 1. That check
is a path search (`_cheapest_cycle`), and secondary suppression hides the cheapest published cells
that close such a cycle. Because the constraint matrix of a network is totally unimodular, "another
value exists in the linear relaxation" and "another whole-number table exists" coincide, so neither
margin subtraction nor solving the linear system (with or without the bounds) pins a hidden cell.

Versions: a quarter may be published again after corrections. Every cell hidden in an earlier
version stays hidden while it is not 0 ("sticky"), a cell whose value moved by less than k since
a published earlier value is hidden (the difference between versions would otherwise show a small
group), and a cell still showing the value an earlier version published counts as known to the
reader, so it never serves as protection.
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

#: The smallest threshold anyone may configure; the default is DEFAULT_K.
MIN_K = 3
DEFAULT_K = 5
#: Hiding a margin total costs this much more than hiding a cell: totals are what people compare.
TOTAL_PENALTY = 1_000_000
TOTAL = "*"


class CannotProtect(ValueError):  # noqa: N818 (a situation, not a program error)
    """No choice of hidden cells keeps a value secret from a reader of the earlier versions."""

    def __init__(self, key: str) -> None:
        super().__init__(f"cell {key} cannot be protected against the earlier versions")
        self.key = key


@dataclass(frozen=True)
class Cell:
    """One published number: `value` flows from node `tail` to node `head`."""

    key: str
    tail: str
    head: str
    value: int
    total: bool = False


@dataclass(frozen=True)
class Earlier:
    """An earlier published version of the same figures: what it showed, and the true values it
    was computed from (kept inside the municipality, never published)."""

    shown: Mapping[str, int]
    hidden: frozenset[str]
    truth: Mapping[str, int]

    @classmethod
    def from_published(
        cls, published: Mapping[str, int | None], truth: Mapping[str, int]
    ) -> Earlier:
        shown = {key: value for key, value in published.items() if value is not None}
        hidden = frozenset(key for key, value in published.items() if value is None)
        return cls(shown, hidden, truth)


@dataclass(frozen=True)
class Suppression:
    hidden: frozenset[str]
    #: Hidden because the count itself is below k (the others protect these).
    primary: frozenset[str]

    def apply(self, cells: Iterable[Cell]) -> dict[str, int | None]:
        """The published values: None where a cell is hidden."""
        return {c.key: None if c.key in self.hidden else c.value for c in cells}


# Building tables ------------------------------------------------------------------------------


def key_of(table: str, *parts: str) -> str:
    return "/".join((table, *parts))


def single(table: str, value: int) -> list[Cell]:
    """A count that no equation ties to any other (a loop on one node)."""
    node = f"{table}:"
    return [Cell(key_of(table), node, node, value)]


def singles(table: str, counts: Mapping[str, int]) -> list[Cell]:
    """Counts no equation ties together (`table/<name>`): each a loop on a node of its own."""
    return [Cell(key_of(table, name), f"{table}:{name}", f"{table}:{name}", value)
            for name, value in counts.items()]


def one_way(table: str, parts: Mapping[str, int]) -> list[Cell]:
    """Counts by one variable and their total: `table/<part>` and `table/*`."""
    start, end = f"{table}:parts", f"{table}:total"
    cells = [Cell(key_of(table, name), start, end, value) for name, value in parts.items()]
    total = sum(parts.values())
    return [*cells, Cell(key_of(table, TOTAL), end, start, total, total=True)]


def two_way(
    table: str, rows: Sequence[str], columns: Sequence[str], values: Mapping[tuple[str, str], int]
) -> list[Cell]:
    """A cross table with row, column and grand totals: `table/<row>/<column>`, `*` for a total."""
    source, sink = f"{table}:out", f"{table}:in"
    cells: list[Cell] = []
    for row in rows:
        row_total = sum(values.get((row, column), 0) for column in columns)
        cells.append(Cell(key_of(table, row, TOTAL), source, f"{table}:r:{row}", row_total, True))
        for column in columns:
            value = values.get((row, column), 0)
            cells.append(
                Cell(key_of(table, row, column), f"{table}:r:{row}", f"{table}:c:{column}", value)
            )
    for column in columns:
        column_total = sum(values.get((row, column), 0) for row in rows)
        cells.append(
            Cell(key_of(table, TOTAL, column), f"{table}:c:{column}", sink, column_total, True)
        )
    grand = sum(values.values())
    cells.append(Cell(key_of(table, TOTAL, TOTAL), sink, source, grand, total=True))
    return cells


def two_breakdowns(
    table: str, first: tuple[str, Mapping[str, int]], second: tuple[str, Mapping[str, int]]
) -> list[Cell]:
    """Two breakdowns of one total (`table/<first name>/<part>`, …, and `table/*`).

    Both must add up to the same total; the cross table between them is not published.
    """
    (first_name, first_parts), (second_name, second_parts) = first, second
    total = sum(first_parts.values())
    if sum(second_parts.values()) != total:
        raise ValueError(f"{table}: the two breakdowns have different totals")
    hub, left, right = f"{table}:hub", f"{table}:first", f"{table}:second"
    cells = [
        Cell(key_of(table, first_name, name), hub, left, value)
        for name, value in first_parts.items()
    ]
    cells.append(Cell(key_of(table, TOTAL), left, right, total, total=True))
    cells += [
        Cell(key_of(table, second_name, name), right, hub, value)
        for name, value in second_parts.items()
    ]
    return cells


# Suppression ----------------------------------------------------------------------------------


def suppress(cells: Sequence[Cell], k: int, earlier: Sequence[Earlier] = ()) -> Suppression:
    """Choose the cells to hide: every count from 1 to k-1, and enough others that none of them
    (nor any other hidden cell) can be worked out, also with the earlier versions at hand.

    Raises ValueError for a threshold below MIN_K, a negative count or figures that do not add
    up; CannotProtect when the earlier versions already give a hidden value away.
    """
    _check(cells, k)
    primary = {c.key for c in cells if 0 < c.value < k}
    hidden = primary | _sticky(cells, earlier) | _moved_a_little(cells, k, earlier)
    known = _known_from_earlier(cells, earlier)
    while True:
        for cell in sorted(cells, key=lambda c: (c.value, c.key)):
            if cell.key in hidden and cell.key not in known:
                hidden |= _protection(cells, cell, hidden, known)
        exposed = _jointly_determined(cells, hidden, known, earlier) if earlier else []
        if not exposed:
            return Suppression(frozenset(hidden), frozenset(primary))
        hidden |= _hide_more(cells, exposed[0], hidden, known, earlier)


def _check(cells: Sequence[Cell], k: int) -> None:
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K}")
    balance: dict[str, int] = defaultdict(int)
    for cell in cells:
        if cell.value < 0:
            raise ValueError(f"{cell.key}: a count cannot be negative")
        balance[cell.tail] -= cell.value
        balance[cell.head] += cell.value
    if len({c.key for c in cells}) != len(cells):
        raise ValueError("two cells share a key")
    if any(balance.values()):
        raise ValueError("the figures do not add up to their totals")


def _sticky(cells: Sequence[Cell], earlier: Sequence[Earlier]) -> set[str]:
    once_hidden = set().union(*(e.hidden for e in earlier)) if earlier else set()
    return {c.key for c in cells if c.key in once_hidden and c.value > 0}


def _moved_a_little(cells: Sequence[Cell], k: int, earlier: Sequence[Earlier]) -> set[str]:
    """Cells whose value differs from a published earlier value by 1 … k-1."""
    return {
        c.key
        for c in cells
        for e in earlier
        if c.key in e.shown and 0 < abs(c.value - e.shown[c.key]) < k and c.value > 0
    }


def _known_from_earlier(cells: Sequence[Cell], earlier: Sequence[Earlier]) -> set[str]:
    return {c.key for c in cells for e in earlier if e.shown.get(c.key) == c.value}


def _protection(
    cells: Sequence[Cell], cell: Cell, hidden: set[str], known: set[str]
) -> set[str]:
    """The published cells to hide so that `cell` lies on a cycle the reader cannot pin down."""
    found = _cheapest_cycle(cells, cell, hidden, known)
    if found is None:
        raise CannotProtect(cell.key)
    return found


Edge = tuple[str, str | None, int]  # (next node, key of a published cell to hide or None, cost)


def _cheapest_cycle(
    cells: Sequence[Cell], cell: Cell, hidden: set[str], known: set[str]
) -> set[str] | None:
    """Cells to hide (empty when `cell` is already protected), or None when nothing can."""
    graph = _residual_graph(cells, cell.key, hidden, known)
    options = [_cheapest_path(graph, cell.head, cell.tail)]  # push one more through `cell`
    if cell.value >= 2:  # or one less, which leaves it at least 1
        options.append(_cheapest_path(graph, cell.tail, cell.head))
    found = [option for option in options if option is not None]
    if not found:
        return None
    return min(found, key=lambda option: option[0])[1]


def _residual_graph(
    cells: Sequence[Cell], excluded: str, hidden: set[str], known: set[str]
) -> dict[str, list[Edge]]:
    """Where a unit of flow may move: forward along any usable cell, backward along one that
    stays at least 1. Hidden cells cost nothing; a published one costs what hiding it loses."""
    graph: dict[str, list[Edge]] = defaultdict(list)
    for c in cells:
        if c.key == excluded or c.key in known or c.value == 0:
            continue
        is_hidden = c.key in hidden
        cost = 0 if is_hidden else c.value + (TOTAL_PENALTY if c.total else 0)
        to_hide = None if is_hidden else c.key
        graph[c.tail].append((c.head, to_hide, cost))
        if c.value >= 2:
            graph[c.head].append((c.tail, to_hide, cost))
    return graph


def _cheapest_path(
    graph: Mapping[str, list[Edge]], start: str, goal: str
) -> tuple[int, set[str]] | None:
    """Dijkstra from `start` to `goal`: (cost, cells to hide on the way), or None."""
    counter = itertools.count()
    queue: list[tuple[int, int, str, frozenset[str]]] = [(0, next(counter), start, frozenset())]
    settled: set[str] = set()
    while queue:
        cost, _tie, node, to_hide = heapq.heappop(queue)
        if node == goal:
            return cost, set(to_hide)
        if node in settled:
            continue
        settled.add(node)
        for neighbour, key, step in graph.get(node, ()):
            if neighbour not in settled:
                hides = to_hide | {key} if key is not None else to_hide
                heapq.heappush(queue, (cost + step, next(counter), neighbour, hides))
    return None


# Versions read together ------------------------------------------------------------------------

#: A prime below 2**31: products of two residues fit in 64 bits. Network equations have minors of
#: 0 and ±1 only, so their rank modulo this prime is their rank over the rationals.
PRIME = 2_147_483_647


def _jointly_determined(
    cells: Sequence[Cell], hidden: set[str], known: set[str], earlier: Sequence[Earlier]
) -> list[str]:
    """Unknowns (`version|key=value`) that the earlier versions and this one determine together.

    A cell hidden in two versions with the same true value is one unknown in both: the worst
    case, since a reader may know that it did not change, so both versions' equations bind it.
    """
    current = _as_earlier(cells, hidden, known)
    unknowns: dict[str, int] = {}
    rows: list[dict[int, int]] = []
    for index, version in enumerate([*earlier, current]):
        if {c.key for c in cells} != set(version.shown) | set(version.hidden):
            continue  # laid out differently (another edition of the figures): no shared equations
        for node_row in _node_rows(cells):
            row: dict[int, int] = {}
            for key, coefficient in node_row.items():
                if key in version.hidden:
                    name = f"{key}={version.truth.get(key, f'?{index}')}"
                    column = unknowns.setdefault(name, len(unknowns))
                    row[column] = row.get(column, 0) + coefficient
            if any(row.values()):
                rows.append(row)
    fixed = _determined_columns(rows, len(unknowns))
    return sorted(name for name, column in unknowns.items() if column in fixed)


def _as_earlier(cells: Sequence[Cell], hidden: set[str], known: set[str]) -> Earlier:
    shown = {c.key: c.value for c in cells if c.key not in hidden or c.key in known}
    hidden_now = frozenset(c.key for c in cells if c.key not in shown)
    return Earlier(shown, hidden_now, {c.key: c.value for c in cells})


def _node_rows(cells: Sequence[Cell]) -> list[dict[str, int]]:
    rows: dict[str, dict[str, int]] = defaultdict(dict)
    for cell in cells:
        rows[cell.head][cell.key] = rows[cell.head].get(cell.key, 0) + 1
        rows[cell.tail][cell.key] = rows[cell.tail].get(cell.key, 0) - 1
    return list(rows.values())


def _determined_columns(rows: list[dict[int, int]], width: int) -> set[int]:
    """Columns whose unit vector lies in the row space: reduced row echelon form modulo PRIME."""
    if not rows or not width:
        return set()
    matrix = np.zeros((len(rows), width), dtype=np.int64)
    for i, row in enumerate(rows):
        for column, coefficient in row.items():
            matrix[i, column] = coefficient % PRIME
    pivots: list[tuple[int, int]] = []
    top = 0
    for column in range(width):
        candidates = np.nonzero(matrix[top:, column])[0]
        if top >= len(rows) or not len(candidates):
            continue
        pivot = top + int(candidates[0])
        matrix[[top, pivot]] = matrix[[pivot, top]]
        inverse = pow(int(matrix[top, column]), PRIME - 2, PRIME)
        matrix[top] = (matrix[top] * inverse) % PRIME
        factors = matrix[:, column].copy()
        factors[top] = 0
        matrix = (matrix - np.outer(factors, matrix[top]) % PRIME) % PRIME
        pivots.append((top, column))
        top += 1
        if top == len(rows):
            break
    return {column for row, column in pivots if np.count_nonzero(matrix[row]) == 1}


def _hide_more(
    cells: Sequence[Cell], exposed: str, hidden: set[str], known: set[str],
    earlier: Sequence[Earlier],
) -> set[str]:
    """Published cells whose hiding frees the exposed unknown: the cheapest single cell that
    does, else the cheapest cell of the same table."""
    table = exposed.split("/")[0]
    candidates = sorted(
        (c for c in cells if c.key not in hidden and c.key not in known and c.value > 0),
        key=lambda c: (c.key.split("/")[0] != table, c.value + (TOTAL_PENALTY if c.total else 0),
                       c.key),
    )
    if not candidates:
        raise CannotProtect(exposed)
    for candidate in candidates:
        if exposed not in _jointly_determined(cells, hidden | {candidate.key}, known, earlier):
            return {candidate.key}
    return {candidates[0].key}
