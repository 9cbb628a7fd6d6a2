"""Hänsyn under gunicorn when things go wrong (issue 13):

- a worker killed with SIGKILL in the middle of writes: every write the app acknowledged is there
  whole, nothing is half-written, and the databases pass their integrity checks;
- a tenant's database missing or read-only: that tenant gets a clear page (Swedish and English,
  status 503) and nothing is created or half-saved, while the other tenant keeps working;
- a full disk under a tenant's SQLite file: an error page, no corrupted data, and writes work
  again once there is room;
- PostgreSQL restarting while a request is inside its transaction: an error page, nothing of
  that request saved, and the next request works.

Mounting (read-only files, a small tmpfs) needs root; restarting PostgreSQL needs a server of
the test's own (initdb as the `postgres` user). Where that is not possible the test is skipped
and says why.
"""

from __future__ import annotations

import http.client
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import and_, create_engine, func, select, text
from sqlalchemy.pool import NullPool

from hansyn.db import ControlBase, Databases, schema_for
from hansyn.migrations import upgrade_control
from hansyn.platform import operations
from hansyn.platform.backup import tenant_tables
from hansyn.platform.models import Role
from hansyn.tenants.audit.models import AuditEvent
from hansyn.tenants.candidates.models import Candidate, CandidateSkill
from tests.fixtures.served import HttpClient, Server, hansyn_env

TENANTS = {"alfa": ("Alfa kommun", "9901"), "beta": ("Beta kommun", "9902")}
EMAIL = "koordinator@fault.example"
PASSWORD = "korrekt-häst-batteri-häftklammer"
TENANT_UNREACHABLE = "Kommunens databas går inte att nå just nu"
NOT_SAVED = "Inget av det sparades"
NOT_SAVED_EN = "None of it was saved"


@dataclass
class Installation:
    app: Flask
    env: dict[str, str] = field(repr=False)

    @property
    def databases(self) -> Databases:
        databases: Databases = self.app.extensions["hansyn_databases"]
        return databases


def install(app: Flask) -> Installation:
    """Two tenants and a coordinator of both, written straight into the app's databases."""
    databases: Databases = app.extensions["hansyn_databases"]
    with app.app_context():
        upgrade_control(databases)
        with databases.control_session(write=True) as session:
            user = operations.create_user(session, EMAIL, "Kim Fel", PASSWORD, profile="fast")
            for slug, (name, code) in TENANTS.items():
                tenant = operations.create_tenant(session, databases, slug, name, code)
                operations.grant_membership(session, user, tenant, Role.COORDINATOR)
    env = hansyn_env(Path(app.config["INSTANCE_PATH"]), app.config["DATABASE_URL"])
    return Installation(app, env)


def coordinator(server: Server) -> HttpClient:
    client = HttpClient(server.base_url)
    client.login(EMAIL, PASSWORD)
    return client


def registration(reference: str) -> dict[str, str]:
    return {
        "reference": reference,
        "name": "Felia Testsson",
        "phone": "070-123 45 67",
        "email": f"{reference.lower()}@example.se",
        "skills": "Truckvana\nLagerarbete",
        "languages": "svenska B1",
        "place": "Angered",
        "programme": "jobbtorg",
        "working_time": "either",
        "consent": "y",
    }


def register(client: HttpClient, slug: str, reference: str) -> tuple[int, str]:
    """POST a new job seeker with the session's CSRF token (from a page that needs no tenant)."""
    return client.post_form(
        f"/{slug}/candidates/new", registration(reference), form_page="/account"
    )


def saved_id(status: int, location: str) -> int | None:
    if status == 302 and "/candidates/" in location:
        return int(location.rstrip("/").rsplit("/", 1)[1])
    return None


# ---------------------------------------------------------------- what "sound" means


