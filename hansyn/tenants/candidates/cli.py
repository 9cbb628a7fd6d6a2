"""`hansyn gallra`: the retention run an operator schedules (cron) per municipality."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from hansyn.db import Databases
from hansyn.platform.cli import reports_invalid_input
from hansyn.platform.operations import get_tenant
from hansyn.tenants.candidates.retention import run_retention
from hansyn.tenants.matches.index import forget_saved


@click.command("gallra")
@click.option("--tenant", "slug", required=True, help="The municipality (tenant slug).")
@click.option("--dry-run", is_flag=True, help="Report what would be erased; change nothing.")
@with_appcontext
@reports_invalid_input
def gallra_command(slug: str, dry_run: bool) -> None:
    """Erase personal data of candidates closed longer than the tenant's retention period."""
    databases: Databases = current_app.extensions["hansyn_databases"]
    with databases.control_session() as session:
        tenant = get_tenant(session, slug)
    with databases.tenant_session(tenant.slug, write=not dry_run) as session:
        report = run_retention(session, dry_run=dry_run)
        if dry_run:
            session.rollback()
    if not dry_run and report.candidate_ids:
        forget_saved(tenant.slug)  # no saved matching index may keep what was just erased
    verb = "Would erase" if dry_run else "Erased"
    click.echo(
        f"{verb} {len(report.candidate_ids)} candidate(s) in {slug} closed before "
        f"{report.cutoff:%Y-%m-%d} (retention {report.retention_months} months)."
    )
    for candidate_id in report.candidate_ids:
        click.echo(f"  candidate {candidate_id}")
