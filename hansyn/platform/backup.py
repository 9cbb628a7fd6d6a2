"""Backup and restore of one municipality's database (`hansyn tenant backup|restore`).

Two file formats, told apart by their first bytes:

- **SQLite** (the tenant's own file): a copy made with SQLite's online backup API, consistent
  while the app keeps serving and writing, in rollback-journal mode so that it is one
  self-contained file, with a table `hansyn_backup` of facts about it (slug, name, kommunkod,
  when, the schema revisions). It opens in any SQLite tool.
- **Portable** (PostgreSQL): gzip-compressed JSON lines written and read by this module: a header
  with the same facts, then each table of the tenant schema as its column names and rows, read in
  one REPEATABLE READ transaction so that the rows agree with each other. Values that JSON lacks
  (times, dates, enums, decimals, bytes, JSON documents) are written as one-key objects
  (`{"$datetime": "…"}`) and read back through the column's type.

Restore never touches the live data until the backup has been loaded completely and brought to
the newest schema in a *staging* database (a SQLite file or a PostgreSQL schema of its own); then
the live data is replaced in one step — SQLite's backup API from the staging file into the live
file, or two `ALTER SCHEMA … RENAME` in one transaction — and the staging copy is removed. A
tenant that exists is replaced only when the caller says so (`replace=True`, `--replace`).
A tenant that is not registered is created from the name and kommunkod in the backup.
"""

from __future__ import annotations

import base64
import enum
import gzip
import json
import os
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from alembic import command
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Connection, MetaData, String, Table, func, insert, select, text
from sqlalchemy import types as sqltypes
from sqlalchemy.orm import Session

from hansyn.db import TENANT_WRITE_LOCK_SPACE, Databases, TenantBase, schema_for
from hansyn.errors import InvalidInput
from hansyn.migrations import _tenant_connection, alembic_config, upgrade_tenant
from hansyn.platform import operations
from hansyn.platform.models import Tenant

FORMAT = "hansyn-tenant-backup"
FORMAT_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"
META_TABLE = "hansyn_backup"
_version_table = Table("alembic_version", MetaData(), Column("version_num", String(32)))


@dataclass(frozen=True)
class BackupFacts:
    slug: str
    name: str
    kommunkod: str
    created_at: str
    engine: str
    revisions: list[str]
    rows: int

    def as_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": FORMAT_VERSION, **self.__dict__}


def tenant_tables() -> list[Table]:
    """Every table of the tenant schema, parents before children."""
    import hansyn.tenants.models  # noqa: F401 (fills TenantBase.metadata)

    return list(TenantBase.metadata.sorted_tables)


# ---------------------------------------------------------------- backup


def backup(session: Session, databases: Databases, slug: str, target: Path) -> BackupFacts:
    """Write a consistent backup of tenant `slug` to `target` (replaced only when complete)."""
    tenant = operations.get_tenant(session, slug)
    if not databases.tenant_exists_physically(tenant.slug):
        raise InvalidInput(_l("Kommunen %(slug)s har ingen databas.", slug=tenant.slug))
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    partial.touch(mode=0o600)  # personal data: readable by the owner only
    try:
        if databases.is_postgres:
            facts = _backup_portable(databases, tenant, partial)
        else:
            facts = _backup_sqlite(databases, tenant, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return facts


def _facts(tenant: Tenant, engine: str, revisions: list[str], rows: int) -> BackupFacts:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return BackupFacts(tenant.slug, tenant.name, tenant.kommunkod, now, engine, revisions, rows)


def _backup_sqlite(databases: Databases, tenant: Tenant, partial: Path) -> BackupFacts:
    live_path = databases.tenant_sqlite_path(tenant.slug)
    live = sqlite3.connect(f"file:{live_path}?mode=ro", uri=True)
    copy = sqlite3.connect(partial, isolation_level=None)  # an empty file is an empty database
    try:
        live.backup(copy)  # page by page; restarts if the app writes meanwhile
        copy.execute("PRAGMA journal_mode = DELETE")
        versions = copy.execute("SELECT version_num FROM alembic_version")
        revisions = sorted(row[0] for row in versions)
        rows = sum(
            copy.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]  # noqa: S608
            for table in tenant_tables()
        )
        facts = _facts(tenant, "sqlite", revisions, rows)
        copy.execute(f"CREATE TABLE {META_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        copy.executemany(
            f"INSERT INTO {META_TABLE} VALUES (?, ?)",  # noqa: S608
            [(key, json.dumps(value)) for key, value in facts.as_dict().items()],
        )
        _require_integrity(copy)
    finally:
        copy.close()
        live.close()
    return facts


