"""audit: the subject index apart, filled in sorted batches

`audit_event`'s indexes on `at`, `subject_id` and `supplier_id` are dropped: every list a
supplier reads appended 25 rows, and the `subject_id` index put each of them on another page
(an eighth of the ranked page's CPU). `audit_subject` takes the subject index, written in
subject order per bucket of 65,536 events by `index_subjects`; `audit_index_state` says up to which event it is complete.

Revision ID: b5e2f0c4d871
Revises: a7c3e1f04b21
Create Date: 2026-12-02 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b5e2f0c4d871"
down_revision: str | None = "a7c3e1f04b21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DROPPED = ("at", "subject_id", "supplier_id")


def upgrade() -> None:
    for column in _DROPPED:
        op.drop_index(op.f(f"ix_audit_event_{column}"), table_name="audit_event")
    op.create_table(
        "audit_subject",
        sa.Column("bucket", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint(
            "bucket", "subject_type", "subject_id", "event_id", name=op.f("pk_audit_subject")
        ),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "audit_index_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("indexed_upto", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_index_state")),
    )
    op.execute(
        "INSERT INTO audit_subject (bucket, subject_type, subject_id, event_id)"
        " SELECT id / 65536, subject_type, subject_id, id FROM audit_event"
        " WHERE subject_id IS NOT NULL ORDER BY 1, 2, 3, 4"  # 65,536: operations.BUCKET_EVENTS
    )
    op.execute(
        "INSERT INTO audit_index_state (id, indexed_upto)"
        " SELECT 1, COALESCE(MAX(id), 0) FROM audit_event"
    )


def downgrade() -> None:
    op.drop_table("audit_index_state")
    op.drop_table("audit_subject")
    for column in _DROPPED:
        op.create_index(op.f(f"ix_audit_event_{column}"), "audit_event", [column], unique=False)
