"""placements: wage subsidies leave the programme catalogue; a vacancy's "filled" is derived

A wage subsidy (nystartsjobb, lönebidrag, …) is a fact of an employment, recorded on the
placement, not a labour-market programme a person belongs to. The two the catalogue was seeded
with are deleted where nothing uses them and deactivated where candidates or clauses still name
them (kept, never chosen again, so that history keeps its meaning).

A vacancy is filled when it has as many hires as positions; nobody types it any more. Vacancies
typed "filled" before hires were recorded are closed: they take no more candidates, and no hire
is invented for them.

Revision ID: c41d7e2a9b13
Revises: 5838c76f40f6
Create Date: 2026-12-02 06:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c41d7e2a9b13"
down_revision: str | None = "5838c76f40f6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Copies, not imports: a migration must keep doing what it did when the models change.
SUBSIDY_PROGRAMMES = (
    ("nystartsjobb", "Nystartsjobb/introduktionsjobb (behörighet)", 40),
    ("lonebidrag", "Lönebidrag", 50),
)
#: Tables whose rows name a programme (the placement table is new and empty here).
USERS_OF_PROGRAMMES = (
    ("candidate", "programme_id"),
    ("social_clause_target_group", "programme_id"),
    ("placement", "programme_id"),
)

programme = sa.table(
    "programme",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("active", sa.Boolean),
    sa.column("sort_order", sa.Integer),
)
vacancy = sa.table("vacancy", sa.column("status", sa.String))


def _used(connection: sa.Connection, programme_id: int) -> bool:
    for table_name, column_name in USERS_OF_PROGRAMMES:
        table = sa.table(table_name, sa.column(column_name, sa.Integer))
        query = (
            sa.select(sa.func.count())
            .select_from(table)
            .where(table.c[column_name] == programme_id)
        )
        if connection.scalar(query):
            return True
    return False


def upgrade() -> None:
    connection = op.get_bind()
    for code, _name, _order in SUBSIDY_PROGRAMMES:
        found = connection.scalar(sa.select(programme.c.id).where(programme.c.code == code))
        if found is None:
            continue
        if _used(connection, found):
            connection.execute(
                programme.update().where(programme.c.id == found).values(active=False)
            )
        else:
            connection.execute(programme.delete().where(programme.c.id == found))
    connection.execute(vacancy.update().where(vacancy.c.status == "filled").values(status="closed"))


def downgrade() -> None:
    # The subsidy programmes come back as they were seeded; closed vacancies stay closed (which
    # of them were typed "filled" is not known any more).
    connection = op.get_bind()
    for code, name, order in SUBSIDY_PROGRAMMES:
        found = connection.scalar(sa.select(programme.c.id).where(programme.c.code == code))
        if found is None:
            connection.execute(
                programme.insert().values(code=code, name=name, active=True, sort_order=order)
            )
        else:
            connection.execute(
                programme.update().where(programme.c.id == found).values(active=True)
            )
