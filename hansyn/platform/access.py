"""What the signed-in user may enter: their memberships in active municipalities, read once per
request (a module of its own so that both the platform's pages and `tenants.context` use it)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g
from flask_login import current_user
from sqlalchemy import bindparam, select

from hansyn.platform.models import Membership, Role, Tenant
from hansyn.platform.request_db import control_db


@dataclass(frozen=True)
class TenantAccess:
    """One of the signed-in user's memberships, with its (active) municipality."""

    tenant_id: int
    slug: str
    name: str
    kommunkod: str
    role: Role
    supplier_id: int | None


def user_access() -> list[TenantAccess]:
    """The signed-in user's memberships in active municipalities, ordered by name.

    Read in one query, once per request: every tenant page needs the memberships in its own
    municipality (`tenants.context`) and every page's header lists the user's municipalities.
    """
    if "user_access" not in g:
        rows = control_db().connection().execute(  # Core: plain rows, no ORM entities
            _ACCESS_OF_USER, {"user_id": current_user.id}
        )
        g.user_access = [TenantAccess(*row) for row in rows]
    access: list[TenantAccess] = g.user_access
    return access


#: Built once (every signed-in request runs it).
_ACCESS_OF_USER = (
    select(Tenant.id, Tenant.slug, Tenant.name, Tenant.kommunkod, Membership.role,
           Membership.supplier_id)
    .join(Membership)
    .where(Membership.user_id == bindparam("user_id"), Tenant.active.is_(True))
    .order_by(Tenant.name, Tenant.id, Membership.id)
)
