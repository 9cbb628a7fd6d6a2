"""The web app's matching index: one `Engine` per tenant, kept in this process's memory.

An index holds the tenant's candidates that suppliers may see (active, with consent) as
`CandidateProfile`s, keyed by the candidate id as a string. It is labelled with the *state* of the
candidate data it was built from (`fingerprint`): the tenant's candidate change counter (one
primary-key lookup, see `hansyn.tenants.candidates.changes`) and the vocabulary's version. Every
use reads the counter again and, when it moved, brings the index up to date: the candidates the
change log names since the index's counter are re-read by primary key and added to or removed
from the engine. No request reads the whole candidate table (`tests/tenants/matches/
test_no_scans.py` explains every statement of a match request). A candidate who is edited,
paused, closed or withdraws consent leaves the ranking at the next request, in every worker
process, without any signal between processes.

Before a pre-forking server starts its workers, build every tenant's index once so that the
workers share the arrays (copy-on-write) instead of each building its own on the first request.
The production entry point `hansyn.platform.wsgi` (served with `gunicorn --preload`) builds the
app in the master process and calls `warm_all(app)` there. A worker's copy stays valid until the
tenant's state changes; then that worker updates its own copy on its next request for the tenant.
`warm_all` closes pooled database connections afterwards, so no worker inherits one.

The index also survives restarts: `warm_all` saves each tenant's arrays and profiles under
`<instance>/matching/` (labelled with the state they were built from), and a process that finds no
index in memory loads the saved one and brings it up to date like any cached index: candidates
changed since are re-read, and a full build from the database happens only when the saved index
is missing, unreadable, built with another vocabulary, or too far behind. A saved copy does not
outlive a candidate's leaving the index: when a refresh removes anyone (consent withdrawn,
paused, closed, erased), the tenant's saved copies are deleted at once (a save in progress in
another process gives way) and written anew a while later, or when the process exits, whichever
comes first, from the index brought up to the database then. One narrow race remains: a save
that read the database just before the removal and finishes just after the deletion writes the
leaver back, until the removing process's own save replaces it (`RESAVE_DELAY_SECONDS`); nobody
is ever ranked from it, since a loaded copy is brought up to date before use. `hansyn gallra`
deletes the copies too, and a start that finds none builds and saves anew.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import json
import shutil
import tempfile
import threading
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from hansyn.db import Databases
from hansyn.matching import CandidateProfile, Engine
from hansyn.matching.engine import StaleIndexError
from hansyn.matching.vocabulary import Vocabulary
from hansyn.platform.models import Tenant
from hansyn.tenants.candidates import changes
from hansyn.tenants.candidates.models import Candidate
from hansyn.tenants.candidates.operations import candidates_visible_to_suppliers, matching_profile
from hansyn.tenants.matches.wanted import open_vacancy_profiles
from hansyn.tenants.privacy.disclosure import DISCLOSURE_VERSION


@dataclass(frozen=True)
class DataState:
    """The tenant's candidate change counter and the vocabulary an index was built with."""

    counter: int
    vocabulary: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DataState:
        return cls(counter=int(data["counter"]), vocabulary=str(data["vocabulary"]))


@dataclass(frozen=True)
class TenantIndex:
    engine: Engine
    #: The profiles the engine holds, by candidate id (as a string): what a supplier may see.
    profiles: dict[str, CandidateProfile]
    fingerprint: DataState

    def profile(self, candidate_id: str) -> CandidateProfile | None:
        return self.profiles.get(candidate_id)


