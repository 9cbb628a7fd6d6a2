"""Database layer shared by the control plane and the tenants.

Two declarative bases with their own MetaData: `ControlBase` for the control plane (tenants, users,
memberships, audit of logins) and `TenantBase` for everything inside one municipality. A tenant's
tables are never created in the control-plane database and the other way round.

Engines:
- SQLite (default): `instance/hansyn.sqlite` for the control plane, `instance/tenants/<slug>.sqlite`
  for each tenant — one engine per file.
- PostgreSQL (`HANSYN_DATABASE_URL=postgresql+psycopg://…`): one engine; the control plane lives in
  the `public` schema, each tenant in the schema `tenant_<slug>` reached through
  `schema_translate_map`, so tenant models never name a schema themselves.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from sqlalchemy import Engine, MetaData, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session

from hansyn import checkpoints

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLITE_BUSY_TIMEOUT_MS = 30_000
#: First key of `pg_advisory_xact_lock(int, int)` for tenant write locks (the second: the schema).
TENANT_WRITE_LOCK_SPACE = 0x48E5
#: Execution option: a SQLite transaction starts with BEGIN IMMEDIATE (see `_sqlite_begin`).
WRITE_OPTION = "hansyn_write"
SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
#: The largest id both engines can store or compare: primary keys are `Integer`, a signed 32-bit
#: integer on PostgreSQL (SQLite's are 64-bit). A larger number typed into a URL, a form or an API
#: body names nothing, and must not reach the driver (PostgreSQL: "integer out of range", found
#: by schemathesis).
MAX_ID = 2**31 - 1


def storable_id(value: object) -> int | None:
    """`value` as a row id when it can be one (1 … MAX_ID), else None."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ID else None


class ControlBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TenantBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def schema_for(slug: str) -> str:
    """PostgreSQL schema of a tenant. Slugs hold no underscore, so the mapping is one to one."""
    if not SLUG_PATTERN.match(slug):
        raise ValueError(f"invalid tenant slug: {slug!r}")
    return "tenant_" + slug.replace("-", "_")


def _sqlite_file(engine: Engine) -> Path | None:
    database = engine.url.database or ""
    if database.startswith("file:"):
        database = unquote(database.removeprefix("file:"))
    return Path(database) if database and database != ":memory:" else None


def _file_state(path: Path) -> tuple[int, int, bool] | None:
    """The file behind a path (device, inode) and whether this process may write it (its mode,
    and its mount: a read-only mount binds root too); None when it is gone."""
    try:
        found = os.stat(path)
        writable = os.access(path, os.W_OK) and not os.statvfs(path).f_flag & os.ST_RDONLY
    except OSError:
        return None
    return found.st_dev, found.st_ino, writable


def _configure_sqlite(engine: Engine) -> None:
    """The pysqlite recipe from the SQLAlchemy docs: we emit BEGIN ourselves.

    pysqlite's own transaction handling starts transactions late and never as IMMEDIATE; a
    read-modify-write from several processes then loses updates. WAL lets readers run beside the
    one writer, and a busy timeout makes writers queue instead of failing.

    A pooled connection stays bound to the file it opened, as it was then: one whose file was
    since removed or replaced, or made read-only or writable again, would write where nobody
    reads, or refuse writes it could make. So each checkout compares the file with the
    one the connection opened (a stat, microseconds) and reconnects when they differ; the new
    connection then fails clearly ("unable to open database file", mode=rw) or works.
    """
    path = _sqlite_file(engine)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        record.info["file"] = _file_state(path) if path is not None else None
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute(f"PRAGMA wal_autocheckpoint = {checkpoints.BACKSTOP_PAGES}")
        cursor.close()

    @event.listens_for(engine, "checkout")
    def _on_checkout(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if path is not None and _file_state(path) != record.info.get("file"):
            raise DisconnectionError("the database file changed since the connection opened it")

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        if immediate and path is not None:
            _refuse_read_only(path)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    @event.listens_for(engine, "commit")
    def _sqlite_committed(connection: Any) -> None:
        if path is not None and connection.get_execution_options().get(WRITE_OPTION, False):
            checkpoints.checkpointer.wrote(path)  # its thread checkpoints, not a request's commit


def _refuse_read_only(path: Path) -> None:
    """A write transaction on a file this process may not write fails at once, as SQLite says it.

    SQLite alone does not always say so: a connection opened while the file was writable keeps
    writing through its descriptor, and SQLite hands a new connection a descriptor an earlier
    connection to the same file left open (POSIX locks are per process), whatever the file's
    mount or mode is now."""
    state = _file_state(path)
    if state is not None and not state[2]:
        message = "attempt to write a readonly database"
        raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError(message))


def _configure_postgres(engine: Engine) -> None:
    """Write sessions of one tenant take turns, as BEGIN IMMEDIATE makes them do on SQLite.

    At READ COMMITTED two transactions may both read a row and both write a value derived from
    it, and one update is lost (measured: 53 of 100 with four processes). A transaction-scoped
    advisory lock keyed by the tenant's schema serialises write sessions of that tenant only:
    reads never wait, other tenants never wait, and the lock ends with the transaction. The lock
    timeout matches SQLite's busy timeout.
    """

    @event.listens_for(engine, "begin")
    def _postgres_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        schema = (options.get("schema_translate_map") or {}).get(None)
        if schema and options.get(WRITE_OPTION, False):
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            connection.exec_driver_sql(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (TENANT_WRITE_LOCK_SPACE, schema)
            )


