"""Attack published tables the way a reader could, on tables hypothesis draws.

The attacks are written here independently of `disclosure.py`: margin subtraction (any equation
with one unknown left gives it away), the linear system (a hidden cell is determined when its unit
vector lies in the row space of the equations, checked with numpy's rank), and linear programming
with the bounds the reader knows (hidden counts are at least 1, since zeros are always shown) —
the smallest and largest value each hidden cell can take (scipy). No hidden value may be determined.
For versions the reader also holds the other version and, worst case, knows which cells did not
change: those are substituted, and both versions are solved as one system.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from hansyn.tenants.statistics.disclosure import (
    CannotProtect,
    Cell,
    Earlier,
    one_way,
    single,
    suppress,
    two_breakdowns,
    two_way,
)
from tests.hypothesis_budget import examples

SETTINGS = settings(
    max_examples=examples(200), deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# Drawing tables ------------------------------------------------------------------------------

counts = st.one_of(st.just(0), st.integers(1, 7), st.integers(5, 60))


@dataclass(frozen=True)
class TableSpec:
    kind: str
    values: tuple[int, ...]
    shape: tuple[int, int] = (0, 0)


@st.composite
def table_specs(draw: st.DrawFn) -> TableSpec:
    kind = draw(st.sampled_from(["one_way", "two_way", "two_breakdowns", "single"]))
    if kind == "single":
        return TableSpec(kind, (draw(counts),))
    if kind == "one_way":
        return TableSpec(kind, tuple(draw(st.lists(counts, min_size=1, max_size=6))))
    rows, columns = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    values = tuple(draw(st.lists(counts, min_size=rows * columns, max_size=rows * columns)))
    return TableSpec(kind, values, (rows, columns))


def build(specs: Sequence[TableSpec]) -> list[Cell]:
    cells: list[Cell] = []
    for index, spec in enumerate(specs):
        name = f"t{index}"
        if spec.kind == "single":
            cells += single(name, spec.values[0])
        elif spec.kind == "one_way":
            cells += one_way(name, {f"p{i}": v for i, v in enumerate(spec.values)})
        else:
            rows, columns = spec.shape
            grid = {(f"r{i}", f"c{j}"): spec.values[i * columns + j]
                    for i in range(rows) for j in range(columns)}
            if spec.kind == "two_way":
                cells += two_way(name, [f"r{i}" for i in range(rows)],
                                 [f"c{j}" for j in range(columns)], grid)
            else:  # the margins of a cross table that itself stays unpublished
                by_row = {r: sum(v for (rr, _c), v in grid.items() if rr == r) for r, _ in grid}
                by_col = {c: sum(v for (_r, cc), v in grid.items() if cc == c) for _, c in grid}
                cells += two_breakdowns(name, ("a", by_row), ("b", by_col))
    return cells


networks = st.lists(table_specs(), min_size=1, max_size=3)


@st.composite
def corrected(draw: st.DrawFn, specs: list[TableSpec]) -> list[TableSpec]:
    """The same tables after corrections: some counts move, most stay."""
    changed = []
    for spec in specs:
        values = tuple(draw(st.one_of(st.just(v), st.just(v), counts)) for v in spec.values)
        changed.append(TableSpec(spec.kind, values, spec.shape))
    return changed


# The attacks --------------------------------------------------------------------------------


def equations(cells: Sequence[Cell]) -> dict[str, dict[str, int]]:
    """Per node: coefficient of each cell (in minus out), loops cancelled."""
    rows: dict[str, dict[str, int]] = {}
    for cell in cells:
        rows.setdefault(cell.head, {})
        rows.setdefault(cell.tail, {})
        rows[cell.head][cell.key] = rows[cell.head].get(cell.key, 0) + 1
        rows[cell.tail][cell.key] = rows[cell.tail].get(cell.key, 0) - 1
    return {node: {k: c for k, c in row.items() if c} for node, row in rows.items()}


def margin_subtraction(cells: Sequence[Cell], known: Mapping[str, int]) -> dict[str, int]:
    """Repeatedly solve every equation that has a single unknown left."""
    solved = dict(known)
    progress = True
    while progress:
        progress = False
        for row in equations(cells).values():
            unknown = [key for key in row if key not in solved]
            if len(unknown) == 1:
                rest = sum(row[key] * solved[key] for key in row if key in solved)
                solved[unknown[0]] = -rest // row[unknown[0]]
                progress = True
    return {key: value for key, value in solved.items() if key not in known}


def _system(
    cells: Sequence[Cell], known: Mapping[str, int]
) -> tuple[list[str], np.ndarray, np.ndarray]:
    unknown = sorted({c.key for c in cells} - set(known))
    rows = list(equations(cells).values())
    matrix = np.array([[row.get(key, 0) for key in unknown] for row in rows], dtype=float)
    rhs = np.array([-sum(c * known[k] for k, c in row.items() if k in known) for row in rows],
                   dtype=float)
    return unknown, matrix.reshape(len(rows), len(unknown)), rhs


def determined_by_linear_algebra(matrix: np.ndarray, column: int) -> bool:
    unit = np.zeros((1, matrix.shape[1]))
    unit[0, column] = 1
    return bool(np.linalg.matrix_rank(np.vstack([matrix, unit])) == np.linalg.matrix_rank(matrix))


def linear_system_attack(cells: Sequence[Cell], known: Mapping[str, int]) -> set[str]:
    unknown, matrix, _rhs = _system(cells, known)
    return {key for i, key in enumerate(unknown) if determined_by_linear_algebra(matrix, i)}


def bounds_attack(cells: Sequence[Cell], known: Mapping[str, int]) -> set[str]:
    """Hidden cells whose smallest and largest feasible values (each hidden count >= 1) agree."""
    unknown, matrix, rhs = _system(cells, known)
    pinned = set()
    for i, key in enumerate(unknown):
        objective = np.zeros(len(unknown))
        objective[i] = 1
        low = linprog(objective, A_eq=matrix, b_eq=rhs, bounds=(1, None), method="highs")
        high = linprog(-objective, A_eq=matrix, b_eq=rhs, bounds=(1, None), method="highs")
        assert low.status == 0, "the true table must be feasible"
        if high.status == 0 and -high.fun - low.fun < 0.5:
            pinned.add(key)
    return pinned


def assert_nothing_determined(cells: Sequence[Cell], published: Mapping[str, int | None],
                              also_known: Mapping[str, int] | None = None) -> None:
    known = {key: value for key, value in published.items() if value is not None}
    known.update(also_known or {})
    truth = {c.key: c.value for c in cells}
    recovered = margin_subtraction(cells, known)
    assert all(truth[key] == value for key, value in recovered.items())
    assert not recovered, f"margin subtraction recovers {recovered}"
    assert not linear_system_attack(cells, known), "the linear system determines a hidden cell"
    assert not bounds_attack(cells, known), "the bounds pin a hidden cell"


def assert_published_correctly(cells: Sequence[Cell], published: Mapping[str, int | None],
                               k: int) -> None:
    for cell in cells:
        if 0 < cell.value < k:
            assert published[cell.key] is None, f"{cell.key}={cell.value} is shown"
        if cell.value == 0:
            assert published[cell.key] == 0, "zeros are always shown"
        if published[cell.key] is not None:
            assert published[cell.key] == cell.value


# The properties -----------------------------------------------------------------------------


@SETTINGS
@given(specs=networks, k=st.integers(3, 8))
def test_no_hidden_cell_can_be_worked_out_from_one_version(specs, k):
    cells = build(specs)
    published = suppress(cells, k).apply(cells)
    assert_published_correctly(cells, published, k)
    assert_nothing_determined(cells, published)


@SETTINGS
@given(data=st.data(), specs=networks, k=st.integers(3, 8))
def test_no_hidden_cell_can_be_worked_out_from_two_versions(data, specs, k):
    first_cells = build(specs)
    first = suppress(first_cells, k).apply(first_cells)
    second_cells = build(data.draw(corrected(specs)))
    try:
        earlier = Earlier.from_published(first, {c.key: c.value for c in first_cells})
        second = suppress(second_cells, k, [earlier]).apply(second_cells)
    except CannotProtect:
        assume(False)
    assert_published_correctly(second_cells, second, k)
    truth_first = {c.key: c.value for c in first_cells}
    truth_second = {c.key: c.value for c in second_cells}
    unchanged = {key for key in truth_first if truth_first[key] == truth_second.get(key)}
    # Each version with the other's published values of the cells that did not change.
    from_first = {k_: v for k_, v in first.items() if v is not None and k_ in unchanged}
    from_second = {k_: v for k_, v in second.items() if v is not None and k_ in unchanged}
    assert_nothing_determined(second_cells, second, from_first)
    assert_nothing_determined(first_cells, first, from_second)
    assert not joint_attack(first_cells, first, second_cells, second, unchanged)


def joint_attack(first_cells, first, second_cells, second, unchanged) -> set[str]:
    """Both versions as one linear system; a cell unchanged and hidden in both is one unknown."""
    def variable(version: int, key: str) -> str:
        return key if key in unchanged else f"{version}:{key}"

    cells = [Cell(variable(1, c.key), f"1:{c.tail}", f"1:{c.head}", c.value) for c in first_cells]
    cells += [Cell(variable(2, c.key), f"2:{c.tail}", f"2:{c.head}", c.value)
              for c in second_cells]
    known = {variable(1, k): v for k, v in first.items() if v is not None}
    known |= {variable(2, k): v for k, v in second.items() if v is not None}
    known |= {k: v for k, v in {**{k: v for k, v in first.items() if v is not None},
                                **{k: v for k, v in second.items() if v is not None}}.items()
              if k in unchanged}
    unknown, matrix, _rhs = _system_with_shared(cells, known)
    return {key for i, key in enumerate(unknown) if determined_by_linear_algebra(matrix, i)}


def _system_with_shared(cells, known):
    rows: dict[str, dict[str, int]] = {}
    for cell in cells:
        for node, sign in ((cell.head, 1), (cell.tail, -1)):
            row = rows.setdefault(node, {})
            row[cell.key] = row.get(cell.key, 0) + sign
    unknown = sorted({c.key for c in cells} - set(known))
    matrix = np.array([[row.get(key, 0) for key in unknown] for row in rows.values()], dtype=float)
    return unknown, matrix.reshape(len(rows), len(unknown)), None


@SETTINGS
@given(specs=networks, k=st.integers(3, 8))
def test_publishing_the_same_figures_again_changes_nothing(specs, k):
    cells = build(specs)
    first = suppress(cells, k).apply(cells)
    earlier = Earlier.from_published(first, {c.key: c.value for c in cells})
    again = suppress(cells, k, [earlier]).apply(cells)
    assert again == first
