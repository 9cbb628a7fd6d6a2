"""The web app's matching index: cached per tenant and database, rebuilt when candidates change,
built for every tenant by `warm_all` before a server forks; and the pseudonym scheme."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import pytest

from hansyn.platform import operations as platform_ops
from hansyn.tenants.audit.operations import SystemActor
from hansyn.tenants.candidates import operations as candidate_ops
from hansyn.tenants.candidates.models import Candidate
from hansyn.tenants.matches import index as matching_index
from hansyn.tenants.matches.pseudonyms import candidate_of, new_pseudonym, pseudonyms_for
from tests.fixtures.vacancies import new_supplier_row

ACTOR = SystemActor(None, "handlaggare@example.se")


def _index(app, slug: str = "alfa") -> matching_index.TenantIndex:
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session(slug) as session:
        return matching_index.index_for(session, slug)


def _saved_folder(app, slug: str) -> Path:
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session(slug) as session:
        return matching_index.saved_path(matching_index._key(session, slug))


def test_index_is_reused_until_a_candidate_changes(app, create_candidate):
    candidate = create_candidate("alfa", consent=True)
    first = _index(app)
    assert str(candidate) in first.profiles
    assert _index(app) is first  # nothing changed: the same engine
    databases = app.extensions["hansyn_databases"]
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        candidate_ops.record_consent(session, session.get(Candidate, candidate), False, ACTOR)
    second = _index(app)
    assert second is not first
    assert second.fingerprint != first.fingerprint
    assert str(candidate) not in second.profiles
    assert str(candidate) not in second.engine


def test_profiles_carry_no_personal_data(app, create_candidate):
    candidate = create_candidate("alfa", consent=True, name="Hemliga Personen")
    profile = _index(app).profile(str(candidate))
    assert profile is not None
    assert "Hemliga" not in repr(profile)
    assert list(profile.skills) == ["Truckvana", "Lagerarbete"]


def test_warm_all_builds_every_tenant(app, create_candidate):
    create_candidate("beta", consent=True)
    matching_index.invalidate()
    sizes = matching_index.warm_all(app)
    assert set(sizes) >= {"alfa", "beta"}
    assert sizes["beta"] >= 1
    warmed = _index(app, "beta")
    assert _index(app, "beta") is warmed
    assert len(warmed.profiles) == sizes["beta"]


def test_saved_index_survives_a_restart_and_is_brought_up_to_date(
    app, create_candidate, monkeypatch
):
    kept = create_candidate("beta", consent=True, available_from="2027-03-01")
    sizes = matching_index.warm_all(app)  # as gunicorn's master does; it saves every index
    before = _index(app, "beta").profile(str(kept))
    assert before is not None
    assert before.available_from is not None
    assert before.registered is not None
    with app.app_context():
        databases = app.extensions["hansyn_databases"]
        with databases.tenant_session("beta") as session:
            folder = matching_index.saved_path(matching_index._key(session, "beta"))
    assert (folder / "profiles.json").exists()
    matching_index.invalidate()  # a new process: nothing in memory

    def no_full_build(*_args, **_kwargs):
        raise AssertionError("a restart with a current saved index must not rebuild")

    monkeypatch.setattr(matching_index, "build", no_full_build)
    restored = _index(app, "beta")
    assert len(restored.profiles) == sizes["beta"]
    assert str(kept) in restored.engine
    assert restored.profile(str(kept)) == before  # the job fields too (dates, hours, group)
    added = create_candidate("beta", consent=True)  # a change while the server was down
    matching_index.invalidate()
    updated = _index(app, "beta")  # loaded from disk, then only the changed rows re-read
    assert str(added) in updated.profiles
    assert str(added) in updated.engine


def test_saved_copy_is_deleted_when_a_candidate_leaves_the_index(app, create_candidate):
    leaving = create_candidate("beta", consent=True)
    matching_index.warm_all(app)
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("beta") as session:
        folder = matching_index.saved_path(matching_index._key(session, "beta"))
    assert (folder / "profiles.json").exists()
    with app.test_request_context(), databases.tenant_session("beta", write=True) as session:
        candidate_ops.record_consent(session, session.get(Candidate, leaving), False, ACTOR)
    assert str(leaving) not in _index(app, "beta").profiles
    assert not folder.exists()  # the withdrawn candidate's profile is not kept on disk


def _one_of_two_leaves_beta(app, create_candidate) -> tuple[int, int, Path]:
    """Two candidates in beta's saved index; one withdraws consent and the next request removes
    them (which deletes the saved copy). Returns who left, who stayed and the copy's folder."""
    leaving = create_candidate("beta", consent=True)
    staying = create_candidate("beta", consent=True)
    matching_index.warm_all(app)
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("beta") as session:
        folder = matching_index.saved_path(matching_index._key(session, "beta"))
    with app.test_request_context(), databases.tenant_session("beta", write=True) as session:
        candidate_ops.record_consent(session, session.get(Candidate, leaving), False, ACTOR)
    _index(app, "beta")
    return leaving, staying, folder


