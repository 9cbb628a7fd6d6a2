"""Behaviour of the engine on hand-made tenants: policy decisions and persistence."""

from __future__ import annotations

from datetime import date

import pytest

from hansyn.matching import CandidateProfile, Engine, StaleIndexError, VacancyProfile
from hansyn.matching.engine import ALIAS
from hansyn.matching.similarity import REWORDED
from hansyn.matching.vocabulary import Vocabulary

GBG, MOLNDAL, STHLM = (57.7089, 11.9746), (57.6554, 12.0138), (59.3293, 18.0686)


@pytest.fixture
def tenant():
    return [
        CandidateProfile(id="near", skills=["lokalvård", "truckkort A"], location=GBG,
                         max_commute_km=30, languages=["svenska"], driving_licences=["B"]),
        CandidateProfile(id="molndal", skills=["städning"], location=MOLNDAL, max_commute_km=5),
        CandidateProfile(id="far", skills=["städning"], location=STHLM),
        CandidateProfile(id="nowhere", skills=["städning", "kassa"]),
        CandidateProfile(id="welder", skills=["svetsning"], location=GBG),
    ]


def test_example_from_the_interface(make_engine, tenant):
    engine = make_engine(tenant)
    v = VacancyProfile(id="v1", required_skills=["städning"], desired_skills=["svenska"],
                       location=(57.72, 11.95))
    matches = engine.rank(v, limit=20)
    assert matches[0].candidate_id == "near"
    top = matches[0]
    # lokalvård is the vocabulary's word for städning: a match by synonym (ALIAS) in another
    # wording, without a character n-gram in common (REWORDED)
    assert top.matched == [("städning", "lokalvård", pytest.approx(ALIAS * REWORDED)),
                           ("svenska", "svenska", 1.0)]
    assert top.missing == []
    assert 1.5 < top.distance_km < 2.5
    assert "welder" not in {m.candidate_id for m in matches}
    assert "molndal" not in {m.candidate_id for m in matches}  # 7 km > its 5 km commute


def test_required_skills_weigh_more_than_desired(make_engine):
    engine = make_engine([
        CandidateProfile(id="req", skills=["kassa"], location=GBG),
        CandidateProfile(id="des", skills=["lager"], location=GBG),
    ])
    v = VacancyProfile(id="v", required_skills=["kassa"], desired_skills=["lager"], location=GBG)
    by_id = {m.candidate_id: m for m in engine.rank(v)}
    assert by_id["req"].score == pytest.approx(2 / 3)
    assert by_id["des"].score == pytest.approx(1 / 3)
    assert by_id["des"].missing == ["kassa"]


def test_score_falls_with_distance(make_engine):
    engine = make_engine([CandidateProfile(id=f"c{i}", skills=["kassa"],
                                           location=(57.70 + 0.05 * i, 11.97)) for i in range(5)])
    matches = engine.rank(VacancyProfile(id="v", required_skills=["kassa"], location=GBG))
    assert [m.candidate_id for m in matches] == ["c0", "c1", "c2", "c3", "c4"]
    assert matches[0].score > matches[-1].score > 0.7


def test_candidates_without_location_only_without_radius(make_engine, tenant):
    engine = make_engine(tenant)
    open_v = VacancyProfile(id="v", required_skills=["städning"], location=GBG)
    nowhere = next(m for m in engine.rank(open_v) if m.candidate_id == "nowhere")
    assert nowhere.distance_km is None
    assert nowhere.score == pytest.approx(0.7)  # behind anyone at a known distance
    radius_v = VacancyProfile(id="v", required_skills=["städning"], location=GBG, radius_km=1000)
    assert "nowhere" not in {m.candidate_id for m in engine.rank(radius_v)}
    anywhere = VacancyProfile(id="v", required_skills=["städning"])  # remote: no location
    assert {m.candidate_id for m in engine.rank(anywhere)} == {"near", "molndal", "far",
                                                               "nowhere"}
    assert {m.candidate_id: m.score for m in engine.rank(anywhere)} == {
        "near": pytest.approx(ALIAS * REWORDED), "molndal": 1.0, "far": 1.0,
        "nowhere": 1.0}  # near: by synonym


def test_radius_and_requirements_filter(make_engine, tenant):
    engine = make_engine(tenant)
    v = VacancyProfile(id="v", required_skills=["städning"], location=GBG, radius_km=10,
                       required_languages=["svenska"], required_licences=["B"])
    assert [m.candidate_id for m in engine.rank(v)] == ["near"]
    v_ce = VacancyProfile(id="v", required_skills=["städning"], required_licences=["CE"])
    assert engine.rank(v_ce) == []