_indexes: dict[tuple[str, str], TenantIndex] = {}
_build_locks: dict[tuple[str, str], threading.Lock] = {}
_builders: dict[tuple[str, str], threading.Thread] = {}
_resaves: dict[tuple[str, str], threading.Thread] = {}
#: After a removal deleted the saved copy, the current index is saved again this much later,
#: or at once when the process exits before that (`_save_pending_at_exit`).
RESAVE_DELAY_SECONDS = 30.0
#: How long an exiting process waits for its pending saves.
EXIT_SAVE_SECONDS = 60.0
_exiting = threading.Event()
#: The state of the copy this process last wrote or read at each saved path: a start whose
#: loaded index has not changed since does not write the same copy again (`warm_all`).
_on_disk: dict[Path, DataState] = {}
_guard = threading.Lock()
#: A request that needs a full build waits this long for it, then gets "try again shortly".
INDEX_WAIT_SECONDS = 3.0
#: More changed candidates than this since the last look, and a full build is cheaper.
REFRESH_LIMIT = 20_000
#: Changed candidates are re-read this many ids at a time (one `IN` list each).
READ_CHUNK = 500


def fingerprint(session: Session) -> DataState:
    """The state of the candidate data: one primary-key lookup of the change counter."""
    return DataState(changes.current_value(session), _rules_version())


#: Raised whenever `matching_profile` reads other fields: a saved index holds profiles.
PROFILE_VERSION = 2


def _rules_version() -> str:
    """The vocabulary's version, the disclosure rules' and the profiles': any of them changing
    rebuilds the index."""
    return f"{Vocabulary.default().version}+{DISCLOSURE_VERSION}+p{PROFILE_VERSION}"


def _profiles(session: Session, ids: Collection[int] | None = None) -> dict[str, CandidateProfile]:
    """The visible candidates (of `ids`, or all) as the matcher sees them."""
    query = candidates_visible_to_suppliers(session)
    if ids is not None:
        query = query.where(Candidate.id.in_(ids))
    profiles = (matching_profile(candidate) for candidate in session.scalars(query))
    return {profile.id: profile for profile in profiles}


def build(session: Session, state: DataState | None = None) -> TenantIndex:
    """A new index of the tenant `session` is bound to (not cached)."""
    state = state if state is not None else fingerprint(session)
    profiles = _profiles(session)
    engine = Engine.build(profiles.values(), Vocabulary.default())
    return TenantIndex(engine, profiles, state)


def refresh(
    session: Session,
    index: TenantIndex,
    state: DataState,
    slug: str | None = None,
    resave: bool = True,
) -> TenantIndex | None:
    """`index` brought up to `state` by re-reading only the candidates changed since; None when
    a full build is needed (another vocabulary, too many changes).

    The change log names every candidate changed after the index's counter (see
    `hansyn.tenants.candidates.changes`); only those are read, through their primary keys. The
    engine is edited in place (it locks itself). When anyone leaves the index, the saved copies
    of tenant `slug` are deleted at once and, with `resave`, written anew from the current index
    `RESAVE_DELAY_SECONDS` later, so that a restart still finds one to load.
    """
    before = index.fingerprint
    if before.vocabulary != state.vocabulary or state.counter < before.counter:
        return None
    changed = changes.changed_since(session, before.counter, limit=REFRESH_LIMIT + 1)
    if len(changed) > REFRESH_LIMIT:
        return None
    visible: dict[str, CandidateProfile] = {}
    for start in range(0, len(changed), READ_CHUNK):
        visible.update(_profiles(session, changed[start : start + READ_CHUNK]))
    profiles = dict(index.profiles)
    removed = False
    for candidate_id in map(str, changed):
        if candidate_id in visible:
            profiles[candidate_id] = visible[candidate_id]
            index.engine.add(visible[candidate_id])
        elif profiles.pop(candidate_id, None) is not None:
            index.engine.remove(candidate_id)
            removed = True
    updated = TenantIndex(index.engine, profiles, state)
    if removed and slug is not None:
        forget_saved(slug)
        if resave:
            key = _key(session, slug)
            _schedule_resave(current_app._get_current_object(), key, saved_path(key))  # type: ignore[attr-defined]
    return updated


