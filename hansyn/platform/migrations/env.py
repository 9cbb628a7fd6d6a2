"""Alembic environment of the control plane; the connection comes from `hansyn.migrations`."""

from alembic import context

from hansyn.db import ControlBase
from hansyn.platform import (  # noqa: F401  (registers the tables)
    api_tokens,
    mfa,
    models,
    tenant_login,
)
from hansyn.platform.statistics import models as statistics_models  # noqa: F401

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=ControlBase.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
