"""The fast index against the brute-force definition, and invariants of ranking."""

from __future__ import annotations

import itertools
import math

import pytest
from fake_vocabulary import FakeVocabulary
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from reference import near_limit, reference_scores
from strategies import candidate, candidates, vacancies

from hansyn.matching import CandidateProfile, Engine, Match, VacancyProfile
from hansyn.matching.vocabulary import Vocabulary
from tests.hypothesis_budget import examples


@pytest.fixture(params=["stand-in", "shipped"])
def vocab(request: pytest.FixtureRequest) -> object:
    """Each property holds with the predictable stand-in and with the shipped Swedish vocabulary."""
    return FakeVocabulary() if request.param == "stand-in" else Vocabulary.default()


SETTINGS = settings(max_examples=examples(150), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


def assert_matches_reference(vocab: object, live: list[CandidateProfile], v: VacancyProfile,
                             got: list[Match], limit: int) -> None:
    ref = reference_scores(vocab, live, v)
    want = sorted((s for s, _ in ref.values()), reverse=True)[:limit]
    assert len(got) == len(want)
    assert [m.score for m in got] == pytest.approx(want, abs=1e-9)
    for m in got:
        score, dist = ref[m.candidate_id]
        assert m.score == pytest.approx(score, abs=1e-9)
        assert (m.distance_km is None) == (dist is None)
        if dist is not None:
            assert m.distance_km == pytest.approx(dist, abs=1e-6)


@SETTINGS
@given(cands=candidates(), extra=candidates(max_size=8), data=st.data(),
       v=vacancies, limit=st.integers(1, 12))
def test_index_agrees_with_brute_force(vocab, cands, extra, data, v, limit):
    """Bulk-built main segment plus delta edits (adds, replacements, removals)."""
    engine = Engine(vocab)
    engine.bulk_add(cands)
    live = {c.id: c for c in cands}
    for c in extra:  # ids c0.. collide with the bulk ones: replacements
        engine.add(c)
        live[c.id] = c
    for cid in data.draw(st.lists(st.sampled_from(sorted(live) or ["x"]), max_size=5)):
        engine.remove(cid)
        live.pop(cid, None)
    assume(not any(near_limit(c, v) for c in live.values()))
    got = engine.rank(v, limit)
    assert_matches_reference(vocab, list(live.values()), v, got, limit)
    engine.compact()
    assert engine.rank(v, limit) == got


@SETTINGS
@given(cands=candidates(), v=vacancies)
def test_scores_are_in_unit_interval_and_sorted(vocab, cands, v):
    engine = Engine.build(cands, vocab)
    got = engine.rank(v, 50)
    assert all(0.0 <= m.score <= 1.0 for m in got)
    # scores within 1e-9 are ties (ordered by a hash), so "sorted" holds up to that
    assert all(a.score >= b.score - 1e-9 for a, b in itertools.pairwise(got))


@SETTINGS
@given(cands=candidates(), v=vacancies)
def test_hard_limits_are_never_crossed(vocab, cands, v):
    engine = Engine.build(cands, vocab)
    by_id = {c.id: c for c in cands}
    for m in engine.rank(v, 50):
        c = by_id[m.candidate_id]
        if m.distance_km is not None:
            if c.max_commute_km is not None:
                assert m.distance_km <= c.max_commute_km + 1e-9
            if v.radius_km is not None:
                assert m.distance_km <= v.radius_km + 1e-9
        elif v.location is not None:
            assert v.radius_km is None  # no location: only when the vacancy sets no radius
        offered = {vocab.normalize(t).key for t in (*c.skills, *c.languages, *c.driving_licences)}
        for need in (*v.required_languages, *v.required_licences):
            assert offered & {k for k, _ in vocab.related(vocab.normalize(need))}


@SETTINGS
@given(cands=candidates(min_size=1), newcomer=candidate("new"), v=vacancies,
       bulk=st.booleans())
def test_add_then_remove_leaves_rankings_unchanged(vocab, cands, newcomer, v, bulk):
    engine = Engine(vocab)
    if bulk:
        engine.bulk_add(cands)
    else:
        for c in cands:
            engine.add(c)
    before = engine.rank(v, 10)
    engine.add(newcomer)
    engine.remove("new")
    assert engine.rank(v, 10) == before
    assert len(engine) == len(cands)


@SETTINGS
@given(cands=candidates(min_size=1), replacement=candidate("c0"), v=vacancies)
def test_add_with_existing_id_replaces(vocab, cands, replacement, v):
    engine = Engine.build(cands, vocab)
    engine.add(replacement)
    fresh = Engine.build([replacement, *cands[1:]], vocab)
    assert engine.rank(v, 20) == fresh.rank(v, 20)
    assert len(engine) == len(cands)


@SETTINGS
@given(cands=candidates(), v=vacancies)
def test_explanations_name_the_skills_behind_the_score(vocab, cands, v):
    engine = Engine.build(cands, vocab)
    by_id = {c.id: c for c in cands}
    wanted = [*v.required_skills, *v.desired_skills, *v.desired_languages]
    for m in engine.rank(v, 20):
        c = by_id[m.candidate_id]
        offered = [*c.skills, *c.languages, *c.driving_licences]
        assert {w for w, _, _ in m.matched}.isdisjoint(m.missing)
        for w, o, sim in m.matched:
            assert w in wanted
            assert o in offered
            assert 0 < sim <= 1
        if wanted:
            assert m.matched  # a score needs at least one matched skill
        assert set(m.missing) <= set(wanted)


def test_ranking_is_deterministic_across_build_orders(vocab):
    cands = [CandidateProfile(id=f"c{i}", skills=["lokalvård"], location=(57.7, 11.97))
             for i in range(30)]
    v = VacancyProfile(id="v", required_skills=["städning"], location=(57.7, 11.97))
    forward = Engine.build(cands, vocab).rank(v, 10)
    backward = Engine.build(reversed(cands), vocab).rank(v, 10)
    assert forward == backward
    # equal candidates score alike (1.0 in the stand-in, where städning and lokalvård are synonyms)
    assert all(math.isclose(m.score, forward[0].score) for m in forward)
