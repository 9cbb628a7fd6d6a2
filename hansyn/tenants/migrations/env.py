"""Alembic environment of the tenant schema, run once per tenant by `hansyn.migrations`.

On PostgreSQL the connection's search_path already points at the tenant's schema, and the
version table is kept there too, so each tenant has its own migration state.
"""

from alembic import context

from hansyn.db import TenantBase
from hansyn.tenants import models  # noqa: F401  (registers every tenant table)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=TenantBase.metadata,
    version_table_schema=context.config.attributes.get("tenant_schema"),
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
