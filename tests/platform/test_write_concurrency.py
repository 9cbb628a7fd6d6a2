"""Concurrent read-modify-writes to one tenant from several processes lose nothing — on SQLite
(BEGIN IMMEDIATE) and on PostgreSQL (a per-tenant advisory lock), the same guarantee."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from hansyn.db import TENANT_WRITE_LOCK_SPACE, Databases, schema_for
from hansyn.migrations import upgrade_tenant
from hansyn.tenants.suppliers.models import Supplier

PROCESSES = 4
INCREMENTS = 25


def _increment_many(database_url: str | None, instance_path: str, supplier_id: int) -> None:
    databases = Databases(database_url, Path(instance_path))
    for _ in range(INCREMENTS):
        # A read-modify-write: without BEGIN IMMEDIATE two processes read the same value.
        with databases.tenant_session("samtidig", write=True) as session:
            supplier = session.scalar(select(Supplier).where(Supplier.id == supplier_id))
            supplier.contact_phone = str(int(supplier.contact_phone or "0") + 1)
    databases.dispose()


def test_concurrent_read_modify_write_loses_no_update(tmp_path, database_url):
    databases = Databases(database_url, tmp_path)
    databases.create_tenant_storage("samtidig")
    upgrade_tenant(databases, "samtidig")
    with databases.tenant_session("samtidig", write=True) as session:
        supplier = Supplier(name="Räknare AB", org_number="5566778899", contact_phone="0")
        session.add(supplier)
        session.flush()
        supplier_id = supplier.id
    context = multiprocessing.get_context("spawn")
    args = (database_url, str(tmp_path), supplier_id)
    workers = [context.Process(target=_increment_many, args=args) for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    with databases.tenant_session("samtidig") as session:
        assert session.get(Supplier, supplier_id).contact_phone == str(PROCESSES * INCREMENTS)
    databases.drop_tenant_storage("samtidig")
    databases.dispose()


def test_postgres_write_lock_holds_back_only_writers_of_the_same_tenant(app, databases):
    if not databases.is_postgres:
        pytest.skip("PostgreSQL's advisory lock; on SQLite BEGIN IMMEDIATE locks the tenant's file")
    same_tenant_writer = text("SELECT pg_advisory_xact_lock(:space, hashtext(:schema))").bindparams(
        space=TENANT_WRITE_LOCK_SPACE, schema=schema_for("alfa")
    )
    with databases.tenant_session("alfa", write=True) as holder:
        holder.scalar(select(Supplier.id).limit(1))
        # Neither a reader of the same tenant nor a writer of another tenant waits.
        with databases.tenant_session("alfa") as reader:
            reader.scalar(select(Supplier.id).limit(1))
        with databases.tenant_session("beta", write=True) as other:
            other.scalar(select(Supplier.id).limit(1))
        # A second writer of the same tenant does.
        with databases.control_engine.connect() as connection:
            connection.execute(text("SET LOCAL lock_timeout = 200"))
            with pytest.raises(OperationalError, match="lock timeout"):
                connection.execute(same_tenant_writer)
