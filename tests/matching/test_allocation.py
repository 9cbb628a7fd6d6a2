"""Allocation: each candidate once, never more than the positions, never worse than greedy."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import candidates, vacancies

from hansyn.matching import CandidateProfile, Engine, VacancyProfile
from tests.hypothesis_budget import examples

SETTINGS = settings(max_examples=examples(100), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])

demands = st.lists(st.tuples(vacancies, st.integers(0, 4)), max_size=5).map(
    lambda ds: [(v.__class__(**{**_fields(v), "id": f"v{i}"}), p) for i, (v, p) in enumerate(ds)])


def _fields(v: VacancyProfile) -> dict[str, object]:
    return {name: getattr(v, name) for name in VacancyProfile.__slots__}


@SETTINGS
@given(cands=candidates(max_size=25), wanted=demands)
def test_allocation_respects_capacities_and_beats_greedy(vocab, cands, wanted):
    engine = Engine.build(cands, vocab)
    optimal = engine.allocate_scored(wanted)
    greedy = engine.allocate_scored(wanted, greedy=True)
    for pairs in (optimal, greedy):
        assert len({c for _, c, _ in pairs}) == len(pairs)  # each candidate at most once
        per_vacancy = Counter(v for v, _, _ in pairs)
        capacity = {v.id: p for v, p in wanted}
        assert all(n <= capacity[v] for v, n in per_vacancy.items())
        for v, c, score in pairs:  # every pair is a ranked (so eligible) match
            vacancy = next(x for x, _ in wanted if x.id == v)
            ranked = {m.candidate_id: m.score for m in engine.rank(vacancy, len(cands) + 1)}
            assert ranked[c] == pytest.approx(score, abs=1e-12)
    assert sum(s for *_, s in optimal) >= sum(s for *_, s in greedy) - 1e-9
    assert engine.allocate(wanted) == [(v, c) for v, c, _ in optimal]


def brute_force_best(engine: Engine, wanted: list[tuple[VacancyProfile, int]], n: int) -> float:
    slots = [v for v, p in wanted for _ in range(p)]
    scores = [{m.candidate_id: m.score for m in engine.rank(v, n)} for v in slots]
    best = 0.0
    for chosen in itertools.product(*[[None, *s] for s in scores]):
        used = [c for c in chosen if c is not None]
        if len(used) == len(set(used)):
            best = max(best, sum(s[c] for s, c in zip(scores, chosen, strict=True) if c))
    return best


@SETTINGS
@given(cands=candidates(max_size=6), wanted=demands.filter(lambda d: sum(p for _, p in d) <= 4))
def test_allocation_is_optimal_on_small_instances(vocab, cands, wanted):
    engine = Engine.build(cands, vocab)
    got = sum(s for *_, s in engine.allocate_scored(wanted, depth=len(cands)))
    assert abs(got - brute_force_best(engine, wanted, len(cands))) < 1e-9


def test_optimal_beats_greedy_where_greedy_is_short_sighted(vocab):
    """Greedy gives the all-rounder to the first vacancy and leaves the second one empty."""
    here = (57.70, 11.97)
    engine = Engine.build([
        CandidateProfile(id="allround", skills=["kassa", "svetsning"], location=here),
        CandidateProfile(id="cashier", skills=["kassa"], location=here),
    ], vocab)
    shop = VacancyProfile(id="shop", required_skills=["kassa", "svetsning"], location=here)
    works = VacancyProfile(id="works", required_skills=["svetsning"], location=here)
    greedy = engine.allocate_scored([(shop, 1), (works, 1)], greedy=True)
    assert [(v, c) for v, c, _ in greedy] == [("shop", "allround")]
    assert sorted(engine.allocate([(shop, 1), (works, 1)])) == [
        ("shop", "cashier"), ("works", "allround")]


def test_positions_stay_empty_without_candidates(vocab):
    engine = Engine.build([CandidateProfile(id="c", skills=["kassa"])], vocab)
    v = VacancyProfile(id="v", required_skills=["kassa"])
    assert engine.allocate([(v, 3)]) == [("v", "c")]
    assert engine.allocate([(v, 0)]) == []
    assert Engine(vocab).allocate([(v, 2)]) == []
