"""The `hansyn` command: a Flask CLI group with the platform's administration commands.

Errors in what the operator typed end with a message in Swedish and English and exit status 1;
nothing half-written stays behind, because each command commits once at its end.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hansyn.db import Databases
from hansyn.errors import InvalidInput
from hansyn.migrations import (
    check_control,
    check_tenant,
    new_revision,
    upgrade_control,
    upgrade_tenant,
)
from hansyn.platform import operations
from hansyn.platform.models import Tenant

P = ParamSpec("P")
R = TypeVar("R")


def _databases() -> Databases:
    dbs: Databases = current_app.extensions["hansyn_databases"]
    return dbs


def reports_invalid_input(command: Callable[P, R]) -> Callable[P, R]:
    """Turn InvalidInput into a bilingual message on stderr and exit status 1."""

    @functools.wraps(command)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except InvalidInput as error:
            click.echo(f"Fel / Error: {error.bilingual()}", err=True)
            sys.exit(1)

    return wrapped


def read_password(confirm: bool = True) -> str:
    """From a prompt on a terminal, else the first line of standard input — never an argument."""
    if sys.stdin.isatty():
        return str(
            click.prompt("Lösenord / Password", hide_input=True, confirmation_prompt=confirm)
        )
    line = sys.stdin.readline()
    if not line:
        raise InvalidInput("Inget lösenord på standard in. / No password on standard input.")
    return line.rstrip("\r\n")


db_group = AppGroup("db", help="Databases: migrate the control plane and every tenant.")
tenant_group = AppGroup("tenant", help="Municipalities (tenants).")
user_group = AppGroup("user", help="Users and their memberships.")
mail_group = AppGroup("mail", help="E-mail (HANSYN_SMTP_* settings).")


def _tenant_slugs() -> list[str]:
    with _databases().control_session() as session:
        return list(session.scalars(select(Tenant.slug).order_by(Tenant.slug)))


@db_group.command("upgrade")
def db_upgrade() -> None:
    """Bring the control plane and every tenant's database to the newest schema."""
    databases = _databases()
    upgrade_control(databases)
    slugs = _tenant_slugs()
    for slug in slugs:
        upgrade_tenant(databases, slug)
    click.echo(f"Control plane and {len(slugs)} tenant database(s) are up to date.")


@db_group.command("check")
def db_check() -> None:
    """Fail if the models differ from the migrations (control plane and every tenant)."""
    databases = _databases()
    check_control(databases)
    for slug in _tenant_slugs():
        check_tenant(databases, slug)
    click.echo("Models and migrations agree.")


@db_group.command("revision")
@click.argument("plane", type=click.Choice(["control", "tenant"]))
@click.option("-m", "--message", required=True)
@click.option(
    "--head",
    default="head",
    help="The revision the new one follows (when there are several heads).",
)
@click.option("--depends-on", default=None, help="A revision of another branch this one needs.")
def db_revision(plane: str, message: str, head: str, depends_on: str | None) -> None:
    """Autogenerate a migration for the control plane or the tenant schema (for developers)."""
    new_revision("control" if plane == "control" else "tenant", message, head, depends_on)


@tenant_group.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The municipality's name, e.g. Göteborgs stad.")
@click.option("--kommunkod", required=True, help="SCB's four-digit municipality code.")
@reports_invalid_input
def tenant_create(slug: str, name: str, kommunkod: str) -> None:
    """Register a municipality and create its own database."""
    databases = _databases()
    upgrade_control(databases)
    with databases.control_session(write=True) as session:
        tenant = operations.create_tenant(session, databases, slug, name, kommunkod)
    click.echo(f"Created tenant {tenant.slug} ({tenant.name}, {tenant.kommunkod}).")


@tenant_group.command("login")
@click.argument("slug")
@click.option("--require-totp/--no-require-totp", default=None,
              help="Admins and coordinators must log in with a TOTP code.")
@click.option("--oidc-issuer", default=None, help="The OpenID provider's issuer URL.")
@click.option("--oidc-client-id", default=None, help="Hänsyn's client id at the provider.")
@click.option("--oidc-client-secret-stdin", is_flag=True,
              help="Read the client secret from the first line of standard input.")
