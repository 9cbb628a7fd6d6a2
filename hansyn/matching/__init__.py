"""Matching job seekers to vacancies: a pure, typed package (no Flask, no database)."""

from hansyn.matching.engine import (
    CandidateProfile,
    Engine,
    Match,
    StaleIndexError,
    VacancyProfile,
)

__all__ = ["CandidateProfile", "Engine", "Match", "StaleIndexError", "VacancyProfile"]
