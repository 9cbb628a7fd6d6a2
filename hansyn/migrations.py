"""Alembic, driven from code: one history for the control plane, one for the tenant schema.

Each history lives beside its models (`platform/migrations`, `tenants/migrations`). The tenant
history is applied to every tenant: a SQLite file each, or a PostgreSQL schema each (reached with
`search_path`, and the version table kept inside the tenant's own schema).

On PostgreSQL the tenant's schema is the only entry of `search_path`, so the unqualified
`alembic_version` already lands in that schema. It is not named as `version_table_schema`:
autogenerate compares the default schema only, and would then report the version table it found
there as a table to drop (`hansyn db check` failed on every tenant).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text

from hansyn.db import Databases, schema_for

Plane = Literal["control", "tenant"]
PACKAGE_DIR = Path(__file__).resolve().parent
SCRIPT_LOCATIONS: dict[Plane, Path] = {
    "control": PACKAGE_DIR / "platform" / "migrations",
    "tenant": PACKAGE_DIR / "tenants" / "migrations",
}


def alembic_config(plane: Plane, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATIONS[plane]))
    # Files named by date and slug, never by a bare hash (as indico does).
    config.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


@contextmanager
def _tenant_connection(databases: Databases, slug: str) -> Iterator[Connection]:
    if databases.is_postgres:
        databases.create_tenant_schema(slug)
        with databases.control_engine.begin() as connection:
            connection.execute(text(f'SET LOCAL search_path TO "{schema_for(slug)}"'))
            yield connection
        return
    with databases.tenant_engine(slug).connect() as connection:
        yield connection


def upgrade_control(databases: Databases) -> None:
    with databases.control_engine.begin() as connection:
        command.upgrade(alembic_config("control", connection), "heads")


def upgrade_tenant(databases: Databases, slug: str) -> None:
    with _tenant_connection(databases, slug) as connection:
        command.upgrade(alembic_config("tenant", connection), "heads")


def check_control(databases: Databases) -> None:
    """Raise if the control-plane models differ from what the migrations build."""
    with databases.control_engine.begin() as connection:
        command.check(alembic_config("control", connection))


def check_tenant(databases: Databases, slug: str) -> None:
    with _tenant_connection(databases, slug) as connection:
        command.check(alembic_config("tenant", connection))


def new_revision(
    plane: Plane, message: str, head: str = "head", depends_on: str | None = None
) -> None:
    """Autogenerate a migration against a scratch SQLite database brought to every head.

    Domains may keep their own branch of the tenant history (several heads are fine: upgrades go
    to "heads"); `head` says which revision the new one follows.
    """
    with tempfile.TemporaryDirectory() as scratch:
        databases = Databases(None, Path(scratch))
        try:
            if plane == "control":
                upgrade_control(databases)
                engine = databases.control_engine
            else:
                databases.create_tenant_storage("scratch")
                upgrade_tenant(databases, "scratch")
                engine = databases.tenant_engine("scratch")
            with engine.begin() as connection:
                command.revision(
                    alembic_config(plane, connection),
                    message=message,
                    autogenerate=True,
                    head=head,
                    depends_on=depends_on,
                )
        finally:
            databases.dispose()