@click.option("--no-oidc", is_flag=True, help="Remove the municipality's OpenID provider.")
@reports_invalid_input
def tenant_login(
    slug: str, require_totp: bool | None, oidc_issuer: str | None, oidc_client_id: str | None,
    oidc_client_secret_stdin: bool, no_oidc: bool,
) -> None:
    """How the municipality's staff log in: TOTP requirement, OpenID Connect provider."""
    from hansyn.platform.tenant_login import set_login

    secret = sys.stdin.readline().strip() if oidc_client_secret_stdin else None
    with _databases().control_session(write=True) as session:
        tenant = operations.get_tenant(session, slug)
        found = set_login(session, tenant.id, require_totp=require_totp, issuer=oidc_issuer,
                          client_id=oidc_client_id, client_secret=secret, remove_oidc=no_oidc)
        provider = found.oidc_issuer or "-"
        click.echo(f"{tenant.slug}: require TOTP {'yes' if found.require_totp else 'no'}; "
                   f"OpenID provider {provider} (client {found.oidc_client_id or '-'})")


@tenant_group.command("list")
def tenant_list() -> None:
    """List the municipalities."""
    with _databases().control_session() as session:
        tenants = session.scalars(select(Tenant).order_by(Tenant.slug)).all()
        for tenant in tenants:
            state = "active" if tenant.active else "inactive"
            click.echo(f"{tenant.slug}\t{tenant.kommunkod}\t{tenant.name}\t{state}")


@tenant_group.command("backup")
@click.argument("slug")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@reports_invalid_input
def tenant_backup(slug: str, file: Path) -> None:
    """Write a consistent backup of a municipality's database to FILE, while the app serves.

    SQLite: a copy of the tenant's file (SQLite's online backup API). PostgreSQL: the tenant's
    schema in Hänsyn's portable format (gzip'd JSON lines). FILE holds personal data: it is
    created readable by its owner only."""
    from hansyn.platform import backup

    databases = _databases()
    with databases.control_session() as session:
        facts = backup.backup(session, databases, slug, file)
    schema = ", ".join(facts.revisions)
    click.echo(f"Backed up {facts.slug}: {facts.rows} rows, schema {schema}, to {file}.")


@tenant_group.command("restore")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--replace", is_flag=True, help="Replace all data of a municipality that exists with FILE."
)
@reports_invalid_input
def tenant_restore(slug: str, file: Path, replace: bool) -> None:
    """Restore a municipality from a backup made by `hansyn tenant backup`.

    A municipality that does not exist is created (name and kommunkod from the backup); one that
    exists is replaced only with --replace. The backup is loaded and migrated beside the live data
    first, so a failure leaves the municipality as it was."""
    from hansyn.platform import backup

    databases = _databases()
    upgrade_control(databases)
    with databases.control_session(write=True) as session:
        facts = backup.restore(session, databases, slug, file, replace=replace)
    click.echo(
        f"Restored {slug} from {file}: backup of {facts.slug} taken {facts.created_at}, "
        f"{facts.rows} rows."
    )


@user_group.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--operator", is_flag=True, help="A platform operator (control plane only).")
@reports_invalid_input
def user_create(email: str, name: str, operator: bool) -> None:
    """Create a user; the password is read from a prompt or standard input and must be changed by
    the user at the first login (`hansyn user invite` lets them choose it themselves)."""
    password = read_password()
    with _databases().control_session(write=True) as session:
        user = operations.create_user(
            session,
            email,
            name,
            password,
            profile=current_app.config["PASSWORD_HASHING"],
            is_operator=operator,
            must_change_password=True,
        )
        click.echo(f"Created user {user.email}; they choose their own password at first login.")


@user_group.command("grant")
@click.argument("email")
@click.option("--tenant", "slug", required=True)
@click.option("--role", required=True, help="admin, coordinator, supplier or analyst.")
@click.option(
    "--supplier", "supplier_id", type=int, help="For the supplier role: the supplier's id."
)
@reports_invalid_input
def user_grant(email: str, slug: str, role: str, supplier_id: int | None) -> None:
    """Give a user a role in a municipality."""
    with _databases().control_session(write=True) as session:
        user = operations.get_user(session, email)
        tenant = operations.get_tenant(session, slug)
        parsed = operations.parse_role(role)
        if supplier_id is not None:
            _require_supplier(tenant.slug, supplier_id)
        operations.grant_membership(session, user, tenant, parsed, supplier_id)
        click.echo(f"{user.email} is now {parsed.value} in {tenant.slug}.")