def test_vacancy_without_skills_ranks_by_distance(make_engine, tenant):
    engine = make_engine(tenant)
    matches = engine.rank(VacancyProfile(id="v", location=GBG, radius_km=50))
    assert {m.candidate_id for m in matches} == {"near", "welder"}  # both at 0 km
    assert (matches[0].matched, matches[0].missing) == ([], [])


def test_limit_and_empty_engine(make_engine, tenant, vocab):
    v = VacancyProfile(id="v", required_skills=["städning"])
    assert len(make_engine(tenant).rank(v, limit=2)) == 2
    assert make_engine(tenant).rank(v, limit=0) == []
    assert Engine(vocab).rank(v) == []


def test_blank_texts_are_ignored(make_engine):
    engine = make_engine([CandidateProfile(id="c", skills=["  ", "kassa"])])
    matches = engine.rank(VacancyProfile(id="v", required_skills=["kassa", ""]))
    assert [(m.candidate_id, m.score, m.missing) for m in matches] == [("c", 1.0, [])]


def test_ids_must_be_plain_strings(make_engine):
    with pytest.raises(ValueError, match="candidate id"):
        make_engine([CandidateProfile(id="")])


def test_remove_unknown_id_is_harmless(make_engine, tenant):
    engine = make_engine(tenant)
    engine.remove("nobody")
    assert len(engine) == len(tenant)
    assert "near" in engine


def test_automatic_compaction_keeps_rankings(vocab, tenant):
    engine = Engine(vocab, compact_min=2, compact_ratio=0.0)
    for c in tenant:  # every third add merges the delta
        engine.add(c)
    v = VacancyProfile(id="v", required_skills=["städning"], location=GBG)
    assert engine.rank(v) == Engine.build(tenant, vocab).rank(v)


@pytest.mark.parametrize("mmap", [True, False])
def test_save_and_load_round_trip(make_engine, tenant, vocab, tmp_path, mmap):
    engine = make_engine(tenant[:3], bulk=False)
    engine.bulk_add(tenant[3:])
    engine.remove("far")
    engine.save(tmp_path / "idx", fingerprint="db-42")
    loaded = Engine.load(tmp_path / "idx", vocab, fingerprint="db-42", mmap=mmap)
    assert loaded.fingerprint == "db-42"
    assert len(loaded) == len(engine)
    for v in (VacancyProfile(id="a", required_skills=["städning"], location=GBG),
              VacancyProfile(id="b", required_skills=["kassa"], desired_skills=["svenska"]),
              VacancyProfile(id="c", location=GBG, radius_km=3)):
        assert loaded.rank(v) == engine.rank(v)
    loaded.add(CandidateProfile(id="extra", skills=["kassa"]))  # loaded indexes stay editable
    loaded.remove("near")
    assert "near" not in {m.candidate_id for m in loaded.rank(
        VacancyProfile(id="a", required_skills=["städning"]))}


def test_load_refuses_stale_or_missing_index(make_engine, tenant, vocab, tmp_path):
    with pytest.raises(StaleIndexError):
        Engine.load(tmp_path / "missing", vocab)
    make_engine(tenant).save(tmp_path / "idx", fingerprint="v1")
    with pytest.raises(StaleIndexError, match="fingerprint"):
        Engine.load(tmp_path / "idx", vocab, fingerprint="v2")

    class OtherVocabulary(type(vocab)):
        version = "other"

    with pytest.raises(StaleIndexError, match="vocabulary"):
        Engine.load(tmp_path / "idx", OtherVocabulary())


def test_load_or_build_rebuilds_only_when_stale(vocab, tenant, tmp_path):
    calls = []

    def profiles():
        calls.append(1)
        return tenant

    first = Engine.load_or_build(tmp_path / "idx", "fp1", profiles, vocab)
    again = Engine.load_or_build(tmp_path / "idx", "fp1", profiles, vocab)
    assert len(calls) == 1
    assert len(again) == len(first) == len(tenant)
    Engine.load_or_build(tmp_path / "idx", "fp2", profiles, vocab)
    assert len(calls) == 2


def test_default_vocabulary_is_the_shipped_one():
    engine = Engine()
    engine.add(CandidateProfile(id="c1", skills=["lokalvård", "truckkort A"],
                                location=(57.70, 11.97), max_commute_km=30,
                                languages=["svenska"], driving_licences=["B"]))
    matches = engine.rank(VacancyProfile(id="v1", required_skills=["städning"],
                                         desired_skills=["svenska"], location=(57.72, 11.95),
                                         required_licences=["B"]))
    assert [m.candidate_id for m in matches] == ["c1"]
    assert matches[0].missing == []


def test_bulk_add_stops_cleanly_at_a_bad_profile(make_engine, tenant, vocab):
    engine = make_engine(tenant)
    with pytest.raises(ValueError, match="candidate id"):
        engine.bulk_add([CandidateProfile(id="near", skills=["kassa"]), CandidateProfile(id="")])
    assert len(engine) == len(tenant)
    v = VacancyProfile(id="v", required_skills=["kassa"])
    assert "near" in {m.candidate_id for m in engine.rank(v)}  # the replacement before it


