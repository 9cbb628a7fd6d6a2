"""Alembic environment of the tenant schema, run once per tenant by `hansyn.migrations`.

On PostgreSQL the connection's search_path holds only the tenant's schema, so the unqualified
version table lands there too and each tenant has its own migration state (see hansyn.migrations).
"""

from alembic import context

from hansyn.db import TenantBase
from hansyn.tenants import models  # noqa: F401  (registers every tenant table)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=TenantBase.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