def assert_sound(installation: Installation) -> None:
    """SQLite's integrity and foreign-key checks on every file; on both engines, no row points
    at a row that is not there, and every job seeker is whole (skills and the audit row that
    were written in the same transaction)."""
    databases = installation.databases
    if not databases.is_postgres:
        instance = Path(installation.app.config["INSTANCE_PATH"])
        for path in [instance / "hansyn.sqlite", *sorted((instance / "tenants").glob("*.sqlite"))]:
            connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)], path
                assert connection.execute("PRAGMA foreign_key_check").fetchall() == [], path
            finally:
                connection.close()
    with installation.app.app_context():
        with databases.control_engine.connect() as connection:
            assert_no_orphans(connection, ControlBase.metadata.sorted_tables)
        for slug in TENANTS:
            with databases.tenant_engine(slug).connect() as connection:
                assert_no_orphans(connection, tenant_tables())
            with databases.tenant_session(slug) as session:
                assert_candidates_whole(session)


def assert_no_orphans(connection, tables) -> None:
    for table in tables:
        for constraint in table.foreign_key_constraints:
            referred = constraint.referred_table.alias()
            elements = list(constraint.elements)
            joined = and_(*(e.parent == referred.c[e.column.name] for e in elements))
            present = and_(*(e.parent.is_not(None) for e in elements))
            missing = referred.c[elements[0].column.name].is_(None)
            orphans = connection.scalar(
                select(func.count()).select_from(table.outerjoin(referred, joined))
                .where(present, missing)
            )
            assert orphans == 0, f"{table.name}.{constraint.name}: {orphans} rows point nowhere"


def assert_candidates_whole(session) -> None:
    skills = dict(
        session.execute(
            select(CandidateSkill.candidate_id, func.count()).group_by(CandidateSkill.candidate_id)
        ).all()
    )
    created = set(
        session.scalars(
            select(AuditEvent.subject_id).where(
                AuditEvent.subject_type == "candidate", AuditEvent.action == "create"
            )
        )
    )
    for candidate_id in session.scalars(select(Candidate.id)):
        assert skills.get(candidate_id) == 2, f"candidate {candidate_id} lost its skills"
        assert candidate_id in created, f"candidate {candidate_id} has no audit row"


def references(installation: Installation, slug: str) -> dict[str, int]:
    with installation.app.app_context(), installation.databases.tenant_session(slug) as session:
        return dict(session.execute(select(Candidate.reference, Candidate.id)).all())


# ---------------------------------------------------------------- kill -9


def test_acknowledged_writes_survive_workers_killed_with_sigkill(fresh_app, serve):
    installation = install(fresh_app())
    server = serve(installation.env, workers=2)
    acknowledged: dict[str, int] = {}
    cut: list[str] = []
    answered_otherwise: list[int] = []
    stop = threading.Event()

    def writer(number: int) -> None:
        client = None
        for attempt in range(100_000):
            if stop.is_set():
                return
            reference = f"K9-{number}-{attempt}"
            try:
                client = client or coordinator(server)
            except (OSError, http.client.HTTPException, AssertionError):
                continue  # the login itself met a dying worker: log in again
            try:
                status, location = register(client, "alfa", reference)
            except (OSError, http.client.HTTPException):
                cut.append(reference)  # the worker died under this request (or its form)
                continue
            if (candidate_id := saved_id(status, location)) is not None:
                acknowledged[reference] = candidate_id
            else:
                answered_otherwise.append(status)

    writers = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in writers:
        thread.start()
    kills = 0
    deadline = time.monotonic() + 90
    try:
        # kill until requests were cut, then let the writers go on (a loaded machine writes
        # slowly, and each kill costs a worker's start)
        while (kills < 6 or len(cut) < 2) and time.monotonic() < deadline:
            time.sleep(random.uniform(0.5, 1.5))  # noqa: S311 (timing, not secrets)
            victim = random.choice(server.wait_for_workers(2))  # noqa: S311
            os.kill(victim, signal.SIGKILL)
            kills += 1
        while len(acknowledged) < 20 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop.set()
        for thread in writers:
            thread.join(timeout=60)

    assert cut, "no request was in flight when a worker died: the test tested nothing"
    assert len(acknowledged) >= 10
    assert answered_otherwise == []
    server.wait_for_workers(2)
    assert coordinator(server).get("/alfa/candidates/")[0] == 200
    stored = references(installation, "alfa")
    for reference, candidate_id in acknowledged.items():
        assert stored.get(reference) == candidate_id, f"acknowledged {reference} was lost"
    assert set(stored) <= set(acknowledged) | set(cut)
    assert_sound(installation)