def test_the_saved_copy_is_written_anew_without_who_left(app, create_candidate, monkeypatch):
    """After a removal deleted it, the current index is saved again a while later, so a
    restart still loads one instead of building from scratch."""
    monkeypatch.setattr(matching_index, "RESAVE_DELAY_SECONDS", 0.05)
    monkeypatch.setattr(matching_index, "_resaves", {})  # none pending from other tests
    leaving, staying, folder = _one_of_two_leaves_beta(app, create_candidate)
    for thread in threading.enumerate():
        if thread.name.startswith("resave-"):
            thread.join(10)
    saved = json.loads((folder / "profiles.json").read_text(encoding="utf-8"))
    ids = {profile["id"] for profile in saved["profiles"]}
    assert str(staying) in ids
    assert str(leaving) not in ids


def test_a_process_that_exits_before_the_resave_saves_at_once(
    app, create_candidate, monkeypatch
):
    """A deploy right after a consent withdrawal must not leave the next start without a saved
    index (a full build of a large tenant before the first ranked list)."""
    monkeypatch.setattr(matching_index, "RESAVE_DELAY_SECONDS", 3600)
    monkeypatch.setattr(matching_index, "_resaves", {})
    monkeypatch.setattr(matching_index, "_exiting", threading.Event())
    leaving, staying, folder = _one_of_two_leaves_beta(app, create_candidate)
    assert not folder.exists()

    matching_index._save_pending_at_exit()  # what atexit runs

    saved = matching_index.load_saved(folder)
    assert saved is not None
    assert str(staying) in saved.profiles
    assert str(leaving) not in saved.profiles


def test_a_resave_never_writes_anyone_who_left_before_it_began(
    app, create_candidate, monkeypatch
):
    """Another process saw the candidate leave; this one's index still holds them. Its save
    brings the index up to date first."""
    monkeypatch.setattr(matching_index, "RESAVE_DELAY_SECONDS", 3600)
    monkeypatch.setattr(matching_index, "_resaves", {})
    monkeypatch.setattr(matching_index, "_exiting", threading.Event())
    leaving = create_candidate("beta", consent=True)
    matching_index.warm_all(app)
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("beta") as session:
        key = matching_index._key(session, "beta")
    with app.test_request_context(), databases.tenant_session("beta", write=True) as session:
        candidate_ops.record_consent(session, session.get(Candidate, leaving), False, ACTOR)
    with app.app_context():
        folder = matching_index.saved_path(key)
        assert str(leaving) in matching_index._indexes[key].profiles  # not refreshed here
        matching_index._schedule_resave(app, key, folder)
    matching_index._save_pending_at_exit()
    saved = matching_index.load_saved(folder)
    assert saved is not None
    assert str(leaving) not in saved.profiles


def test_a_copy_deleted_while_it_is_saved_is_not_saved_and_leaves_nothing(
    app, create_candidate
):
    """Another process deletes the tenant's copies (someone left) while this one saves: the
    save gives way, quietly, and leaves no half copy behind."""
    create_candidate("beta", consent=True)
    matching_index.warm_all(app)
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("beta") as session:
        key = matching_index._key(session, "beta")
        folder = matching_index.saved_path(key)
        index = matching_index._indexes[key]
        real_save = index.engine.save

        def save_then_forget(*args, **kwargs):
            real_save(*args, **kwargs)
            matching_index.forget_saved("beta")  # the other process, mid-save

        index.engine.save = save_then_forget
        try:
            assert matching_index.save(index, folder) is False
        finally:
            del index.engine.save
        assert matching_index.load_saved(folder) is None
        assert not [p for p in folder.parent.glob("*beta-*") if p.is_dir()]
        assert matching_index.save(index, folder) is True
        assert matching_index.load_saved(folder) is not None