def _backup_portable(databases: Databases, tenant: Tenant, partial: Path) -> BackupFacts:
    engine = databases.tenant_engine(tenant.slug)
    with engine.connect().execution_options(
        isolation_level="REPEATABLE READ", postgresql_readonly=True
    ) as connection, gzip.open(partial, "wt", encoding="utf-8") as output:
        revisions = sorted(connection.scalars(select(_version_table.c.version_num)))
        tables = tenant_tables()
        counts = {t.name: connection.scalar(select(func.count()).select_from(t)) for t in tables}
        facts = _facts(tenant, databases.dialect, revisions, sum(counts.values()))
        _write_line(output, {**facts.as_dict(), "tables": counts})
        for table in tables:
            _write_table(connection, table, output)
    return facts


def _write_table(connection: Connection, table: Table, output: IO[str]) -> None:
    columns = [column.name for column in table.columns]
    _write_line(output, {"table": table.name, "columns": columns})
    order = list(table.primary_key.columns) or list(table.columns)
    for row in connection.execute(select(table).order_by(*order)):
        _write_line(output, [_encode(value) for value in row])


def _write_line(output: IO[str], value: object) -> None:
    output.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n")


def _encode(value: object) -> object:
    if isinstance(value, enum.Enum):
        return {"$enum": value.name}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return {"$time": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode()}
    if isinstance(value, dict | list):
        return {"$json": value}
    return value


def _decode(value: object, column: Column[Any]) -> object:
    if not isinstance(value, dict):
        return value
    ((tag, raw),) = value.items()
    if tag == "$enum":
        enum_class = getattr(column.type, "enum_class", None)
        return enum_class[raw] if enum_class is not None else raw
    decoders: dict[str, Any] = {
        "$datetime": datetime.fromisoformat,
        "$date": date.fromisoformat,
        "$time": time.fromisoformat,
        "$decimal": Decimal,
        "$bytes": base64.b64decode,
        "$json": lambda document: document,
    }
    return decoders[tag](raw)


# ---------------------------------------------------------------- restore


def read_facts(source: Path) -> BackupFacts:
    """What a backup file says about itself; InvalidInput when it is not a Hänsyn backup."""
    kind = _kind(source)
    if kind == "sqlite":
        connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            meta = dict(connection.execute(f"SELECT key, value FROM {META_TABLE}"))  # noqa: S608
        except sqlite3.DatabaseError as error:
            raise _not_a_backup(source) from error
        finally:
            connection.close()
        header = {key: json.loads(value) for key, value in meta.items()}
    else:
        try:
            with gzip.open(source, "rt", encoding="utf-8") as lines:
                header = json.loads(lines.readline())
        except (OSError, ValueError) as error:
            raise _not_a_backup(source) from error
    if header.get("format") != FORMAT or header.get("version") != FORMAT_VERSION:
        raise _not_a_backup(source)
    fields = BackupFacts.__dataclass_fields__
    return BackupFacts(**{key: header[key] for key in fields})


def _kind(source: Path) -> str:
    try:
        with source.open("rb") as handle:
            start = handle.read(16)
    except OSError as error:
        raise InvalidInput(_l("Filen %(file)s går inte att läsa.", file=str(source))) from error
    if start == SQLITE_MAGIC:
        return "sqlite"
    if start.startswith(GZIP_MAGIC):
        return "portable"
    raise _not_a_backup(source)


def _not_a_backup(source: Path) -> InvalidInput:
    return InvalidInput(
        _l("Filen %(file)s är ingen säkerhetskopia från Hänsyn.", file=str(source))
    )


def restore(
    session: Session, databases: Databases, slug: str, source: Path, *, replace: bool = False
) -> BackupFacts:
    """Replace tenant `slug`'s data with the backup in `source` (see the module's docstring)."""
    facts = read_facts(source)
    if (_kind(source) == "sqlite") == databases.is_postgres:
        raise InvalidInput(
            _l(
                "Säkerhetskopian är gjord med %(made)s men den här installationen använder "
                "%(here)s. Återställ den i en installation med samma databas.",
                made="SQLite" if _kind(source) == "sqlite" else "PostgreSQL",
                here="PostgreSQL" if databases.is_postgres else "SQLite",
            )
        )
    tenant = session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is not None and not replace:
        raise InvalidInput(
            _l(
                "Kommunen %(slug)s finns redan. Lägg till --replace för att ersätta allt den "
                "har med säkerhetskopian.",
                slug=slug,
            )
        )
    staging = f"restore-{secrets.token_hex(6)}"
    try:
        _load_staging(databases, staging, source, facts)
        if tenant is None:
            tenant = operations.create_tenant(
                session, databases, slug, facts.name, facts.kommunkod
            )
            session.flush()
        _swap_in(databases, staging, tenant.slug)
    finally:
        databases.drop_tenant_storage(staging)
    return facts