# ---------------------------------------------------------------- a tenant's database gone


@contextmanager
def tenant_database_missing(installation: Installation, slug: str) -> Iterator[None]:
    databases = installation.databases
    if databases.is_postgres:
        schema = schema_for(slug)
        with databases.control_engine.begin() as connection:
            connection.exec_driver_sql(f'ALTER SCHEMA "{schema}" RENAME TO "{schema}_away"')
        try:
            yield
        finally:
            with databases.control_engine.begin() as connection:
                connection.exec_driver_sql(f'ALTER SCHEMA "{schema}_away" RENAME TO "{schema}"')
        return
    path = databases.tenant_sqlite_path(slug)
    checkpoint(path)
    aside = path.with_name("away")
    aside.mkdir()
    moved = [p for p in path.parent.glob(f"{path.name}*") if p.is_file()]
    for file in moved:
        file.rename(aside / file.name)
    try:
        yield
        assert not path.exists(), "a request created an empty database in place of the lost one"
    finally:
        for file in moved:
            (aside / file.name).rename(file)
        aside.rmdir()


def checkpoint(path: Path) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def test_missing_tenant_database_gives_that_tenant_a_clear_page(fresh_app, serve):
    installation = install(fresh_app())
    server = serve(installation.env)
    client = coordinator(server)
    assert client.get("/alfa/candidates/")[0] == 200

    with tenant_database_missing(installation, "alfa"):
        status, page = client.get("/alfa/candidates/")
        assert status == 503
        assert TENANT_UNREACHABLE in page
        assert "Andra kommuner påverkas inte" in page
        status, page = register(client, "alfa", "GONE-1")
        assert status == 503
        assert NOT_SAVED in page
        # the other municipality goes on as usual, reading and writing
        assert client.get("/beta/candidates/")[0] == 200
        assert saved_id(*register(client, "beta", "BETA-1")) is not None
        # in English too
        client.post_form("/language", {"language": "en", "next": "/"}, form_page="/account")
        status, page = client.get("/alfa/candidates/")
        assert status == 503
        assert "cannot be reached right now" in page
        assert "Other municipalities" in page
        status, page = register(client, "alfa", "GONE-2")
        assert status == 503
        assert NOT_SAVED_EN in page

    assert client.get("/alfa/candidates/")[0] == 200
    assert saved_id(*register(client, "alfa", "BACK-1")) is not None
    assert not {"GONE-1", "GONE-2"} & set(references(installation, "alfa"))
    assert_sound(installation)


# ---------------------------------------------------------------- a read-only tenant database


def require_mounts() -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root and mount(8) to make a file read-only for root too")


@contextmanager
def tenant_database_read_only(installation: Installation, slug: str) -> Iterator[None]:
    databases = installation.databases
    if databases.is_postgres:
        schema = schema_for(slug)
        grant = f'INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO CURRENT_USER'
        with databases.control_engine.begin() as connection:
            superuser = "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
            if connection.exec_driver_sql(superuser).scalar():
                pytest.skip("the role is a superuser, whom no privilege binds (CI's is not)")
            connection.exec_driver_sql(f"REVOKE {grant.replace(' TO ', ' FROM ')}")
        try:
            yield
        finally:
            with databases.control_engine.begin() as connection:
                connection.exec_driver_sql(f"GRANT {grant}")
        return
    require_mounts()
    path = str(databases.tenant_sqlite_path(slug))
    checkpoint(Path(path))
    # a read-only bind mount of the file: even root cannot write through it
    bind = subprocess.run(["mount", "--bind", path, path], capture_output=True, text=True)  # noqa: S603, S607
    if bind.returncode != 0:
        pytest.skip(f"mount --bind is not allowed here: {bind.stderr.strip()}")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", path], check=True)  # noqa: S603, S607
        yield
    finally:
        # lazily: the workers' connections opened meanwhile keep the mount busy until they close
        subprocess.run(["umount", "-l", path], check=True)  # noqa: S603, S607


