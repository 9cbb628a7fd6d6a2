"""`hansyn demo`: the municipalities that visited the Göteborg model, with one user per role in
Göteborg and Borås. Idempotent: what exists is left as it is. Demo only: every demo user shares the
password in HANSYN_DEMO_PASSWORD."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hansyn.db import Databases
from hansyn.migrations import upgrade_control, upgrade_tenant
from hansyn.platform import operations
from hansyn.platform.models import Role, Tenant, User

DEMO_TENANTS = (
    ("goteborg", "Göteborgs stad", "1480"),
    ("boras", "Borås stad", "1490"),
    ("halmstad", "Halmstads kommun", "1380"),
    ("varberg", "Varbergs kommun", "1383"),
    ("falkenberg", "Falkenbergs kommun", "1382"),
    ("hylte", "Hylte kommun", "1315"),
    ("laholm", "Laholms kommun", "1381"),
)
TENANTS_WITH_USERS = ("goteborg", "boras")
ROLE_NAMES = {
    Role.ADMIN: "Ada Admin",
    Role.COORDINATOR: "Kim Koordinator",
    Role.SUPPLIER: "Lena Leverantör",
    Role.ANALYST: "Alva Analytiker",
}


def demo_email(role: Role, slug: str) -> str:
    return f"{role.value}@{slug}.example"


def _ensure_tenant(
    session: Session, databases: Databases, slug: str, name: str, kod: str
) -> Tenant:
    tenant = session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        return operations.create_tenant(session, databases, slug, name, kod)
    upgrade_tenant(databases, slug)
    return tenant


def _ensure_user(session: Session, email: str, name: str, password: str, profile: str) -> User:
    user = session.scalar(select(User).where(User.email == email))
    return user or operations.create_user(session, email, name, password, profile=profile)


def load_demo(
    databases: Databases, config: Mapping[str, Any], echo: Callable[[str], Any] = print
) -> None:
    from hansyn.tenants.demo import load_tenant_demo
    from hansyn.tenants.statistics.demo import load_statistics_demo

    password, profile = config["DEMO_PASSWORD"], config["PASSWORD_HASHING"]
    upgrade_control(databases)
    for slug, name, kod in DEMO_TENANTS:
        with databases.control_session(write=True) as session:
            tenant = _ensure_tenant(session, databases, slug, name, kod)
        load_statistics_demo(databases, slug, date.today())
        if slug not in TENANTS_WITH_USERS:
            continue
        with databases.tenant_session(slug, write=True) as tenant_session:
            demo = load_tenant_demo(tenant_session, slug)
        with databases.control_session(write=True) as session:
            tenant = operations.get_tenant(session, slug)
            for role, person in ROLE_NAMES.items():
                user = _ensure_user(session, demo_email(role, slug), person, password, profile)
                supplier_id = demo.supplier_id if role is Role.SUPPLIER else None
                operations.grant_membership(session, user, tenant, role, supplier_id)
    echo(
        f"Demo data ready: {len(DEMO_TENANTS)} municipalities; "
        f"users in {', '.join(TENANTS_WITH_USERS)}."
    )
    echo("DEMO ONLY — these accounts share a published password; never use them in production:")
    for slug in TENANTS_WITH_USERS:
        echo("  " + ", ".join(demo_email(role, slug) for role in ROLE_NAMES))
    echo(f"  password: {password}")