# ----------------------------------------------------------------- ranking that knows the job


def test_target_groups_filter_and_are_named(make_engine):
    engine = make_engine([
        CandidateProfile(id="youth", skills=["kassa"], target_groups=["youth"]),
        CandidateProfile(id="none", skills=["kassa"]),
        CandidateProfile(id="long", skills=["kassa"], target_groups=["long-term", "youth"]),
    ])
    v = VacancyProfile(id="v", required_skills=["kassa"], target_groups=["long-term"])
    assert [(m.candidate_id, m.reasons) for m in engine.rank(v)] == [
        ("long", [("target_group", "long-term")])]
    nobody = VacancyProfile(id="v", required_skills=["kassa"], target_groups=["disability"])
    assert engine.rank(nobody) == []


def test_working_hours_must_fit_when_known(make_engine):
    engine = make_engine([
        CandidateProfile(id="part", skills=["kassa"], hours_per_week=(10, 20)),
        CandidateProfile(id="full", skills=["kassa"], hours_per_week=(30, 40)),
        CandidateProfile(id="unknown", skills=["kassa"]),
    ])
    got = engine.rank(VacancyProfile(id="v", required_skills=["kassa"], hours_per_week=40))
    assert {m.candidate_id: m.reasons for m in got} == {"full": [("hours", "30-40")],
                                                         "unknown": []}


def test_a_later_start_lowers_the_score(make_engine):
    start = date(2026, 3, 1)
    engine = make_engine([
        CandidateProfile(id="ready", skills=["kassa"], available_from=date(2026, 2, 1)),
        CandidateProfile(id="month", skills=["kassa"], available_from=date(2026, 3, 31)),
    ])
    got = engine.rank(VacancyProfile(id="v", required_skills=["kassa"], start_date=start))
    assert [m.candidate_id for m in got] == ["ready", "month"]
    assert got[0].score == 1.0
    assert got[0].reasons == [("available", "on time")]
    assert got[1].score == pytest.approx(0.9)  # 30 days late: 1 - 0.2 * 30 / 60
    assert got[1].reasons == [("available", "30 days late")]


def test_desired_languages_weigh_like_desired_skills(make_engine):
    engine = make_engine([
        CandidateProfile(id="sv", skills=["kassa"], languages=["svenska"]),
        CandidateProfile(id="en", skills=["kassa"], languages=["engelska"]),
    ])
    v = VacancyProfile(id="v", required_skills=["kassa"], desired_languages=["svenska"])
    got = engine.rank(v)
    assert [(m.candidate_id, round(m.score, 6)) for m in got] == [("sv", 1.0),
                                                                  ("en", round(2 / 3, 6))]


def test_ties_go_to_the_longest_registered_then_by_id(make_engine):
    engine = make_engine([
        CandidateProfile(id="b-new", skills=["kassa"], registered=date(2026, 1, 5)),
        CandidateProfile(id="c-unknown", skills=["kassa"]),
        CandidateProfile(id="a-new", skills=["kassa"], registered=date(2026, 1, 5)),
        CandidateProfile(id="z-old", skills=["kassa"], registered=date(2024, 6, 1)),
    ], bulk=False)
    v = VacancyProfile(id="v", required_skills=["kassa"])
    assert [m.candidate_id for m in engine.rank(v)] == ["z-old", "a-new", "b-new", "c-unknown"]
    assert [m.candidate_id for m in engine.rank(v, limit=2)] == ["z-old", "a-new"]
    engine.compact()
    assert [m.candidate_id for m in engine.rank(v, limit=3)] == ["z-old", "a-new", "b-new"]


def test_a_loaded_engine_ranks_without_compiling(tenant, vocab, tmp_path):
    """`Engine.load` (before a server forks) compiles every kernel for the types a ranking
    passes — a memory-mapped index's arrays are read-only, a type of their own — so a worker
    never compiles on a request, with or without a delta."""
    from hansyn.matching import kernels

    Engine.build(tenant, vocab).save(tmp_path / "idx", fingerprint="f")
    loaded = Engine.load(tmp_path / "idx", vocab, fingerprint="f")
    compiled = {name: list(getattr(kernels, name).signatures) for name in kernels.__all__
                if hasattr(getattr(kernels, name), "signatures")}
    asks = [VacancyProfile(id="a", required_skills=["städning", "kassa"], location=GBG,
                           radius_km=50, hours_per_week=30, start_date=date(2027, 1, 1)),
            VacancyProfile(id="b", desired_skills=["svenska"], required_licences=["B"]),
            VacancyProfile(id="c", location=GBG),
            # a typo that several offered forms might be: their slip prefilter reads a
            # selection of columns (Fortran-ordered unless made contiguous)
            VacancyProfile(id="d", required_skills=["städnig", "lokalvårt", "kasa"])]
    for v in asks:
        loaded.rank(v)
    loaded.add(CandidateProfile(id="new", skills=["städning"], location=MOLNDAL))
    for v in asks:
        loaded.rank(v)
    assert {name: list(getattr(kernels, name).signatures) for name in compiled} == compiled
    called = {"band_bounds", "cut_positions", "ring_sums", "ring_best", "first_positions",
              "merge_found", "merged_postings", "near_cosines", "slip_masks"}  # from Python;
    # the others only inside these
    assert all(compiled[name] for name in called), compiled


