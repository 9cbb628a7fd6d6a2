"""A pooled SQLite connection follows its tenant's file: when the file is taken away, the next
session does not go on reading and writing the file that is no longer there but fails clearly,
and works again once the file is back (the read-only case needs a mount: tests/platform/
test_faults.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from hansyn.db import Databases
from hansyn.migrations import upgrade_tenant
from hansyn.tenants.suppliers.models import Supplier


@pytest.fixture
def databases(tmp_path) -> Databases:
    databases = Databases(None, tmp_path)
    databases.create_tenant_storage("pool")
    upgrade_tenant(databases, "pool")
    yield databases
    databases.dispose()


def add_supplier(databases: Databases, name: str, org_number: str) -> None:
    with databases.tenant_session("pool", write=True) as session:
        session.add(Supplier(name=name, org_number=org_number))


def supplier_names(databases: Databases) -> list[str]:
    with databases.tenant_session("pool") as session:
        return list(session.scalars(select(Supplier.name).order_by(Supplier.name)))


def test_a_removed_file_is_an_error_not_a_pooled_connection_writing_into_it(databases):
    add_supplier(databases, "Före AB", "5566778891")  # the pool now holds a connection to the file
    path = databases.tenant_sqlite_path("pool")
    aside = path.with_name("aside.sqlite")
    path.rename(aside)
    with pytest.raises(OperationalError, match="unable to open database file"):
        add_supplier(databases, "Under AB", "5566778892")
    with pytest.raises(OperationalError, match="unable to open database file"):
        supplier_names(databases)
    aside.rename(path)
    add_supplier(databases, "Efter AB", "5566778893")
    assert supplier_names(databases) == ["Efter AB", "Före AB"]