def _key(session: Session, slug: str) -> tuple[str, str]:
    """The database and the tenant: two apps in one process (tests) never share an index."""
    return session.get_bind().engine.url.render_as_string(hide_password=True), slug


#: Hex digits of the database's hash in a saved copy's folder name (`saved_path`).
DATABASE_HASH_LENGTH = 12


def saved_path(key: tuple[str, str]) -> Path:
    """Where this process saves and looks for a tenant's index (one folder per database)."""
    database = hashlib.sha256(key[0].encode()).hexdigest()[:DATABASE_HASH_LENGTH]
    return Path(current_app.config["INSTANCE_PATH"]) / "matching" / f"{key[1]}-{database}"


def forget_saved(slug: str) -> None:
    """Delete every saved copy of this tenant's index (all databases of this instance), and
    any half-written or retired one a save left behind (`save`)."""
    folder = Path(current_app.config["INSTANCE_PATH"]) / "matching"
    # the database's hash spelt out, so that "alfa" never takes "alfa-norra"'s copies
    copy = f"{slug}-{'[0-9a-f]' * DATABASE_HASH_LENGTH}"
    for path in [*folder.glob(copy), *folder.glob(f".{copy}.new-*"),
                 *folder.glob(f".{copy}.old-*")]:
        _on_disk.pop(path, None)
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def save(index: TenantIndex, path: Path) -> bool:
    """Write the engine's arrays, then the profiles and state that vouch for them, into a new
    folder beside `path`, then put it in `path`'s place; False when another process deleted the
    tenant's copies meanwhile (`forget_saved`, after someone left): then nothing is saved, as
    that process asked, and it saves anew itself later. Never half a copy."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.new-"))
    try:
        state = json.dumps(index.fingerprint.to_json(), sort_keys=True)
        index.engine.save(staging / "engine", fingerprint=state)
        profiles = [_profile_json(profile) for profile in index.profiles.values()]
        payload = json.dumps({"state": index.fingerprint.to_json(), "profiles": profiles})
        (staging / "profiles.json").write_text(payload, encoding="utf-8")
        retired = path.with_name(f".{path.name}.old-{staging.name.rsplit('-', 1)[-1]}")
        with contextlib.suppress(FileNotFoundError):
            path.rename(retired)
        staging.rename(path)
        shutil.rmtree(retired, ignore_errors=True)
    except FileNotFoundError:
        if staging.exists():
            raise
        return False  # deleted under us
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # left only when something failed
    _on_disk[path] = index.fingerprint
    return True


def _saved_already(index: TenantIndex, path: Path) -> bool:
    """Whether the copy at `path` is `index` as it is: this process read or wrote it at the
    same state, and it is still there. Writing 100,000 profiles again takes seconds."""
    return _on_disk.get(path) == index.fingerprint and (path / "profiles.json").exists()


def load_saved(path: Path) -> TenantIndex | None:
    """The index saved at `path`, or None when it is missing, unreadable or built otherwise."""
    _on_disk.pop(path, None)
    try:
        payload = json.loads((path / "profiles.json").read_text(encoding="utf-8"))
        state = DataState.from_json(payload["state"])
        fingerprint_text = json.dumps(payload["state"], sort_keys=True)
        engine = Engine.load(path / "engine", Vocabulary.default(), fingerprint=fingerprint_text)
    except (OSError, ValueError, KeyError, TypeError, StaleIndexError):
        return None
    if state.vocabulary != _rules_version():
        return None
    profiles = {}
    for data in payload["profiles"]:
        profile = _profile_from_json(data)
        profiles[profile.id] = profile
    _on_disk[path] = state
    return TenantIndex(engine, profiles, state)


class IndexNotReadyError(Exception):
    """The tenant's index is being built and was not ready within `INDEX_WAIT_SECONDS`."""


def _profile_json(profile: CandidateProfile) -> dict[str, Any]:
    data = asdict(profile)
    for name in ("available_from", "registered"):
        value = data[name]
        data[name] = value.isoformat() if value is not None else None
    return data