@user_group.command("invite")
@click.argument("email")
@click.option("--name", required=True, help="The person's name.")
@click.option("--tenant", "slug", required=True)
@click.option("--role", required=True, help="admin, coordinator, supplier or analyst.")
@click.option(
    "--supplier", "supplier_id", type=int, help="For the supplier role: the supplier's id."
)
@reports_invalid_input
def user_invite(email: str, name: str, slug: str, role: str, supplier_id: int | None) -> None:
    """Send EMAIL an invitation link to a role in a municipality (the role is granted when it is
    accepted; a new person chooses their own password)."""
    from hansyn.platform import invitations
    from hansyn.platform.mail import MailNotSentError
    from hansyn.tenants.menu import ROLE_LABELS

    with _databases().control_session(write=True) as session:
        tenant = operations.get_tenant(session, slug)
        parsed = operations.parse_role(role)
        supplier_name = _require_supplier(tenant.slug, supplier_id) if supplier_id else None
        offer = invitations.Offer(tenant, parsed, supplier_id)
        sent = invitations.invite(session, offer, email, name, invited_by=None)
        with current_app.test_request_context(base_url=current_app.config.get("BASE_URL")):
            try:
                invitations.mail_invitation(
                    sent, inviter=tenant.name, role_name=ROLE_LABELS[parsed],
                    supplier_name=supplier_name,
                )
            except MailNotSentError as error:
                raise InvalidInput(
                    "E-posten kunde inte skickas. / The e-mail could not be sent."
                ) from error
        email = sent.invitation.email
    click.echo(f"Sent {email} an invitation to be {parsed.value} in {slug}.")


def _require_supplier(slug: str, supplier_id: int) -> str:
    from hansyn.tenants.suppliers.models import Supplier

    with _databases().tenant_session(slug) as session:
        supplier = session.get(Supplier, supplier_id)
        if supplier is None:
            message = _l("Leverantör %(id)s finns inte i %(slug)s.", id=supplier_id, slug=slug)
            raise InvalidInput(message, "supplier")
        return supplier.name


@user_group.command("set-password")
@click.argument("email")
@reports_invalid_input
def user_set_password(email: str) -> None:
    """Set a new password (read from a prompt or standard input) that the user must change at the
    next login; logs out every session."""
    password = read_password()
    with _databases().control_session(write=True) as session:
        user = operations.get_user(session, email)
        operations.set_password(
            user, password, current_app.config["PASSWORD_HASHING"], must_change=True
        )
    click.echo(f"New password set for {email}; they choose their own at the next login.")


@user_group.command("deactivate")
@click.argument("email")
@reports_invalid_input
def user_deactivate(email: str) -> None:
    """Deactivate a user; every session of theirs stops working at once."""
    with _databases().control_session(write=True) as session:
        operations.deactivate_user(operations.get_user(session, email))
    click.echo(f"Deactivated {email}.")


@mail_group.command("test")
@click.argument("email")
def mail_test(email: str) -> None:
    """Send a test message to EMAIL through the configured SMTP server (or the outbox)."""
    from hansyn.platform.mail import MailNotSentError, localized_mail, send_mail

    try:
        send_mail(localized_mail(email, None, _l("Provmeddelande"), "mail/test.txt"))
    except MailNotSentError as error:
        click.echo(f"Fel / Error: e-mail not sent ({error}); see the HANSYN_SMTP_* settings.")
        sys.exit(1)
    click.echo(f"Sent a test message to {email}.")


@click.command("demo")
@with_appcontext
@reports_invalid_input
def demo_command() -> None:
    """Create the demo municipalities, users and data (idempotent; demo only), and build and
    save each municipality's matching index, so that the server started next ranks at once
    instead of building it on the first ranked list (which answers 503 until it is ready)."""
    from hansyn.platform.demo import load_demo
    from hansyn.tenants.matches.index import warm_all

    load_demo(_databases(), current_app.config, echo=click.echo)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    for slug, size in warm_all(app).items():
        click.echo(f"Matching index of {slug}: {size} candidates, saved.")


def register_commands(app: Flask) -> None:
    for command in (db_group, tenant_group, user_group, mail_group, demo_command):
        app.cli.add_command(command)
    from hansyn.tenants.candidates.cli import gallra_command  # imports this module: import late

    app.cli.add_command(gallra_command)
    from hansyn.tenants.matches.cli import deadlines_command, notifications_group

    app.cli.add_command(deadlines_command)
    app.cli.add_command(notifications_group)


def _create_app(*_args: Any, **_kwargs: Any) -> Flask:
    from hansyn.platform.app import create_app

    return create_app()


def main() -> None:
    cli = FlaskGroup(create_app=_create_app, help="Hänsyn: administration commands.")
    cli.main(prog_name="hansyn")