class Databases:
    """Owns the engines: the control plane's, and one per tenant (SQLite) or one shared (PG)."""

    def __init__(self, database_url: str | None, instance_path: Path) -> None:
        self.instance_path = Path(instance_path)
        self.tenant_dir = self.instance_path / "tenants"
        self.is_postgres = bool(database_url) and make_url(database_url).get_backend_name() == (
            "postgresql"
        )
        if database_url is None:
            self.instance_path.mkdir(parents=True, exist_ok=True)
            database_url = f"sqlite:///{self.instance_path / 'hansyn.sqlite'}"
        self.database_url = database_url
        self.control_engine = self._create_engine(database_url)
        self._tenant_engines: dict[str, Engine] = {}
        self._lock = threading.Lock()
        _forget_connections_after_fork(self)

    @property
    def dialect(self) -> str:
        return self.control_engine.dialect.name

    def _create_engine(self, url: str) -> Engine:
        if make_url(url).get_backend_name() == "sqlite":
            # Pooled, not opened per session: opening runs four PRAGMAs, and closing the last
            # connection to a WAL database checkpoints it (measured: 2.5 ms per close, several
            # per request). Forked workers drop inherited connections (`forget_inherited…`).
            engine = create_engine(url, pool_size=5, max_overflow=10)
            _configure_sqlite(engine)
            return engine
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
        _configure_postgres(engine)
        return engine

    def tenant_sqlite_path(self, slug: str) -> Path:
        schema_for(slug)  # validates the slug before it becomes part of a path
        return self.tenant_dir / f"{slug}.sqlite"

    def tenant_engine(self, slug: str) -> Engine:
        """The engine that reaches this tenant's tables and nothing else."""
        with self._lock:
            engine = self._tenant_engines.get(slug)
            if engine is None:
                engine = self._new_tenant_engine(slug)
                self._tenant_engines[slug] = engine
            return engine

    def _new_tenant_engine(self, slug: str) -> Engine:
        if self.is_postgres:
            translate = {None: schema_for(slug)}
            return self.control_engine.execution_options(schema_translate_map=translate)
        # mode=rw: a tenant file that has gone missing is an error ("unable to open database
        # file"), never a new empty database that hides the loss. `create_tenant_storage` makes it.
        path = quote(str(self.tenant_sqlite_path(slug).resolve()))
        url = URL.create("sqlite", database=f"file:{path}", query={"mode": "rw", "uri": "true"})
        return self._create_engine(url.render_as_string())

    def tenant_exists_physically(self, slug: str) -> bool:
        if self.is_postgres:
            with self.control_engine.connect() as connection:
                found = connection.execute(
                    text("SELECT 1 FROM information_schema.schemata WHERE schema_name = :s"),
                    {"s": schema_for(slug)},
                ).first()
            return found is not None
        return self.tenant_sqlite_path(slug).exists()

    def drop_tenant_storage(self, slug: str) -> None:
        """Remove a tenant's database entirely (used to undo a tenant creation that failed)."""
        with self._lock:
            engine = self._tenant_engines.pop(slug, None)
        if self.is_postgres:
            with self.control_engine.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema_for(slug)}" CASCADE'))
            return
        if engine is not None:
            engine.dispose()
        path = self.tenant_sqlite_path(slug)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    def create_tenant_storage(self, slug: str) -> None:
        """An empty database for a new tenant: its SQLite file, or its PostgreSQL schema."""
        if self.is_postgres:
            self.create_tenant_schema(slug)
            return
        self.tenant_dir.mkdir(parents=True, exist_ok=True)
        sqlite3.connect(self.tenant_sqlite_path(slug)).close()

    def create_tenant_schema(self, slug: str) -> None:
        if self.is_postgres:
            with self.control_engine.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema_for(slug)}"'))

    @contextmanager
    def control_session(self, *, write: bool = False) -> Iterator[Session]:
        """A unit of work on the control plane outside a request: commits on success."""
        with self._session(self.control_engine, write) as session:
            yield session

    @contextmanager
    def tenant_session(self, slug: str, *, write: bool = False) -> Iterator[Session]:
        """A unit of work on one tenant outside a request: commits on success."""
        with self._session(self.tenant_engine(slug), write) as session:
            yield session

    @contextmanager
    def _session(self, engine: Engine, write: bool) -> Iterator[Session]:
        session = make_session(engine, write=write)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def forget_inherited_connections(self) -> None:
        """In a forked child: drop the parent's pooled connections without closing its sockets.

        The recipe of SQLAlchemy's "Using Connection Pools with Multiprocessing or os.fork()":
        gunicorn --preload forks workers after start-up work that may have used the pool. Tenant
        engines on PostgreSQL are views of the control engine and share its pool.
        """
        engines = [self.control_engine]
        if not self.is_postgres:
            engines += list(self._tenant_engines.values())
        for engine in engines:
            engine.dispose(close=False)

    def dispose(self) -> None:
        with self._lock:
            engines = list(self._tenant_engines.values())
            self._tenant_engines.clear()
        for engine in engines:
            engine.dispose()
        self.control_engine.dispose()


def _forget_connections_after_fork(databases: Databases) -> None:
    reference = weakref.ref(databases)

    def after_in_child() -> None:
        alive = reference()
        if alive is not None:
            alive.forget_inherited_connections()

    os.register_at_fork(after_in_child=after_in_child)


def make_session(engine: Engine, *, write: bool = False) -> Session:
    bind = engine.execution_options(**{WRITE_OPTION: True}) if write else engine
    return Session(bind=bind, expire_on_commit=False)