def _profile_from_json(data: dict[str, Any]) -> CandidateProfile:
    """A profile read back: JSON has lists for tuples and strings for dates."""
    pairs = {name: tuple(data[name]) if data[name] is not None else None
             for name in ("location", "hours_per_week")}
    registered = data["registered"]
    available = data["available_from"]
    return CandidateProfile(
        **{
            **data,
            **pairs,
            "available_from": date.fromisoformat(available) if available else None,
            "registered": datetime.fromisoformat(registered) if registered else None,
        }
    )


def index_for(session: Session, slug: str) -> TenantIndex:
    """The tenant's current index: the cached (or, in a new process, the saved) one while its
    data has not changed, else that one brought up to date from the change log.

    When only a full build will do (no saved index, another vocabulary, too many changes), it
    runs in a background thread and this request waits for it at most `INDEX_WAIT_SECONDS`,
    then raises `IndexNotReadyError` (the page asks to try again shortly); later requests find it.
    """
    key, state = _key(session, slug), fingerprint(session)
    current = _current(session, slug, key, state)
    if current is not None:
        return current
    return _wait_for_build(current_app._get_current_object(), key, slug, state)  # type: ignore[attr-defined]


def _current(
    session: Session, slug: str, key: tuple[str, str], state: DataState, resave: bool = True
) -> TenantIndex | None:
    """The cached or saved index brought up to `state` from the change log, or None."""
    cached = _indexes.get(key)
    if cached is not None and cached.fingerprint == state:
        return cached
    with _lock_for(key):  # one update per tenant at a time; the others wait and take its result
        cached = _indexes.get(key) or load_saved(saved_path(key))
        if cached is None:
            return None
        current = (
            cached
            if cached.fingerprint == state
            else refresh(session, cached, state, slug, resave=resave)
        )
        if current is not None:
            _indexes[key] = current
        return current


def _schedule_resave(app: Flask, key: tuple[str, str], path: Path) -> None:
    """Save the tenant's index again in a while (once, however many removals come meanwhile)."""

    def resave() -> None:
        _exiting.wait(RESAVE_DELAY_SECONDS)
        with _guard:
            _resaves.pop(key, None)
        try:
            with app.app_context():
                index = _brought_up_to_date(app, key)
                if index is not None:
                    with _saved_copies_locked(path):
                        save(index, path)
        except Exception:  # the next start builds instead
            app.logger.exception("saving the matching index of %s failed", key[1])

    with _guard:
        if key in _resaves:
            return
        thread = _resaves[key] = threading.Thread(
            target=resave, name=f"resave-{key[1]}", daemon=True
        )
    thread.start()


def _brought_up_to_date(app: Flask, key: tuple[str, str]) -> TenantIndex | None:
    """This process's index of the tenant, brought up to the database's state now (None: it
    has none, or only a full build would do): what is saved never holds anyone who left before
    the save began, whichever process saw them leave."""
    databases: Databases = app.extensions["hansyn_databases"]
    with databases.tenant_session(key[1]) as session, _lock_for(key):
        cached = _indexes.get(key)
        if cached is None:
            return None
        state = fingerprint(session)
        if cached.fingerprint == state:
            return cached
        current = refresh(session, cached, state)  # no slug: the copy is being written anew
        if current is not None:
            _indexes[key] = current
        return current


@atexit.register
def _save_pending_at_exit() -> None:
    """A process that stops (a deploy, a worker restart) within `RESAVE_DELAY_SECONDS` of a
    removal saves its index now: otherwise the next start finds no saved copy and must build
    the tenant's index from scratch (about 20 s at 100,000 candidates) before ranking."""
    _exiting.set()
    with _guard:
        pending = list(_resaves.values())
    deadline = time.monotonic() + EXIT_SAVE_SECONDS
    for thread in pending:
        thread.join(max(0.0, deadline - time.monotonic()))