def test_read_only_tenant_database_refuses_writes_with_a_clear_page(fresh_app, serve):
    installation = install(fresh_app())
    server = serve(installation.env)
    client = coordinator(server)
    assert saved_id(*register(client, "alfa", "BEFORE-1")) is not None

    with tenant_database_read_only(installation, "alfa"):
        status, page = register(client, "alfa", "RO-1")
        assert status == 503
        assert NOT_SAVED in page
        status, page = client.get("/alfa/candidates/")
        assert status == 200 or (status == 503 and TENANT_UNREACHABLE in page)
        assert saved_id(*register(client, "beta", "BETA-RO-1")) is not None

    assert saved_id(*register(client, "alfa", "AFTER-1")) is not None
    stored = references(installation, "alfa")
    assert {"BEFORE-1", "AFTER-1"} <= set(stored)
    assert "RO-1" not in stored
    assert_sound(installation)


# ---------------------------------------------------------------- a full disk


@contextmanager
def small_disk(folder: Path, size: str = "8m") -> Iterator[Path]:
    require_mounts()
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(  # noqa: S603
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],  # noqa: S607
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not allowed here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)  # noqa: S603, S607


def fill(folder: Path) -> Path:
    """Fill the file system until not one more block fits (unbuffered writes)."""
    filler = folder / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 512):
            while True:
                try:
                    os.write(descriptor, b"\0" * size)
                except OSError:
                    break
    finally:
        os.close(descriptor)
    return filler


def test_full_disk_gives_an_error_page_and_no_corrupted_data(fresh_app, serve, tmp_path):
    app = fresh_app()
    if app.extensions["hansyn_databases"].is_postgres:
        pytest.skip("a full disk under a tenant's SQLite file; PostgreSQL's disk is the server's")
    with small_disk(Path(app.config["INSTANCE_PATH"]) / "tenants") as disk:
        installation = install(app)
        server = serve(installation.env)
        client = coordinator(server)
        acknowledged = []
        for number in range(3):
            reference = f"ROOM-{number}"
            assert saved_id(*register(client, "alfa", reference)) is not None
            acknowledged.append(reference)
        filler = fill(disk)

        failures = []
        for number in range(40):
            status, page = register(client, "alfa", f"FULL-{number}")
            if saved_id(status, page) is not None:
                acknowledged.append(f"FULL-{number}")
                continue
            assert status == 503, page[:500]
            assert NOT_SAVED in page
            failures.append(number)
        assert failures, "the disk never filled up"

        filler.unlink()
        assert saved_id(*register(client, "alfa", "ROOM-AGAIN")) is not None
        acknowledged.append("ROOM-AGAIN")
        assert set(acknowledged) <= set(references(installation, "alfa"))
        server.stop()
        assert_sound(installation)


# ---------------------------------------------------------------- PostgreSQL restarts


@dataclass
class PostgresServer:
    bin: Path
    data: Path
    port: int
    user: str = "postgres"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def ctl(self, *args: str) -> None:
        run_as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60", *args)


def run_as_postgres(*command: str) -> None:
    # no pipes: a server that pg_ctl starts keeps the descriptors it inherited open
    subprocess.run(  # noqa: S603
        ["runuser", "-u", "postgres", "--", *command],  # noqa: S607
        check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, cwd="/",
    )