def test_a_start_writes_a_copy_again_only_when_the_index_changed(
    app, create_candidate, monkeypatch
):
    """A restart that loads an up-to-date copy does not write the same copy again (tens of
    thousands of profiles take seconds to write); one that brought it up to date does, and so
    does one whose copy is gone."""
    create_candidate("beta", consent=True)
    matching_index.warm_all(app)
    folder = _saved_folder(app, "beta")
    written: list[Path] = []
    real_save = matching_index.save

    def counted(index, path):
        written.append(path)
        return real_save(index, path)

    monkeypatch.setattr(matching_index, "save", counted)
    matching_index.invalidate()  # a new process: only the saved copy
    matching_index.warm_all(app)
    assert folder not in written
    create_candidate("beta", consent=True)  # a change while the server was down
    matching_index.invalidate()
    matching_index.warm_all(app)
    assert written.count(folder) == 1
    matching_index.warm_all(app)  # nothing changed since: not written again
    assert written.count(folder) == 1
    (folder / "profiles.json").unlink()  # gone, by hand or by another process
    matching_index.warm_all(app)
    assert written.count(folder) == 2
    assert (folder / "profiles.json").exists()


def test_unreadable_saved_index_is_rebuilt(app, create_candidate):
    create_candidate("beta", consent=True)
    matching_index.warm_all(app)
    folder = _saved_folder(app, "beta")
    (folder / "profiles.json").write_text("{not json", encoding="utf-8")
    matching_index.invalidate()
    assert matching_index.load_saved(folder) is None
    assert _index(app, "beta").profiles


def test_two_databases_never_share_an_index(app, fresh_app, create_candidate):
    create_candidate("alfa", consent=True)
    assert _index(app).profiles
    other = fresh_app()
    databases = other.extensions["hansyn_databases"]
    with other.app_context():
        from hansyn.migrations import upgrade_control

        upgrade_control(databases)
        with databases.control_session(write=True) as session:
            platform_ops.create_tenant(session, databases, "alfa", "Alfa kommun", "9901")
    assert _index(other).profiles == {}


def test_pseudonyms_are_random_stable_and_per_supplier(app, create_candidate):
    assert re.fullmatch(r"K-[0-9A-F]{6}", new_pseudonym())
    # Random, not a counter: 200 draws from 16.7 million values almost never repeat (a repeat is
    # still handled, by the unique key and a new draw), and never repeat a handful of times.
    assert len({new_pseudonym() for _ in range(200)}) >= 195
    one, two = create_candidate("alfa"), create_candidate("alfa")
    x, y = new_supplier_row(app, "alfa"), new_supplier_row(app, "alfa")
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa", write=True) as session:
        for_x = pseudonyms_for(session, x, [one, two])
        for_y = pseudonyms_for(session, y, [one])
        assert pseudonyms_for(session, x, [two, one]) == for_x
        assert for_x[one] != for_x[two]
        assert for_y[one] != for_x[one]
        assert candidate_of(session, x, for_x[one]) == one
        assert candidate_of(session, x, for_x[one].lower()) == one
        assert candidate_of(session, y, for_x[one]) is None
        assert candidate_of(session, y, for_y[one]) == one
        assert pseudonyms_for(session, x, []) == {}


def test_dashboard_count_stops_at_the_cap():
    from datetime import date

    from hansyn.matching import CandidateProfile, Engine
    from hansyn.tenants.contracts.models import Contract
    from hansyn.tenants.matches.ranking import COUNT_CAP, count_candidates
    from hansyn.tenants.vacancies.models import Extent, Vacancy

    vacancy = Vacancy(
        id=1,
        title="Städare",
        occupation_key="occupation:x",
        occupation_label="Städare/Lokalvårdare",
        required_skills=["Städning"],
        desired_skills=[],
        required_languages=[],
        driving_licence=None,
        locality_id="L2725872",
        locality_name="Angered",
        positions=1,
        start_date=date(2027, 1, 1),
        extent=Extent.FULL_TIME,
        hours_per_week=40,
        contract=Contract(clause=None),  # a clause that names no target group filters nobody
    )

    def index(size: int) -> matching_index.TenantIndex:
        profiles = [CandidateProfile(str(i), ["Städning"]) for i in range(size)]
        return matching_index.TenantIndex(Engine.build(profiles), {}, "test")

    assert count_candidates(index(3), vacancy) == 3
    assert count_candidates(index(COUNT_CAP), vacancy) == COUNT_CAP
    assert count_candidates(index(COUNT_CAP + 5), vacancy) == COUNT_CAP + 1


