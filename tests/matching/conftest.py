from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_vocabulary import FakeVocabulary

from hansyn.matching import CandidateProfile, Engine


@pytest.fixture
def vocab() -> FakeVocabulary:
    return FakeVocabulary()


@pytest.fixture
def make_engine(vocab: FakeVocabulary) -> Callable[..., Engine]:
    def make(profiles: Iterable[CandidateProfile] = (), *, bulk: bool = True) -> Engine:
        engine = Engine(vocab)
        if bulk:
            engine.bulk_add(profiles)
        else:
            for p in profiles:
                engine.add(p)
        return engine

    return make