@pytest.fixture
def own_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server of this test's own (so that restarting it disturbs nobody else)."""
    from tests.fixtures.platform import postgres_server_url

    if postgres_server_url() is None:
        pytest.skip("runs in the PostgreSQL run of the suite (HANSYN_DATABASE_URL)")
    initdbs = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not initdbs or os.geteuid() != 0 or shutil.which("runuser") is None:
        pytest.skip("needs PostgreSQL's server programs and root, to run a server of its own")
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("needs the system user postgres to run a server of its own")
    from tests.fixtures.served import free_port

    folder = Path(tempfile.mkdtemp(prefix="hansyn-faults-pg-"))
    shutil.chown(folder, "postgres")
    server = PostgresServer(initdbs[-1].parent, folder / "data", free_port())
    run_as_postgres(
        str(server.bin / "initdb"), "-D", str(server.data), "-U", "postgres", "--auth=trust",
        "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
    )
    options = f"-h 127.0.0.1 -p {server.port} -k {folder} -c fsync=off"
    server.ctl("-l", str(folder / "server.log"), "-o", options, "start")
    try:
        yield server
    finally:
        subprocess.run(  # noqa: S603
            ["runuser", "-u", "postgres", "--", str(server.bin / "pg_ctl"), "-D",  # noqa: S607
             str(server.data), "-m", "immediate", "stop"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            cwd="/",
        )
        shutil.rmtree(folder, ignore_errors=True)


def test_postgres_restart_during_a_request_gives_an_error_not_half_a_write(
    own_postgres, serve, tmp_path
):
    from tests.fixtures.platform import make_test_app

    admin = create_engine(own_postgres.url(), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(text('CREATE DATABASE "hansyn"'))
    admin.dispose()
    app = make_test_app(tmp_path / "instance", own_postgres.url("hansyn"))
    installation = install(app)
    server = serve(installation.env)
    client = coordinator(server)
    assert saved_id(*register(client, "alfa", "PG-BEFORE")) is not None

    # Hold the audit table so that the registration waits inside its transaction, after it has
    # written the job seeker and before it can write the audit row; then restart the server.
    holder = create_engine(own_postgres.url("hansyn"), poolclass=NullPool)
    blocked: dict[str, object] = {}
    lock = holder.connect()
    lock.exec_driver_sql(f'LOCK TABLE "{schema_for("alfa")}".audit_event IN EXCLUSIVE MODE')
    request = threading.Thread(
        target=lambda: blocked.update(answer=register(client, "alfa", "PG-DURING"))
    )
    request.start()
    try:
        waiting = wait_for_blocked_request(lock)
        own_postgres.ctl("-m", "fast", "restart")
    finally:
        lock.invalidate()  # the restart ended its session; there is nothing to roll back
        holder.dispose()
    request.join(timeout=60)

    status, page = blocked["answer"]  # type: ignore[misc]
    assert status == 503, page[:500]
    assert NOT_SAVED in page
    assert waiting["wrote"], "the request had not written anything yet when the server restarted"
    assert saved_id(*register(client, "alfa", "PG-AFTER")) is not None
    stored = references(installation, "alfa")
    assert {"PG-BEFORE", "PG-AFTER"} <= set(stored)
    assert "PG-DURING" not in stored
    assert_sound(installation)
    installation.databases.dispose()


def wait_for_blocked_request(connection, seconds: float = 30) -> dict[str, bool]:
    """Wait until a backend waits for the held lock; whether its transaction already wrote."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        # statistics views are read once per transaction unless told to look again
        connection.exec_driver_sql("SELECT pg_stat_clear_snapshot()")
        row = connection.exec_driver_sql(
            "SELECT backend_xid IS NOT NULL FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        ).first()
        if row is not None:
            return {"wrote": bool(row[0])}
        time.sleep(0.05)
    activity = connection.exec_driver_sql(
        "SELECT state, wait_event_type, wait_event, left(query, 120) FROM pg_stat_activity"
    ).all()
    raise AssertionError(f"the registration never reached the locked table: {activity}")
