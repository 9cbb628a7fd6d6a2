"""Concurrent writes to one SQLite tenant from several processes lose nothing."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import select

from hansyn.db import Databases
from hansyn.migrations import upgrade_tenant
from hansyn.tenants.suppliers.models import Supplier

PROCESSES = 4
INCREMENTS = 25


def _increment_many(instance_path: str, supplier_id: int) -> None:
    databases = Databases(None, Path(instance_path))
    for _ in range(INCREMENTS):
        # A read-modify-write: without BEGIN IMMEDIATE two processes read the same value.
        with databases.tenant_session("samtidig", write=True) as session:
            supplier = session.scalar(select(Supplier).where(Supplier.id == supplier_id))
            supplier.contact_phone = str(int(supplier.contact_phone or "0") + 1)
    databases.dispose()


def test_concurrent_read_modify_write_loses_no_update(tmp_path, database_url):
    if database_url is not None:
        pytest.skip("SQLite-specific: PostgreSQL runs the suite on its own engine")
    databases = Databases(None, tmp_path)
    upgrade_tenant(databases, "samtidig")
    with databases.tenant_session("samtidig", write=True) as session:
        supplier = Supplier(name="Räknare AB", org_number="5566778899", contact_phone="0")
        session.add(supplier)
        session.flush()
        supplier_id = supplier.id
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_increment_many, args=(str(tmp_path), supplier_id)) for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    with databases.tenant_session("samtidig") as session:
        assert session.get(Supplier, supplier_id).contact_phone == str(PROCESSES * INCREMENTS)
    databases.dispose()