def test_pseudonyms_are_drawn_outside_a_reading_transaction(app, create_candidate):
    """A GET's transaction only reads; on SQLite it could not become a writer once another
    process wrote. `ensure_pseudonyms` draws in a transaction of its own, and is idempotent."""
    from sqlalchemy import select
    from sqlalchemy.exc import OperationalError

    from hansyn.db import make_session
    from hansyn.tenants.matches.pseudonyms import ensure_pseudonyms, known_pseudonyms
    from hansyn.tenants.suppliers.models import Supplier

    candidate, other = create_candidate("alfa", consent=True), create_candidate("alfa")
    supplier = new_supplier_row(app, "alfa")
    databases = app.extensions["hansyn_databases"]
    with app.app_context():
        reading = make_session(databases.tenant_engine("alfa"))
        try:
            reading.scalar(select(Supplier.id).limit(1))  # the GET's snapshot begins
            new_supplier_row(app, "alfa")  # meanwhile another request writes
            names = ensure_pseudonyms(databases, "alfa", supplier, [candidate])
            assert ensure_pseudonyms(databases, "alfa", supplier, [candidate]) == names
            if databases.dialect == "sqlite":  # what drawing inside the GET's reading would do
                with pytest.raises(OperationalError):
                    pseudonyms_for(reading, supplier, [other])
            reading.rollback()
            assert known_pseudonyms(reading, supplier, [candidate]) == names
        finally:
            reading.rollback()
            reading.close()


def test_a_change_updates_the_cached_engine_in_place(app, create_candidate, monkeypatch):
    from dataclasses import replace

    from hansyn.tenants.candidates.models import CandidateStatus

    first = _index(app)
    added = create_candidate("alfa", consent=True)
    second = _index(app)
    assert second.engine is first.engine  # refreshed, not rebuilt
    assert str(added) in second.profiles
    assert str(added) in second.engine
    databases = app.extensions["hansyn_databases"]
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        candidate = session.get(Candidate, added)
        candidate_ops.set_status(session, candidate, CandidateStatus.PAUSED, ACTOR)
    third = _index(app)
    assert third.engine is first.engine
    assert str(added) not in third.profiles
    assert str(added) not in third.engine
    # Too many changes, another vocabulary or an older counter: a full build instead.
    monkeypatch.setattr(matching_index, "REFRESH_LIMIT", 0)
    create_candidate("alfa", consent=True)
    assert _index(app).engine is not first.engine
    with app.app_context(), databases.tenant_session("alfa") as session:
        index = matching_index.index_for(session, "alfa")
        state = index.fingerprint
        assert matching_index.refresh(session, index, replace(state, vocabulary="x")) is None
        older = replace(state, counter=state.counter - 1)
        assert matching_index.refresh(session, index, older) is None


def test_suppliers_see_distances_only_in_coarse_steps():
    from hansyn.tenants.matches.ranking import coarse_distance

    assert coarse_distance(None) is None
    assert [coarse_distance(d) for d in (0.0, 0.4, 4.9, 5.0, 5.1, 12.3)] == [5, 5, 5, 5, 10, 15]


def test_a_missing_index_is_built_in_the_background_while_requests_wait_briefly(
    app, login, create_supplier_with_contract, create_candidate, held_index_build
):
    """Right after a start without a saved index, a ranked list waits at most
    INDEX_WAIT_SECONDS and then asks to come back (503, Retry-After) instead of holding the
    worker for the whole build; once built, the index is served and saved for other workers."""
    from tests.fixtures.vacancies import new_vacancy_row

    skill = "Restaurering av kyrkorglar"
    create_candidate("alfa", consent=True, skills=[skill])
    setup = create_supplier_with_contract("alfa")
    vacancy = new_vacancy_row(app, "alfa", setup.contract_id, required_skills=[skill])
    client = login(alfa=[("supplier", setup.supplier_id)])
    url = f"/alfa/vacancies/{setup.contract_id}/{vacancy}/candidates"
    assert matching_index.warm_all(app, build_missing=False).get("alfa") is None  # skipped
    waiting = client.get(url)
    assert waiting.status_code == 503
    assert waiting.headers["Retry-After"] == "5"
    assert "Matchningen förbereds" in waiting.text
    assert "Era öppna annonser" in client.get("/alfa/").text  # the dashboard still answers
    held_index_build()  # released: the build finishes
    assert client.get(url).status_code == 200
    with app.app_context():
        databases = app.extensions["hansyn_databases"]
        with databases.tenant_session("alfa") as session:
            folder = matching_index.saved_path(matching_index._key(session, "alfa"))
    assert (folder / "profiles.json").exists()  # saved for the other workers


