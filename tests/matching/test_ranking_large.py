"""Rankings over a crowded ring against the brute-force definition, with the pilot (the rows
of the highest skill scored first, then only rows whose skill can reach its limit-th score)
made small, so that it is taken in most rings and misses in some."""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
import pytest
from fake_vocabulary import FakeVocabulary
from reference import near_limit, reference_scores
from strategies import LANGUAGE_TEXTS, LICENCE_TEXTS, SKILL_TEXTS

from hansyn.matching import CandidateProfile, Engine, VacancyProfile, ranking
from hansyn.matching.vocabulary import Vocabulary

DAY = date(2026, 3, 1)


def crowd(rng: random.Random, n: int) -> list[CandidateProfile]:
    """Candidates within a few km of central Göteborg, most in the innermost ring."""
    return [CandidateProfile(
        id=f"c{i}", skills=rng.sample(SKILL_TEXTS, rng.randint(1, 4)),
        location=None if rng.random() < 0.02 else (57.70 + rng.gauss(0, 0.01),
                                                   11.97 + rng.gauss(0, 0.05)),
        max_commute_km=rng.choice([None, 1.0, 3.0, 10.0, 25.0]),
        languages=rng.sample(LANGUAGE_TEXTS, rng.randint(0, 2)),
        driving_licences=rng.sample(LICENCE_TEXTS, rng.randint(0, 1)),
        available_from=rng.choice([None, DAY, DAY + timedelta(days=rng.randint(1, 90))]),
        hours_per_week=rng.choice([None, (10.0, 20.0), (20.0, 40.0)]))
        for i in range(n)]


def expected(vocab: object, cands: list[CandidateProfile], v: VacancyProfile,
             limit: int) -> list[tuple[str, float]]:
    """The reference's best, equal scores (to 1e-9) by candidate id (nobody is registered)."""
    ref = reference_scores(vocab, cands, v)
    key = {cid: (-int(np.rint(s * 1e9)), cid) for cid, (s, _) in ref.items()}
    return [(cid, ref[cid][0]) for cid in sorted(ref, key=key.__getitem__)[:limit]]


@pytest.mark.parametrize("pilot", [5, 40])
@pytest.mark.parametrize("vocab_name", ["stand-in", "shipped"])
def test_crowded_rankings_equal_brute_force(vocab_name: str, pilot: int,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ranking, "pilot_size", lambda _limit: pilot)
    vocab = FakeVocabulary() if vocab_name == "stand-in" else Vocabulary.default()
    rng = random.Random(20261202)  # noqa: S311 (a reproducible tenant, not secrets)
    cands = crowd(rng, 300)
    engine = Engine.build(cands, vocab)
    for i in range(6):
        v = VacancyProfile(
            id=f"v{i}", required_skills=rng.sample(SKILL_TEXTS, rng.randint(1, 2)),
            desired_skills=rng.sample(SKILL_TEXTS, rng.randint(0, 2)),
            location=(57.70, 11.97), radius_km=rng.choice([None, None, 5.0]),
            required_languages=["svenska B1"] if i % 3 == 0 else [],
            hours_per_week=15.0 if i % 4 == 1 else None,
            start_date=DAY if i % 2 else None)
        live = [c for c in cands if not near_limit(c, v)]
        assert len(live) == len(cands)  # no pair whose eligibility rounding could decide
        got = [(m.candidate_id, m.score) for m in engine.rank(v, 5)]
        want = expected(vocab, cands, v, 5)
        assert [cid for cid, _ in got] == [cid for cid, _ in want]
        assert [s for _, s in got] == pytest.approx([s for _, s in want], abs=1e-9)
