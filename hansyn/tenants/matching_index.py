"""The web app's matching index: one `Engine` per tenant, kept in this process's memory.

An index holds the tenant's candidates that suppliers may see (active, with consent) as
`CandidateProfile`s, keyed by the candidate id as a string. It is labelled with a *fingerprint*
of the candidate data it was built from: one aggregate query over the candidate tables (row
counts, newest change, newest consent row, newest skill and language rows) plus the vocabulary's
version. Every use computes the fingerprint again — a handful of index lookups and counts — and
rebuilds the tenant's index when it differs, so a candidate who is edited, paused, closed or
withdraws consent leaves the ranking at the next request, in every worker process, without any
signal between processes. Building is cheap: 20,000 profiles take about 0.2 s (measured).

Before a pre-forking server starts its workers, build every tenant's index once so that the
workers share the arrays (copy-on-write) instead of each building its own on the first request.
The production entry point `hansyn.platform.wsgi` (served with `gunicorn --preload`) builds the
app in the master process; warming is one more line there:

    app = create_app()
    warm_all(app)  # hansyn.tenants.matching_index

A worker's copy stays valid until the tenant's fingerprint changes; then that worker rebuilds its
own index on its next request for the tenant. `warm_all` closes pooled database connections
afterwards, so no worker inherits one.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass

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
class TenantIndex:
    engine: Engine
    #: The profiles the engine holds, by candidate id (as a string): what a supplier may see.
    profiles: dict[str, CandidateProfile]
    fingerprint: str

    def profile(self, candidate_id: str) -> CandidateProfile | None:
        return self.profiles.get(candidate_id)


_indexes: dict[tuple[str, str], TenantIndex] = {}
_build_locks: dict[tuple[str, str], threading.Lock] = {}
_guard = threading.Lock()


def fingerprint(session: Session) -> str:
    """A digest that changes whenever a candidate a supplier could see may have changed."""
    aggregates = (
        func.count(Candidate.id),
        func.max(Candidate.updated_at),
        func.max(Candidate.status_changed_at),
        func.count(CandidateConsent.id),
        func.max(CandidateConsent.id),
        func.count(CandidateSkill.id),
        func.max(CandidateSkill.id),
        func.count(CandidateLanguage.id),
        func.max(CandidateLanguage.id),
    )
    row = session.execute(select(*(select(a).scalar_subquery() for a in aggregates))).one()
    parts = [str(value) for value in row] + [Vocabulary.default().version]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


def _visible_profiles(session: Session) -> Sequence[CandidateProfile]:
    candidates = session.scalars(candidates_visible_to_suppliers(session))
    return [matching_profile(candidate) for candidate in candidates]


def build(session: Session, stamp: str | None = None) -> TenantIndex:
    """A new index of the tenant `session` is bound to (not cached)."""
    stamp = stamp if stamp is not None else fingerprint(session)
    profiles = list(_visible_profiles(session))
    engine = Engine.build(profiles, Vocabulary.default())
    engine.fingerprint = stamp
    return TenantIndex(engine, {p.id: p for p in profiles}, stamp)


def _key(session: Session, slug: str) -> tuple[str, str]:
    """The database and the tenant: two apps in one process (tests) never share an index."""
    return session.get_bind().engine.url.render_as_string(hide_password=True), slug


def index_for(session: Session, slug: str) -> TenantIndex:
    """The tenant's current index: the cached one while its data has not changed."""
    key, stamp = _key(session, slug), fingerprint(session)
    cached = _indexes.get(key)
    if cached is not None and cached.fingerprint == stamp:
        return cached
    with _guard:
        lock = _build_locks.setdefault(key, threading.Lock())
    with lock:  # one build per tenant at a time; the others wait and take its result
        cached = _indexes.get(key)
        if cached is None or cached.fingerprint != stamp:
            cached = _indexes[key] = build(session, stamp)
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
