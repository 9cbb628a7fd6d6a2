"""matches: a withdrawal reason of Hänsyn's own for a candidate whose processing is restricted

Revision ID: 0096ce643f15
Revises: d648c7606b7f
Create Date: 2026-12-02 07:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0096ce643f15"
down_revision: str | None = "d648c7606b7f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REASON = sa.table(
    "case_reason",
    sa.column("code", sa.String),
    sa.column("kind", sa.String),
    sa.column("system", sa.Boolean),
    sa.column("sort_order", sa.Integer),
)


def upgrade() -> None:
    op.bulk_insert(
        REASON, [{"code": "restricted", "kind": "withdrawn", "system": True, "sort_order": 140}]
    )


def downgrade() -> None:
    # Cases withdrawn for this reason keep a reason of the same meaning that existed before.
    op.execute(
        "UPDATE match_case SET reason_code = 'candidate_left' WHERE reason_code = 'restricted'"
    )
    op.execute(
        "UPDATE match_case_event SET reason_code = 'candidate_left' "
        "WHERE reason_code = 'restricted'"
    )
    op.execute("DELETE FROM case_reason WHERE code = 'restricted'")