def _load_staging(databases: Databases, staging: str, source: Path, facts: BackupFacts) -> None:
    """The backup in a database of its own, at the newest schema."""
    if not databases.is_postgres:
        _copy_sqlite_file(source, databases.tenant_sqlite_path(staging))
    else:
        databases.create_tenant_storage(staging)
        _migrate_to(databases, staging, facts.revisions)
        with databases.tenant_engine(staging).begin() as connection:
            for table in reversed(tenant_tables()):  # rows the migrations seeded are in the backup
                connection.execute(table.delete())
            for table, rows in _rows(source):
                if rows:
                    connection.execute(insert(table), rows)
            _reset_sequences(connection, databases, staging)
    upgrade_tenant(databases, staging)


def _copy_sqlite_file(source: Path, staging_path: Path) -> None:
    staging_path.parent.mkdir(parents=True, exist_ok=True)
    backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    staging = sqlite3.connect(staging_path, isolation_level=None)
    try:
        _require_integrity(backup_file)
        backup_file.backup(staging)
        staging.execute(f"DROP TABLE {META_TABLE}")
        staging.execute("PRAGMA journal_mode = WAL")
    finally:
        staging.close()
        backup_file.close()


def _migrate_to(databases: Databases, slug: str, revisions: list[str]) -> None:
    """An empty tenant database at exactly the schema the backup was taken from."""
    with _tenant_connection(databases, slug) as connection:
        config = alembic_config("tenant", connection)
        try:
            for revision in revisions:
                command.upgrade(config, revision)
        except (CommandError, RevisionError) as error:
            raise InvalidInput(
                _l(
                    "Säkerhetskopian kommer från en nyare version av Hänsyn "
                    "(schemaversion %(revisions)s). Uppgradera Hänsyn först.",
                    revisions=", ".join(revisions),
                )
            ) from error


def _rows(source: Path) -> Iterator[tuple[Table, list[dict[str, Any]]]]:
    """(table, rows) of a backup, in the order the tables were written (parents first)."""
    tables = {table.name: table for table in tenant_tables()}
    with gzip.open(source, "rt", encoding="utf-8") as lines:
        next(lines)  # the header
        table: Table | None = None
        columns: list[Column[Any]] = []
        rows: list[dict[str, Any]] = []
        for line in lines:
            item = json.loads(line)
            if isinstance(item, dict):
                if table is not None:
                    yield table, rows
                table = tables[item["table"]]
                columns = [table.c[name] for name in item["columns"]]
                rows = []
            else:
                rows.append({c.key: _decode(v, c) for c, v in zip(columns, item, strict=True)})
        if table is not None:
            yield table, rows


def _reset_sequences(connection: Connection, databases: Databases, slug: str) -> None:
    """After rows were inserted with their ids, new ids continue above the largest one."""
    if not databases.is_postgres:
        return
    schema = schema_for(slug)
    for table in tenant_tables():
        for column in table.primary_key.columns:
            if not isinstance(column.type, sqltypes.Integer):
                continue
            qualified = f'"{schema}"."{table.name}"'
            largest = f"(SELECT max({column.name}) FROM {qualified})"  # noqa: S608
            connection.execute(
                text(
                    f"SELECT setval(seq, coalesce({largest}, 1), {largest} IS NOT NULL) "  # noqa: S608
                    "FROM pg_get_serial_sequence(:table, :column) AS seq WHERE seq IS NOT NULL"
                ),
                {"table": qualified, "column": column.name},
            )


def _swap_in(databases: Databases, staging: str, slug: str) -> None:
    """Replace the live tenant's data with the staging copy in one step."""
    if databases.is_postgres:
        live, new, old = schema_for(slug), schema_for(staging), f"{schema_for(staging)}_old"
        with databases.control_engine.begin() as connection:
            connection.exec_driver_sql(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (TENANT_WRITE_LOCK_SPACE, live)
            )
            connection.exec_driver_sql(f'ALTER SCHEMA "{live}" RENAME TO "{old}"')
            connection.exec_driver_sql(f'ALTER SCHEMA "{new}" RENAME TO "{live}"')
            connection.exec_driver_sql(f'DROP SCHEMA "{old}" CASCADE')
    else:
        databases.tenant_engine(slug).dispose()
        staging_file = sqlite3.connect(databases.tenant_sqlite_path(staging))
        live_file = sqlite3.connect(databases.tenant_sqlite_path(slug))
        try:
            staging_file.backup(live_file)  # one write transaction on the live file
        finally:
            live_file.close()
            staging_file.close()
    _forget_saved_index(slug)


def _forget_saved_index(slug: str) -> None:
    from hansyn.tenants.matches.index import forget_saved, invalidate

    forget_saved(slug)
    invalidate(slug)


def _require_integrity(connection: sqlite3.Connection) -> None:
    result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise InvalidInput(
            _l("Databasfilen är skadad: %(problem)s", problem="; ".join(result[:5]))
        )
