"""Database sessions bound to the current request.

A request gets at most two sessions: the control plane's, and the session of the tenant named in
its URL — bound to that tenant's database and nothing else. Both are committed once, after the view
returned a response that is not a server error, and rolled back otherwise (indico's RH.process).
Requests that may write (POST, PUT, PATCH, DELETE) open their tenant's transaction as a write
(BEGIN IMMEDIATE on SQLite, the tenant's write lock on PostgreSQL). The control plane is opened for
writing only by views marked `@writes_control_plane` (login, logout, account, inviting a supplier
user): otherwise every POST to any municipality would queue behind every other one on the control
plane's single SQLite writer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, Response, current_app, g, request
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from hansyn.db import Databases, make_session

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: `Session.info` key: audit rows recorded in this session are written when it commits.
DEFERRED_AUDIT = "hansyn_deferred_audit"
View = TypeVar("View", bound=Callable[..., object])


def writes_control_plane(view: View) -> View:
    """Mark a view that changes control-plane rows (users, memberships, login audit)."""
    view.writes_control_plane = True  # type: ignore[attr-defined]
    return view


def databases() -> Databases:
    dbs: Databases = current_app.extensions["hansyn_databases"]
    return dbs


def _is_write_request() -> bool:
    return bool(request) and request.method in WRITE_METHODS


def _writes_control_plane() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return _is_write_request() and bool(getattr(view, "writes_control_plane", False))


def control_db() -> Session:
    if "control_db" not in g:
        g.control_db = make_session(databases().control_engine, write=_writes_control_plane())
    session: Session = g.control_db
    return session


def tenant_db() -> Session:
    """The session of the tenant the URL names; only tenant views (which set g.tenant) may ask."""
    if "tenant_db" not in g:
        slug = g.tenant.slug
        g.tenant_db = make_session(databases().tenant_engine(slug), write=_is_write_request())
    session: Session = g.tenant_db
    return session


def audit_db() -> Session:
    """Where a tenant request records what it showed or did.

    A request that writes records into its own tenant session, so the audit rows commit with the
    change. A request that only reads (a page that shows people) gets a write session of its own,
    committed after the page's reads: adding rows to the read transaction would turn it into a
    writer, and on SQLite a reader that starts writing after another process wrote fails at once
    ("database is locked") instead of waiting its turn. Its rows are written in one INSERT when
    it commits (`DEFERRED_AUDIT`), so the write lock is held only for that. If the audit cannot
    be written, the response becomes a server error: nothing is shown that is not audited.
    """
    if _is_write_request():
        return tenant_db()
    if "audit_db" not in g:
        g.audit_db = make_session(databases().tenant_engine(g.tenant.slug), write=True)
        g.audit_db.info[DEFERRED_AUDIT] = True
    session: Session = g.audit_db
    return session


#: In commit order: the request's own tenant work, then its audit of reads, then the control plane.
_SESSIONS = ("tenant_db", "audit_db", "control_db")


def _open_sessions() -> list[Session]:
    return [g.get(name) for name in _SESSIONS if g.get(name) is not None]


def rollback_request() -> None:
    """Undo what this request wrote so far (its sessions stay usable for reading)."""
    for session in _open_sessions():
        session.rollback()


def commit_request(response: Response) -> Response:
    if response.status_code < 500:
        for session in _open_sessions():
            session.commit()
    return response


def close_request(_exc: BaseException | None = None) -> None:
    for session in _open_sessions():
        try:
            session.rollback()
            session.close()
        except DBAPIError:
            # the connection died under the request (a database restart): drop it unused
            current_app.logger.warning("rollback failed; connection discarded", exc_info=True)
            session.invalidate()
    for name in _SESSIONS:
        g.pop(name, None)


def init_app(app: Flask, dbs: Databases) -> None:
    app.extensions["hansyn_databases"] = dbs
    app.after_request(commit_request)
    app.teardown_appcontext(close_request)