@pytest.mark.parametrize("limit", [1, 2, 5])
def test_equal_scores_go_in_the_order_of_numeric_ids(vocab, limit):
    """The app's ids are numbers written out: "9" before "10" and "100", whether the tie is
    inside the top or crosses its cut."""
    same = [CandidateProfile(id=cid, skills=["städning"], location=GBG)
            for cid in ("100", "10", "9", "11")]
    engine = Engine.build(same, vocab)
    ranked = [m.candidate_id for m in engine.rank(
        VacancyProfile(id="v", required_skills=["städning"], location=GBG), limit=limit)]
    assert ranked == ["9", "10", "11", "100"][:limit]


def test_a_prepared_vacancy_ranks_without_resolving_its_texts(tenant, vocab, monkeypatch):
    """`prepare` resolves a vacancy's texts before its first ranking (the app does it before a
    server forks); the ranking is then the one an unprepared engine gives, also after the
    index changed in between."""
    asks = [VacancyProfile(id="a", required_skills=["städning", "kassa"], location=GBG,
                           radius_km=50, required_languages=["svenska"]),
            VacancyProfile(id="b", desired_skills=["lokalvård"], required_licences=["B"])]
    prepared, plain = Engine.build(tenant, vocab), Engine.build(tenant, vocab)
    prepared.prepare(asks)
    normalized: list[str] = []
    original = vocab.normalize

    def counting(text):
        normalized.append(text)
        return original(text)

    monkeypatch.setattr(vocab, "normalize", counting)
    for engine in (prepared, plain):
        engine.add(CandidateProfile(id="new", skills=["städning"], location=MOLNDAL,
                                    languages=["svenska"], driving_licences=["B"]))
        engine.remove("far")
    before = len(normalized)
    ranked = [prepared.rank(v) for v in asks]
    assert len(normalized) == before  # nothing of the prepared vacancies was resolved again
    assert ranked == [plain.rank(v) for v in asks]
    assert len(normalized) > before  # while the plain engine resolved them on ranking
    assert "new" in {m.candidate_id for m in ranked[0]}  # added after the preparation
    assert "far" not in {m.candidate_id for ranking in ranked for m in ranking}


def test_a_language_or_licence_asked_as_a_skill_is_graded_but_required_as_a_fact():
    """A wanted language or licence meets the texts that only resemble it (misspellings the
    vocabulary does not know), below its own; as a requirement only its keys qualify."""
    vocabulary = Vocabulary.default()
    assert vocabulary.normalize("trukkort").kind == "free"  # unknown to the vocabulary
    assert vocabulary.normalize("engleska").kind == "free"
    engine = Engine.build([
        CandidateProfile(id="card", skills=["truckkort"]),
        CandidateProfile(id="misspelt-card", skills=["trukkort"]),
        CandidateProfile(id="english", languages=["engelska"]),
        CandidateProfile(id="misspelt", skills=["engleska"]),
        CandidateProfile(id="knows", skills=["engelskkunskaper"]),
        CandidateProfile(id="cook", skills=["kock"]),
    ], vocabulary)
    truck = engine.rank(VacancyProfile(id="t", required_skills=["Truckkort"]))
    assert [m.candidate_id for m in truck] == ["card", "misspelt-card"]
    assert truck[0].score == 1.0 > truck[1].score > 0.5
    assert truck[1].matched == [("Truckkort", "trukkort", truck[1].score)]
    english = engine.rank(VacancyProfile(id="e", required_skills=["Engelska"]))
    # "engelskkunskaper" is the language itself (a skill text may state a fact)
    assert [(m.candidate_id, m.score) for m in english[:2]] == [("knows", 1.0),
                                                                ("english", 1.0)]
    assert [m.candidate_id for m in english[2:]] == ["misspelt"]
    assert 0.5 < english[2].score < 1.0
    required = VacancyProfile(id="r", required_skills=["kock"], required_languages=["Engelska"])
    assert engine.rank(required) == []  # nobody who cooks has English as a fact
    as_fact = VacancyProfile(id="f", required_languages=["Engelska"])
    assert [m.candidate_id for m in engine.rank(as_fact)] == ["knows", "english"]
