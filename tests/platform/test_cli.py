"""The `hansyn` command line: tenants, users, grants and the demo."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hansyn.platform.models import Membership, Role, Tenant, User
from tests.fixtures.platform import unique


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_tenant_create_and_list(app, runner, databases):
    slug = unique("kommun").lower()[:20]
    result = runner.invoke(
        args=[
            "tenant",
            "create",
            slug,
            "--name",
            "Testkommun",
            "--kommunkod",
            "0" + str(abs(hash(slug)) % 900 + 100),
        ]
    )
    assert result.exit_code == 0, result.output
    assert databases.tenant_exists_physically(slug)
    listing = runner.invoke(args=["tenant", "list"])
    assert slug in listing.output


@pytest.mark.parametrize(
    ("slug", "kommunkod", "message"),
    [
        ("login", "0101", "reserverat"),
        ("api", "0102", "reserverat"),
        ("Stora-Bokstäver", "0103", "små bokstäver"),
        ("ok-slug", "12", "fyra siffror"),
        ("ok-slug", "12a4", "fyra siffror"),
        ("alfa", "0104", "finns redan"),
        ("ny-kommun", "9901", "kommunkoden 9901"),
    ],
)
def test_tenant_create_refuses_bad_input(app, runner, databases, slug, kommunkod, message):
    result = runner.invoke(args=["tenant", "create", slug, "--name", "X", "--kommunkod", kommunkod])
    assert result.exit_code == 1
    assert message in result.output
    with app.app_context(), databases.control_session() as session:
        assert (
            session.scalar(select(Tenant).where(Tenant.kommunkod == kommunkod, Tenant.slug == slug))
            is None
        )
    if slug in {"ok-slug", "ny-kommun"}:
        assert not databases.tenant_exists_physically(slug)


def test_failed_tenant_creation_leaves_nothing_behind(app, databases, monkeypatch):
    from hansyn.platform import operations

    def failing_upgrade(dbs, slug):
        raise RuntimeError("disk full")

    monkeypatch.setattr(operations, "upgrade_tenant", failing_upgrade)
    with (
        app.app_context(),
        pytest.raises(RuntimeError),
        databases.control_session(write=True) as session,
    ):
        operations.create_tenant(session, databases, "halvfardig", "Halvfärdig", "0199")
    assert not databases.tenant_exists_physically("halvfardig")
    with app.app_context(), databases.control_session() as session:
        assert session.scalar(select(Tenant).where(Tenant.slug == "halvfardig")) is None


def test_user_create_reads_password_from_stdin_and_grant(app, runner, databases):
    email = f"{unique('cli')}@example.se"
    result = runner.invoke(
        args=["user", "create", email, "--name", "Cli Person"], input="ett-bra-lösenord\n"
    )
    assert result.exit_code == 0, result.output
    assert "ett-bra-lösenord" not in result.output
    result = runner.invoke(
        args=["user", "grant", email, "--tenant", "alfa", "--role", "coordinator"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context(), databases.control_session() as session:
        user = session.scalar(select(User).where(User.email == email))
        roles = [
            m.role for m in session.scalars(select(Membership).where(Membership.user_id == user.id))
        ]
    assert roles == [Role.COORDINATOR]


def test_user_commands_refuse_bad_input(runner):
    email = f"{unique('cli')}@example.se"
    assert (
        runner.invoke(
            args=["user", "create", "inte-en-adress", "--name", "X"], input="ett-bra-lösenord\n"
        ).exit_code
        == 1
    )
    short = runner.invoke(args=["user", "create", email, "--name", "X"], input="kort\n")
    assert short.exit_code == 1
    assert "minst 12 tecken" in short.output
    missing = runner.invoke(
        args=["user", "grant", "ingen@example.se", "--tenant", "alfa", "--role", "admin"]
    )
    assert missing.exit_code == 1
    runner.invoke(args=["user", "create", email, "--name", "X"], input="ett-bra-lösenord\n")
    bad_role = runner.invoke(args=["user", "grant", email, "--tenant", "alfa", "--role", "chef"])
    assert bad_role.exit_code == 1
    assert "Okänd roll" in bad_role.output
    no_supplier = runner.invoke(
        args=["user", "grant", email, "--tenant", "alfa", "--role", "supplier"]
    )
    assert no_supplier.exit_code == 1
    unknown_supplier = runner.invoke(
        args=[
            "user",
            "grant",
            email,
            "--tenant",
            "alfa",
            "--role",
            "supplier",
            "--supplier",
            "999999",
        ]
    )
    assert unknown_supplier.exit_code == 1
    assert "999999" in unknown_supplier.output


def test_messages_are_bilingual_on_the_command_line(runner):
    result = runner.invoke(args=["tenant", "create", "x", "--name", "X", "--kommunkod", "1"])
    assert result.exit_code == 1
    assert "Kortnamnet" in result.output
    assert "short name" in result.output.lower() or "slug" in result.output.lower()


def test_db_upgrade_and_check(runner):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    check = runner.invoke(args=["db", "check"])
    assert check.exit_code == 0, check.output
