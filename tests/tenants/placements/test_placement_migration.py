"""The data migration that takes wage subsidies out of the programme catalogue and stops typing
vacancies "filled": existing rows are moved sensibly, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command

from hansyn.migrations import _tenant_connection, alembic_config, upgrade_control

BEFORE = "5838c76f40f6"  # the placements tables, before the data migration
SLUG = "datamig"


def _upgrade(databases, target: str) -> None:
    with _tenant_connection(databases, SLUG) as connection:
        command.upgrade(alembic_config("tenant", connection), target)


def _execute(databases, statement: str, **values: object) -> list[sa.Row]:
    with _tenant_connection(databases, SLUG) as connection:
        result = connection.execute(sa.text(statement), values)
        rows = list(result) if result.returns_rows else []
        if not databases.is_postgres:  # PostgreSQL's connection commits as its block ends
            connection.commit()
        return rows


def test_subsidies_leave_the_catalogue_and_filled_vacancies_close(fresh_app):
    app = fresh_app()
    databases = app.extensions["hansyn_databases"]
    now = datetime.now(UTC)
    with app.app_context():
        upgrade_control(databases)
        databases.create_tenant_storage(SLUG)
        _upgrade(databases, BEFORE)
        ids = dict(_execute(databases, "SELECT code, id FROM programme"))
        assert {"nystartsjobb", "lonebidrag"} <= ids.keys()
        _execute(
            databases,
            "INSERT INTO candidate (programme_id, driving_licences, working_time, status, "
            "status_changed_at, created_at, updated_at) VALUES (:p, '', 'either', 'active', "
            ":now, :now, :now)",
            p=ids["lonebidrag"],
            now=now,
        )
        _execute(
            databases,
            "INSERT INTO supplier (name, org_number, created_at) VALUES ('Mig AB', '5560000001', "
            ":now)",
            now=now,
        )
        supplier = _execute(databases, "SELECT id FROM supplier")[0][0]
        _execute(
            databases,
            "INSERT INTO contract (reference, title, category, supplier_id, start_date, "
            "end_date, created_at, updated_at) VALUES ('M-1', 'Mig', 'cleaning', :s, :a, :b, "
            ":now, :now)",
            s=supplier,
            a=date(2026, 1, 1),
            b=date(2027, 1, 1),
            now=now,
        )
        contract = _execute(databases, "SELECT id FROM contract")[0][0]
        for status in ("open", "filled", "closed"):
            _execute(
                databases,
                "INSERT INTO vacancy (contract_id, title, occupation_key, occupation_label, "
                "required_skills, desired_skills, required_languages, locality_id, "
                "locality_name, positions, start_date, extent, hours_per_week, status, "
                "created_at, updated_at) VALUES (:c, :t, 'o', 'o', '[]', '[]', '[]', 'x', 'x', 1, "
                ":d, 'heltid', 40, :s, :now, :now)",
                c=contract,
                t=status,
                d=date(2026, 2, 1),
                s=status,
                now=now,
            )
        _upgrade(databases, "heads")
        programmes = dict(_execute(databases, "SELECT code, active FROM programme"))
        statuses = dict(_execute(databases, "SELECT title, status FROM vacancy"))
    # used by a candidate: kept but retired; unused: gone
    assert programmes["lonebidrag"] in (False, 0)
    assert "nystartsjobb" not in programmes
    assert programmes["etablering"] in (True, 1)
    assert statuses == {"open": "open", "filled": "closed", "closed": "closed"}