def test_a_kept_ranking_is_reused_until_the_counter_moves_or_the_vacancy_changes(
    app, login, create_supplier_with_contract, create_candidate
):
    from sqlalchemy import update

    from hansyn.tenants.matches import ranking
    from hansyn.tenants.vacancies.models import Vacancy
    from tests.fixtures.vacancies import new_vacancy_row

    special = "Restaurering av tornur i kyrktorn"
    first = create_candidate("alfa", consent=True, skills=[special])
    setup = create_supplier_with_contract("alfa")
    vacancy = new_vacancy_row(app, "alfa", setup.contract_id, required_skills=[special])
    supplier = login(alfa=[("supplier", setup.supplier_id)])
    url = f"/alfa/vacancies/{setup.contract_id}/{vacancy}/candidates.json"

    def shown() -> int:
        return len(supplier.get(url).get_json()["candidates"])

    def kept() -> object:
        return next(v[vacancy] for v in ranking._rankings.values() if vacancy in v)

    count = shown()  # counted, not assumed: candidates of earlier tests may resemble these
    assert count >= 1
    before = kept()
    assert shown() == count
    assert kept() is before  # nothing changed: not ranked again
    create_candidate("alfa", consent=True, skills=[special])  # the counter moves
    assert shown() == count + 1
    assert kept() is not before
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa", write=True) as session:
        candidate_ops.record_consent(session, session.get(Candidate, first), False, ACTOR)
    assert shown() == count  # consent withdrawn: gone at the next read
    with app.app_context(), databases.tenant_session("alfa", write=True) as session:
        session.execute(
            update(Vacancy).where(Vacancy.id == vacancy).values(desired_skills=["Städning"])
        )
    profile_before = kept()[0][1]
    assert shown() == count
    assert kept()[0][1] != profile_before  # the vacancy changed: ranked anew


def test_forgetting_a_tenants_copies_leaves_a_tenant_whose_slug_starts_alike(app):
    with app.app_context():
        mine = matching_index.saved_path(("db", "alfa"))
        theirs = matching_index.saved_path(("db", "alfa-norra"))
        folder = mine.parent
        for path in (mine, theirs, folder / f".{mine.name}.new-x1",
                     folder / f".{theirs.name}.new-x2"):
            path.mkdir(parents=True, exist_ok=True)
        matching_index.forget_saved("alfa")
        left = {p.name for p in folder.iterdir() if p.is_dir() and "alfa" in p.name}
    assert left == {theirs.name, f".{theirs.name}.new-x2"}


def test_warm_all_resolves_the_open_vacancies_texts_before_any_ranking(
    app, login, create_supplier_with_contract, create_candidate, monkeypatch
):
    """What gunicorn's master resolves before it forks, no worker resolves again: the first
    ranked list of an open vacancy costs what a repeated one does. A closed vacancy, and one
    published after the start, are resolved by their first ranking."""
    from sqlalchemy import update

    from hansyn.matching import VacancyProfile
    from hansyn.tenants.vacancies.models import Vacancy, VacancyStatus
    from tests.fixtures.vacancies import new_vacancy_row

    create_candidate("alfa", consent=True, skills=["Stämning av kyrkorglar"])
    setup = create_supplier_with_contract("alfa")
    open_one = new_vacancy_row(
        app, "alfa", setup.contract_id, required_skills=["Stämning av kyrkorglar"]
    )
    closed = new_vacancy_row(
        app, "alfa", setup.contract_id, required_skills=["Förgyllning av ramverk"]
    )
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa", write=True) as session:
        session.execute(
            update(Vacancy).where(Vacancy.id == closed).values(status=VacancyStatus.CLOSED)
        )
    matching_index.invalidate()
    matching_index.warm_all(app)
    engine = _index(app).engine
    resolved: list[str] = []
    # the engine's resolution of a text it has not met (the page itself normalises the texts
    # it shows, through caches of its own, so the vocabulary is not what to count)
    original = engine._table._resolution

    def counting(text):
        resolved.append(text)
        return original(text)

    monkeypatch.setattr(engine._table, "_resolution", counting)
    supplier = login(alfa=[("supplier", setup.supplier_id)])
    base = f"/alfa/vacancies/{setup.contract_id}"
    page = supplier.get(f"{base}/{open_one}/candidates")
    assert page.status_code == 200
    assert _index(app).engine is engine  # the prepared one ranked
    assert resolved == []
    later = new_vacancy_row(
        app, "alfa", setup.contract_id, required_skills=["Tvätt av kyrkfönster"]
    )
    assert supplier.get(f"{base}/{later}/candidates").status_code == 200
    assert "Tvätt av kyrkfönster" in resolved
    engine.rank(VacancyProfile(id="closed", required_skills=["Förgyllning av ramverk"]))
    assert "Förgyllning av ramverk" in resolved
