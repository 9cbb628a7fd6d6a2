"""`hansyn tenant backup` and `hansyn tenant restore`: a round trip gives back every row of every
table, on SQLite (online backup API) and on PostgreSQL (the portable format); a municipality that
exists is replaced only with --replace; a backup taken while the app writes is consistent."""

from __future__ import annotations

import gzip
import json
import stat
import threading
from pathlib import Path

from sqlalchemy import func, select

from hansyn.platform.backup import tenant_tables
from hansyn.platform.models import Tenant
from hansyn.tenants.audit.models import AuditEvent
from hansyn.tenants.candidates.models import Candidate
from tests.fixtures.candidates import make_candidate


def everything(app, slug: str) -> dict[str, list[tuple]]:
    """Every row of every table of the tenant, in primary-key order."""
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session(slug) as session:
        return {
            table.name: [
                tuple(row)
                for row in session.execute(
                    select(table).order_by(*(table.primary_key.columns or table.columns))
                )
            ]
            for table in tenant_tables()
        }


def add_candidate(app, slug: str, **fields) -> int:
    databases = app.extensions["hansyn_databases"]
    with app.test_request_context(), databases.tenant_session(slug, write=True) as session:
        return make_candidate(session, consent=True, **fields).id


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def demo_app(fresh_app):
    app = fresh_app(DEMO_PASSWORD="hansyn-demo-2026")
    assert run(app, "demo").exit_code == 0
    return app


def test_round_trip_restores_every_row_and_ids_go_on(fresh_app, tmp_path):
    app = demo_app(fresh_app)
    add_candidate(app, "goteborg", name="Före Säkerhetskopian")
    before = everything(app, "goteborg")
    assert sum(map(len, before.values())) > 50
    file = tmp_path / "goteborg.backup"

    result = run(app, "tenant", "backup", "goteborg", str(file))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(file.stat().st_mode) == 0o600  # personal data
    assert not list(tmp_path.glob(".*.part"))

    add_candidate(app, "goteborg", name="Efter Säkerhetskopian")
    assert everything(app, "goteborg") != before

    refused = run(app, "tenant", "restore", "goteborg", str(file))
    assert refused.exit_code == 1
    assert "finns redan" in refused.output
    assert "already exists" in refused.output
    assert "--replace" in refused.output
    assert len(everything(app, "goteborg")["candidate"]) == len(before["candidate"]) + 1

    restored = run(app, "tenant", "restore", "goteborg", str(file), "--replace")
    assert restored.exit_code == 0, restored.output
    assert everything(app, "goteborg") == before
    # new rows get ids above the restored ones (PostgreSQL: the sequences were set)
    newest = max(row[0] for row in before["candidate"])
    assert add_candidate(app, "goteborg", name="Ny Efter Återställning") > newest
    # the other municipalities were not touched
    assert run(app, "tenant", "list").output.count("active") == 7


def test_restore_on_a_new_installation_creates_the_municipality(fresh_app, tmp_path):
    source = demo_app(fresh_app)
    before = everything(source, "boras")
    file = tmp_path / "boras.backup"
    assert run(source, "tenant", "backup", "boras", str(file)).exit_code == 0

    target = fresh_app()
    result = run(target, "tenant", "restore", "boras", str(file))
    assert result.exit_code == 0, result.output
    databases = target.extensions["hansyn_databases"]
    with target.app_context(), databases.control_session() as session:
        tenant = session.scalar(select(Tenant).where(Tenant.slug == "boras"))
        assert (tenant.name, tenant.kommunkod, tenant.active) == ("Borås stad", "1490", True)
    assert everything(target, "boras") == before


def test_backup_taken_while_the_app_writes_is_consistent(fresh_app, tmp_path):
    """Every candidate a writer registered is in the backup together with its audit row (both
    written in one transaction), and the file passes SQLite's integrity check or loads whole."""
    app = fresh_app()
    created = run(app, "tenant", "create", "alfa", "--name", "Alfa", "--kommunkod", "9901")
    assert created.exit_code == 0
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        while not stop.is_set():
            written.append(add_candidate(app, "alfa", reference=f"W-{len(written)}"))

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:
            stop.wait(0.05)
        file = tmp_path / "alfa.backup"
        result = run(app, "tenant", "backup", "alfa", str(file))
        assert result.exit_code == 0, result.output
    finally:
        stop.set()
        thread.join()

    copy = fresh_app()
    assert run(copy, "tenant", "restore", "alfa", str(file)).exit_code == 0
    databases = copy.extensions["hansyn_databases"]
    with copy.app_context(), databases.tenant_session("alfa") as session:
        candidates = set(session.scalars(select(Candidate.id)))
        audited = set(
            session.scalars(
                select(AuditEvent.subject_id).where(
                    AuditEvent.subject_type == "candidate", AuditEvent.action == "create"
                )
            )
        )
        assert session.scalar(select(func.count(Candidate.id))) >= 5
    assert candidates == audited
    assert candidates <= set(written)


def test_restore_refuses_what_is_not_a_backup(fresh_app, tmp_path):
    app = fresh_app()
    created = run(app, "tenant", "create", "alfa", "--name", "Alfa", "--kommunkod", "9901")
    assert created.exit_code == 0
    junk = tmp_path / "junk.backup"
    junk.write_text("inte en säkerhetskopia")
    result = run(app, "tenant", "restore", "beta", str(junk))
    assert result.exit_code == 1
    assert "ingen säkerhetskopia" in result.output
    assert "not a Hänsyn backup" in result.output

    databases = app.extensions["hansyn_databases"]
    other_engine = "sqlite" if databases.is_postgres else "postgresql"
    foreign = tmp_path / "foreign.backup"
    if other_engine == "postgresql":
        with gzip.open(foreign, "wt") as output:
            header = {"format": "hansyn-tenant-backup", "version": 1, "slug": "x", "name": "X",
                      "kommunkod": "9903", "created_at": "2026-01-01T00:00:00+00:00",
                      "engine": "postgresql", "revisions": [], "rows": 0}
            output.write(json.dumps(header) + "\n")
    else:
        sqlite_backup = _sqlite_backup_file(tmp_path)
        foreign.write_bytes(sqlite_backup.read_bytes())
    result = run(app, "tenant", "restore", "beta", str(foreign))
    assert result.exit_code == 1
    assert "samma databas" in result.output
    assert "same database" in result.output
    with app.app_context(), databases.control_session() as session:
        assert session.scalar(select(Tenant).where(Tenant.slug == "beta")) is None


def _sqlite_backup_file(tmp_path: Path) -> Path:
    import sqlite3

    path = tmp_path / "sqlite.backup"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE hansyn_backup (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    facts = {"format": "hansyn-tenant-backup", "version": 1, "slug": "x", "name": "X",
             "kommunkod": "9903", "created_at": "2026-01-01", "engine": "sqlite",
             "revisions": [], "rows": 0}
    connection.executemany(
        "INSERT INTO hansyn_backup VALUES (?, ?)", [(k, json.dumps(v)) for k, v in facts.items()]
    )
    connection.commit()
    connection.close()
    return path
