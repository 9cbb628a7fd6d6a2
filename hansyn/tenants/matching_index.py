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
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hansyn.db import Databases
from hansyn.matching import CandidateProfile, Engine
from hansyn.matching.vocabulary import Vocabulary
from hansyn.platform.models import Tenant
from hansyn.tenants.candidates.models import (
    Candidate,
    CandidateConsent,
    CandidateLanguage,
    CandidateSkill,
)
from hansyn.tenants.candidates.operations import candidates_visible_to_suppliers, matching_profile


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
    return DataState(*row, vocabulary=Vocabulary.default().version)


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


def refresh(session: Session, index: TenantIndex, state: DataState) -> TenantIndex | None:
    """`index` brought up to `state` by re-reading only the candidates changed since; None when
    a full build is needed (another vocabulary, a candidate row gone, too many changes).

    Every change to a candidate — edit, status, consent — sets its `updated_at`, so the candidates
    changed since the index was built are those at or after its newest `updated_at`. The engine is
    edited in place (it locks itself); a final count of the visible candidates guards the rest.
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
    for candidate_id in map(str, changed):
        if candidate_id in visible:
            profiles[candidate_id] = visible[candidate_id]
            index.engine.add(visible[candidate_id])
        elif profiles.pop(candidate_id, None) is not None:
            index.engine.remove(candidate_id)
    total = select(func.count()).select_from(candidates_visible_to_suppliers(session).subquery())
    if session.scalar(total) != len(profiles):
        return None
    return TenantIndex(index.engine, profiles, state)


def _key(session: Session, slug: str) -> tuple[str, str]:
    """The database and the tenant: two apps in one process (tests) never share an index."""
    return session.get_bind().engine.url.render_as_string(hide_password=True), slug


def index_for(session: Session, slug: str) -> TenantIndex:
    """The tenant's current index: the cached one while its data has not changed, else the
    cached one brought up to date, else a new one."""
    key, state = _key(session, slug), fingerprint(session)
    cached = _indexes.get(key)
    if cached is not None and cached.fingerprint == state:
        return cached
    with _guard:
        lock = _build_locks.setdefault(key, threading.Lock())
    with lock:  # one update per tenant at a time; the others wait and take its result
        cached = _indexes.get(key)
        if cached is None or cached.fingerprint != state:
            updated = refresh(session, cached, state) if cached is not None else None
            cached = _indexes[key] = updated or build(session, state)
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
                sizes[slug] = len(index_for(session, slug).profiles)
    databases.control_engine.dispose()  # tenant engines on PostgreSQL share this pool
    return sizes
