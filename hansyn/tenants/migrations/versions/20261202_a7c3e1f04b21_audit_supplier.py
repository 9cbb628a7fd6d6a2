"""audit: the supplier a read was for

Revision ID: a7c3e1f04b21
Revises: dda6ee33c142
Create Date: 2026-12-02 05:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7c3e1f04b21"
down_revision: str | None = "dda6ee33c142"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("supplier_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_audit_event_supplier_id"), ["supplier_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_supplier_id"))
        batch_op.drop_column("supplier_id")
