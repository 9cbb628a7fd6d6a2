"""Both migration histories build their schema from empty, and the models match them."""

from __future__ import annotations

from sqlalchemy import inspect

from hansyn.db import ControlBase, Databases, TenantBase
from hansyn.migrations import check_control, check_tenant, upgrade_control, upgrade_tenant


def test_upgrade_from_empty_to_head_and_check(fresh_app):
    app = fresh_app()
    databases: Databases = app.extensions["hansyn_databases"]
    slug = "migtest"
    with app.app_context():
        upgrade_control(databases)
        databases.create_tenant_storage(slug)
        upgrade_tenant(databases, slug)
        check_control(databases)
        check_tenant(databases, slug)
        # Idempotent: a second upgrade is a no-op.
        upgrade_tenant(databases, slug)
    control_tables = set(inspect(databases.control_engine).get_table_names())
    assert set(ControlBase.metadata.tables) <= control_tables
    if databases.is_postgres:
        from hansyn.db import schema_for

        inspector = inspect(databases.control_engine)
        tenant_tables = set(inspector.get_table_names(schema=schema_for(slug)))
    else:
        tenant_tables = set(inspect(databases.tenant_engine(slug)).get_table_names())
    assert set(TenantBase.metadata.tables) <= tenant_tables
    # The planes never mix: no tenant table in the control plane and the other way round.
    assert not set(TenantBase.metadata.tables) & control_tables
    assert not set(ControlBase.metadata.tables) & tenant_tables