@contextmanager
def _saved_copies_locked(path: Path) -> Iterator[None]:
    """Across processes: one at a time builds or saves this tenant's saved copy."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with (path.parent / f".{path.name}.lock").open("a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        yield


def _lock_for(key: tuple[str, str]) -> threading.Lock:
    with _guard:
        return _build_locks.setdefault(key, threading.Lock())


def _wait_for_build(app: Flask, key: tuple[str, str], slug: str, state: DataState) -> TenantIndex:
    with _guard:
        thread = _builders.get(key)
        if thread is None or not thread.is_alive():
            thread = threading.Thread(
                target=_build_in_background, args=(app, key, slug), name=f"index-{slug}",
                daemon=True,
            )
            _builders[key] = thread
            thread.start()
    thread.join(INDEX_WAIT_SECONDS)
    built = _indexes.get(key)
    if built is None or built.fingerprint.counter < state.counter:
        raise IndexNotReadyError(slug)
    return built


def _build_in_background(app: Flask, key: tuple[str, str], slug: str) -> None:
    """Build (or, when another process saved one meanwhile, load) the index and save it.

    A file lock in the instance folder lets one process build while the others wait and then
    load what it saved, so two workers never both build a large tenant.
    """
    databases: Databases = app.extensions["hansyn_databases"]
    try:
        with app.app_context(), databases.tenant_session(slug) as session:
            path = saved_path(key)
            with _saved_copies_locked(path):
                state = fingerprint(session)
                saved = load_saved(path)
                index = refresh(session, saved, state, slug) if saved is not None else None
                if index is None:
                    index = build(session, state)
                    save(index, path)
            _indexes[key] = index  # published first: the waiting request ranks meanwhile
            prepare_open_vacancies(session, index)
    except Exception:  # the next request starts another attempt
        app.logger.exception("building the matching index of %s failed", slug)


def prepare_open_vacancies(session: Session, index: TenantIndex) -> None:
    """Resolve the wanted texts of the tenant's open vacancies in `index` now, before any
    worker forks or ranks: resolving a text the index has not met costs about 0.7 ms, four to
    six times a ranking of one that it has (`docs/performance.md`), and forked workers share
    what the master resolved. Vacancies saved later are resolved by their first ranking."""
    index.engine.prepare(open_vacancy_profiles(session))


def invalidate(slug: str | None = None) -> None:
    """Forget one tenant's index (or all): the next use rebuilds it."""
    for key in list(_indexes):
        if slug is None or key[1] == slug:
            _indexes.pop(key, None)


def warm_all(app: Flask, build_missing: bool = True) -> dict[str, int]:
    """Load (or build) every active tenant's index now and save it (unless the saved copy it
    loaded is still up to date); returns candidates per tenant that has one.

    With `build_missing=False` — gunicorn's master before it forks — only saved indexes are
    loaded and brought up to date, which takes seconds however large a tenant is; a tenant whose
    index must be built from scratch is built by the first worker that needs it (in a background
    thread, see `index_for`), so the server answers at once.
    """
    databases: Databases = app.extensions["hansyn_databases"]
    with app.app_context():
        with databases.control_session() as control:
            slugs = list(control.scalars(select(Tenant.slug).where(Tenant.active.is_(True))))
        sizes = {}
        for slug in slugs:
            with databases.tenant_session(slug) as session:
                key, state = _key(session, slug), fingerprint(session)
                index = _current(session, slug, key, state, resave=False)  # saved below
                if index is None and not build_missing:
                    app.logger.info("matching index of %s: built in the background", slug)
                    continue
                if index is None:
                    index = _indexes[key] = build(session, state)
                path = saved_path(key)
                if not _saved_already(index, path):
                    save(index, path)
                prepare_open_vacancies(session, index)
                sizes[slug] = len(index.profiles)
    databases.control_engine.dispose()  # tenant engines on PostgreSQL share this pool
    return sizes
