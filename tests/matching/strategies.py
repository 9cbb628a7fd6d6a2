"""Hypothesis strategies for small tenants in and around Göteborg."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from hansyn.matching import CandidateProfile, VacancyProfile

SKILL_TEXTS = ["lokalvård", "städning", "Städ", "storstädning", "truckkort A", "truck", "kassa",
               "svetsning", "kock", "diskare", "lager", "hundpromenader", "hundpromenad",
               "stickning", "svenska", "B"]
LANGUAGE_TEXTS = ["svenska", "svenska B1", "svenska C1", "engelska", "arabiska A2"]
LICENCE_TEXTS = ["B", "C", "CE", "körkort D", "AM"]
TARGET_GROUPS = ["long-term", "newly-arrived", "youth"]
DAY = date(2026, 3, 1)
days = st.one_of(st.none(), st.integers(-40, 120).map(lambda n: DAY + timedelta(days=n)))
hour_ranges = st.one_of(st.none(), st.sampled_from([(10.0, 20.0), (20.0, 40.0), (40.0, 40.0)]))

points = st.one_of(
    st.none(),
    st.tuples(st.floats(57.60, 57.80), st.floats(11.80, 12.10)),
    st.tuples(st.floats(57.60, 57.80), st.floats(11.80, 12.10)),
    st.just((59.33, 18.07)),
)
commutes = st.sampled_from([None, 1.0, 3.0, 10.0, 25.0, 200.0])
radii = st.sampled_from([None, None, 1.0, 5.0, 20.0])


def candidate(cid: str) -> st.SearchStrategy[CandidateProfile]:
    return st.builds(
        CandidateProfile, id=st.just(cid),
        skills=st.lists(st.sampled_from(SKILL_TEXTS), max_size=5),
        location=points, max_commute_km=commutes,
        languages=st.lists(st.sampled_from(LANGUAGE_TEXTS), max_size=2),
        driving_licences=st.lists(st.sampled_from(LICENCE_TEXTS), max_size=2),
        target_groups=st.lists(st.sampled_from(TARGET_GROUPS), max_size=2),
        available_from=days, hours_per_week=hour_ranges,
        registered=st.one_of(st.none(), days))


@st.composite
def candidates(draw: st.DrawFn, min_size: int = 0, max_size: int = 40) -> list[CandidateProfile]:
    n = draw(st.integers(min_size, max_size))
    return [draw(candidate(f"c{i}")) for i in range(n)]


vacancies = st.builds(
    VacancyProfile, id=st.sampled_from(["v1", "v2", "v3"]),
    required_skills=st.lists(st.sampled_from(SKILL_TEXTS), max_size=3),
    desired_skills=st.lists(st.sampled_from(SKILL_TEXTS), max_size=3),
    location=points, radius_km=radii,
    required_languages=st.lists(st.sampled_from(LANGUAGE_TEXTS), max_size=1),
    required_licences=st.lists(st.sampled_from(LICENCE_TEXTS), max_size=1),
    target_groups=st.one_of(st.just([]), st.lists(st.sampled_from(TARGET_GROUPS), max_size=2)),
    hours_per_week=st.one_of(st.none(), st.sampled_from([15.0, 40.0])),
    start_date=days,
    desired_languages=st.lists(st.sampled_from(LANGUAGE_TEXTS), max_size=1))
