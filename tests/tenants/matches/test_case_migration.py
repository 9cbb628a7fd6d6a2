"""The migration that brings cases turns every existing meeting request into a requested case."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import select, text

from hansyn.migrations import _tenant_connection, alembic_config, check_tenant, upgrade_tenant
from hansyn.tenants.matches.models import (
    Case,
    CaseEvent,
    CaseOrigin,
    CaseReason,
    CaseRole,
    CaseState,
)

BEFORE_CASES = "3caa73a3614b"  # vacancies, meeting requests and pseudonyms
AT = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)

ROWS = [
    "INSERT INTO supplier (id, name, org_number, created_at) "
    "VALUES (1, 'Städ AB', '5566778899', :at)",
    "INSERT INTO contract (id, reference, title, category, supplier_id, start_date, end_date, "
    "created_at, updated_at) VALUES (1, 'Dnr 1', 'Lokalvård', 'cleaning', 1, :start, :end, "
    ":at, :at)",
    "INSERT INTO vacancy (id, contract_id, title, occupation_key, occupation_label, "
    "required_skills, desired_skills, required_languages, locality_id, locality_name, "
    "positions, start_date, extent, hours_per_week, status, created_at, updated_at) VALUES "
    "(1, 1, 'Lokalvårdare', 'occupation:x', 'Lokalvårdare', '[]', '[]', '[]', 'L1', 'Angered', "
    "1, :start, 'heltid', 40, 'open', :at, :at)",
    "INSERT INTO candidate (id, programme_id, driving_licences, working_time, status, "
    "status_changed_at, created_at, updated_at) VALUES (1, (SELECT min(id) FROM programme), '', "
    "'either', 'active', :at, :at, :at)",
    "INSERT INTO meeting_request (vacancy_id, candidate_id, supplier_id, requested_by, at, "
    "status) VALUES (1, 1, 1, 77, :at, 'requested')",
]


def test_meeting_requests_become_requested_cases(fresh_app):
    app = fresh_app()
    databases = app.extensions["hansyn_databases"]
    params = {"at": AT, "start": date(2026, 1, 1), "end": date(2028, 12, 31)}
    with app.app_context():
        databases.create_tenant_storage("migcase")
        with _tenant_connection(databases, "migcase") as connection:
            command.upgrade(alembic_config("tenant", connection), BEFORE_CASES)
            for statement in ROWS:
                connection.execute(text(statement), params)
            if not databases.is_postgres:
                connection.commit()
        upgrade_tenant(databases, "migcase")
        check_tenant(databases, "migcase")
    with databases.tenant_session("migcase") as session:
        case = session.scalar(select(Case))
        assert (case.vacancy_id, case.candidate_id, case.supplier_id) == (1, 1, 1)
        assert (case.state, case.origin, case.created_by) == (
            CaseState.REQUESTED, CaseOrigin.SUPPLIER, 77
        )
        assert case.created_at == case.state_changed_at
        assert case.created_at.replace(tzinfo=UTC) == AT
        events = session.scalars(select(CaseEvent)).all()
        assert [(e.from_state, e.to_state, e.role, e.user_id) for e in events] == [
            (None, CaseState.REQUESTED, CaseRole.SUPPLIER, 77)
        ]
        assert len(session.scalars(select(CaseReason)).all()) == 14
