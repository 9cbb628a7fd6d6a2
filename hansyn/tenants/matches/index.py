"""The web app's matching index: one `Engine` per tenant, kept in this process's memory.

An index holds the tenant's candidates that suppliers may see (active, with consent) as
`CandidateProfile`s, keyed by the candidate id as a string. It is labelled with the *state* of the
candidate data it was built from (`fingerprint`): one aggregate query — the candidate count, the
newest `updated_at`, the newest consent, skill and language rows — plus the vocabulary's version.
Every use reads the state again (1.3 ms with 5,000 candidates on SQLite) and, when it differs,
brings the index up to date: the candidates changed since (`updated_at` at or after the index's
newest) are re-read and added to or removed from the engine — 13 ms after one change, where a
full build takes 0.75 s (figures from `benchmarks/matching_index.py` in docs/vacancies.md). A
candidate who is edited, paused, closed or withdraws consent leaves the ranking at the next
request, in every worker process, without any signal between processes.

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
is missing, unreadable, built with another vocabulary, or too far behind. A saved copy never
outlives a candidate's leaving the index by more than one request: when a refresh removes anyone
(consent withdrawn, paused, closed, erased), the tenant's saved copies are deleted, and
`hansyn gallra` deletes them too; the next start builds and saves anew.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from collections.abc import Collection
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hansyn.db import Databases
from hansyn.matching import CandidateProfile, Engine
from hansyn.matching.engine import StaleIndexError
from hansyn.matching.vocabulary import Vocabulary
from hansyn.platform.models import Tenant
from hansyn.tenants.candidates.models import (
    Candidate,
    CandidateConsent,
    CandidateLanguage,
    CandidateSkill,
)
from hansyn.tenants.candidates.operations import candidates_visible_to_suppliers, matching_profile
from hansyn.tenants.privacy.disclosure import DISCLOSURE_VERSION


@dataclass(frozen=True)
class DataState:
    """What the fingerprint query saw. While it stays equal, so do the candidates in the index."""

    count: int
    changed_at: datetime | None  # newest `Candidate.updated_at`
    status_changed_at: datetime | None
    consent_id: int | None  # newest row ids: edits replace skill and language rows
    skill_id: int | None
    language_id: int | None
    vocabulary: str

    def to_json(self) -> dict[str, Any]:
        return {
            key: value.isoformat() if isinstance(value, datetime) else value
            for key, value in asdict(self).items()
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DataState:
        dates = {"changed_at", "status_changed_at"}
        return cls(
            **{k: datetime.fromisoformat(v) if k in dates and v else v for k, v in data.items()}
        )


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
_guard = threading.Lock()
#: More changed candidates than this since the last look, and a full build is cheaper.
REFRESH_LIMIT = 500


def fingerprint(session: Session) -> DataState:
    """The state of the candidate data, in one query: only the count reads a whole table."""
    aggregates = (
        func.count(Candidate.id),
        func.max(Candidate.updated_at),
        func.max(Candidate.status_changed_at),
        func.max(CandidateConsent.id),
        func.max(CandidateSkill.id),
        func.max(CandidateLanguage.id),
    )
    row = session.execute(select(*(select(a).scalar_subquery() for a in aggregates))).one()
    return DataState(*row, vocabulary=_rules_version())


def _rules_version() -> str:
    """The vocabulary's version and the disclosure rules': either changing rebuilds the index."""
    return f"{Vocabulary.default().version}+{DISCLOSURE_VERSION}"


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
    session: Session, index: TenantIndex, state: DataState, slug: str | None = None
) -> TenantIndex | None:
    """`index` brought up to `state` by re-reading only the candidates changed since; None when
    a full build is needed (another vocabulary, a candidate row gone, too many changes).

    Every change to a candidate — edit, status, consent — sets its `updated_at`, so the candidates
    changed since the index was built are those at or after its newest `updated_at`. The engine is
    edited in place (it locks itself); a final count of the visible candidates guards the rest.
    When anyone leaves the index, the saved copies of tenant `slug` are deleted.
    """
    before = index.fingerprint
    if before.vocabulary != state.vocabulary or before.changed_at is None:
        return None
    if state.count < before.count:
        return None
    changed = set(
        session.scalars(select(Candidate.id).where(Candidate.updated_at >= before.changed_at))
    )
    if len(changed) > REFRESH_LIMIT:
        return None
    visible = _profiles(session, changed)
    profiles = dict(index.profiles)
    removed = False
    for candidate_id in map(str, changed):
        if candidate_id in visible:
            profiles[candidate_id] = visible[candidate_id]
            index.engine.add(visible[candidate_id])
        elif profiles.pop(candidate_id, None) is not None:
            index.engine.remove(candidate_id)
            removed = True
    if removed and slug is not None:
        forget_saved(slug)
    total = select(func.count()).select_from(candidates_visible_to_suppliers(session).subquery())
    if session.scalar(total) != len(profiles):
        return None
    return TenantIndex(index.engine, profiles, state)


def _key(session: Session, slug: str) -> tuple[str, str]:
    """The database and the tenant: two apps in one process (tests) never share an index."""
    return session.get_bind().engine.url.render_as_string(hide_password=True), slug


def saved_path(key: tuple[str, str]) -> Path:
    """Where this process saves and looks for a tenant's index (one folder per database)."""
    database = hashlib.sha256(key[0].encode()).hexdigest()[:12]
    return Path(current_app.config["INSTANCE_PATH"]) / "matching" / f"{key[1]}-{database}"


