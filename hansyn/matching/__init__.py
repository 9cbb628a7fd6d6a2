"""Matching job seekers to vacancies: a pure, typed package (no Flask, no database)."""

from hansyn.matching.engine import (
    CandidateProfile,
    Engine,
    Match,
    StaleIndexError,
    VacancyProfile,
)
from hansyn.matching.vocabulary import Term, Vocabulary

__all__ = [
    "CandidateProfile",
    "Engine",
    "Match",
    "StaleIndexError",
    "Term",
    "VacancyProfile",
    "Vocabulary",
]
