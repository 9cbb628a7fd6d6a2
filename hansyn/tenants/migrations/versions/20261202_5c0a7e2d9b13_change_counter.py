"""candidates: change counter and change log

Revision ID: 5c0a7e2d9b13
Revises: e89db1d6db3f
Create Date: 2026-12-02 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c0a7e2d9b13"
down_revision: str | None = "e89db1d6db3f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    counter = op.create_table(
        "change_counter",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_change_counter")),
    )
    op.create_table(
        "candidate_change",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("candidate_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("seq", "candidate_id", name=op.f("pk_candidate_change")),
    )
    op.bulk_insert(counter, [{"name": "candidate", "value": 0}])


def downgrade() -> None:
    op.drop_table("candidate_change")
    op.drop_table("change_counter")