def forget_saved(slug: str) -> None:
    """Delete every saved copy of this tenant's index (all databases of this instance)."""
    folder = Path(current_app.config["INSTANCE_PATH"]) / "matching"
    for path in folder.glob(f"{slug}-*"):
        shutil.rmtree(path, ignore_errors=True)


def save(index: TenantIndex, path: Path) -> None:
    """Write the engine's arrays, then the profiles and state that vouch for them."""
    state = json.dumps(index.fingerprint.to_json(), sort_keys=True)
    index.engine.save(path / "engine", fingerprint=state)
    profiles = [asdict(profile) for profile in index.profiles.values()]
    payload = json.dumps({"state": index.fingerprint.to_json(), "profiles": profiles})
    tmp = path / "profiles.json.tmp"
    tmp.write_text(payload, encoding="utf-8")
    tmp.replace(path / "profiles.json")


def load_saved(path: Path) -> TenantIndex | None:
    """The index saved at `path`, or None when it is missing, unreadable or built otherwise."""
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
        location = tuple(data["location"]) if data["location"] is not None else None
        profile = CandidateProfile(**{**data, "location": location})
        profiles[profile.id] = profile
    return TenantIndex(engine, profiles, state)


def index_for(session: Session, slug: str) -> TenantIndex:
    """The tenant's current index: the cached (or, in a new process, the saved) one while its
    data has not changed, else that one brought up to date, else a new one."""
    key, state = _key(session, slug), fingerprint(session)
    cached = _indexes.get(key)
    if cached is not None and cached.fingerprint == state:
        return cached
    with _guard:
        lock = _build_locks.setdefault(key, threading.Lock())
    with lock:  # one update per tenant at a time; the others wait and take its result
        cached = _indexes.get(key) or load_saved(saved_path(key))
        if cached is None or cached.fingerprint != state:
            updated = refresh(session, cached, state, slug) if cached is not None else None
            cached = updated or build(session, state)
        _indexes[key] = cached
    return cached


def invalidate(slug: str | None = None) -> None:
    """Forget one tenant's index (or all): the next use rebuilds it."""
    for key in list(_indexes):
        if slug is None or key[1] == slug:
            _indexes.pop(key, None)


def warm_all(app: Flask) -> dict[str, int]:
    """Build every active tenant's index now (before forking); returns candidates per tenant."""
    databases: Databases = app.extensions["hansyn_databases"]
    with app.app_context():
        with databases.control_session() as control:
            slugs = list(control.scalars(select(Tenant.slug).where(Tenant.active.is_(True))))
        sizes = {}
        for slug in slugs:
            with databases.tenant_session(slug) as session:
                index = index_for(session, slug)
                save(index, saved_path(_key(session, slug)))
                sizes[slug] = len(index.profiles)
    databases.control_engine.dispose()  # tenant engines on PostgreSQL share this pool
    return sizes
