"""`hansyn deadlines` and `hansyn notifications send`: what cron runs (each safe to run again).

    */15 * * * *  hansyn notifications send     # e-mail a refused or unreachable server kept back
    5 2 * * *     hansyn deadlines              # answer deadlines, stale vacancies, reminders
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from hansyn.db import Databases
from hansyn.errors import InvalidInput
from hansyn.platform.cli import reports_invalid_input
from hansyn.platform.models import Tenant
from hansyn.platform.operations import get_tenant
from hansyn.tenants.audit.operations import index_subjects
from hansyn.tenants.matches.deadlines import run_deadlines
from hansyn.tenants.notifications.operations import deliver_pending

notifications_group = AppGroup("notifications", help="Notifications inside the municipalities.")


def _databases() -> Databases:
    dbs: Databases = current_app.extensions["hansyn_databases"]
    return dbs


def _tenants(slug: str | None) -> list[tuple[str, int]]:
    """(slug, id) of the named municipality, or of every active one."""
    with _databases().control_session() as session:
        if slug is not None:
            tenant = get_tenant(session, slug)
            return [(tenant.slug, tenant.id)]
        rows = session.execute(
            select(Tenant.slug, Tenant.id).where(Tenant.active.is_(True)).order_by(Tenant.slug)
        )
        return [(row.slug, row.id) for row in rows]


def _as_of(today: str | None) -> datetime:
    if today is None:
        return datetime.now(UTC)
    try:
        day = date.fromisoformat(today)
    except ValueError as error:
        raise InvalidInput(
            "Ange datumet som ÅÅÅÅ-MM-DD. / Give the date as YYYY-MM-DD.", "today"
        ) from error
    return datetime.combine(day, time(12), UTC)


@click.command("deadlines")
@click.option("--tenant", "slug", help="One municipality (tenant slug); default: every one.")
@click.option("--today", help="Run as of this day (YYYY-MM-DD), e.g. to catch up.")
@with_appcontext
@reports_invalid_input
def deadlines_command(slug: str | None, today: str | None) -> None:
    """Refuse unanswered cases, flag and close stale vacancies, remind of first-hire deadlines."""
    now = _as_of(today)
    for tenant_slug, tenant_id in _tenants(slug):
        with _databases().tenant_session(tenant_slug, write=True) as session:
            report = run_deadlines(session, now)
            indexed = index_subjects(session)  # the night's catch-up of the audit trail
        sent = deliver_pending(_databases(), tenant_slug, tenant_id)
        click.echo(
            f"{tenant_slug}: {len(report.refused)} case(s) refused without an answer, "
            f"{len(report.flagged)} vacancy(ies) flagged, {len(report.closed)} closed, "
            f"{len(report.reminded)} contract(s) reminded; {sent} notification(s) e-mailed; "
            f"{indexed} audit event(s) indexed by subject."
        )


@notifications_group.command("send")
@click.option("--tenant", "slug", help="One municipality (tenant slug); default: every one.")
@reports_invalid_input
def send_command(slug: str | None) -> None:
    """E-mail the notifications not sent yet (a server that refused is tried again)."""
    for tenant_slug, tenant_id in _tenants(slug):
        sent = deliver_pending(_databases(), tenant_slug, tenant_id)
        click.echo(f"{tenant_slug}: {sent} notification(s) e-mailed.")
