"""The tenant of the current request, its member's roles, and the guards views use.

The tenant comes from the URL (`/<tenant>/…`): the blueprint's url_value_preprocessor takes the
slug out of the view arguments, and `before_request` loads the tenant and the current user's
memberships in it. Someone who is not a member gets 404, exactly as for a tenant that does not
exist, so nobody learns which municipalities use Hänsyn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from hansyn.db import SLUG_PATTERN
from hansyn.platform import tenant_login
from hansyn.platform.access import user_access
from hansyn.platform.extensions import login_manager
from hansyn.platform.models import Membership, Role, Tenant
from hansyn.platform.request_db import control_db

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class TenantContext:
    id: int
    slug: str
    name: str
    kommunkod: str


@dataclass(frozen=True)
class Member:
    """What the current user may do in the current tenant."""

    user_id: int
    email: str
    roles: frozenset[Role]
    supplier_id: int | None

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))


def current_tenant() -> TenantContext:
    tenant: TenantContext = g.tenant
    return tenant


def current_member() -> Member:
    member: Member = g.member
    return member


def pull_tenant(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    """url_value_preprocessor: the slug leaves the view arguments for `g.tenant_slug`."""
    g.tenant_slug = (values or {}).pop("tenant", None)


def add_tenant(_endpoint: str, values: dict[str, Any]) -> None:
    """url_defaults: links to other tenant pages keep the current slug."""
    if "tenant" not in values and g.get("tenant_slug"):
        values["tenant"] = g.tenant_slug


def active_tenant(slug: str | None) -> Tenant | None:
    """The active tenant of `slug`; None also for text that cannot be a slug (never queried)."""
    if not slug or not SLUG_PATTERN.match(slug):
        return None
    return control_db().scalar(select(Tenant).where(Tenant.slug == slug, Tenant.active.is_(True)))


def enter_tenant(tenant: Tenant, user_id: int, email: str, memberships: list[Membership]) -> None:
    """Make `tenant` the request's tenant and these memberships its member (`g.member`)."""
    g.tenant = TenantContext(tenant.id, tenant.slug, tenant.name, tenant.kommunkod)
    g.member = _member(user_id, email, [(m.role, m.supplier_id) for m in memberships])


def _member(user_id: int, email: str, roles: list[tuple[Role, int | None]]) -> Member:
    return Member(
        user_id=user_id,
        email=email,
        roles=frozenset(role for role, _supplier in roles),
        supplier_id=next((s for role, s in roles if role is Role.SUPPLIER), None),
    )


def user_memberships(tenant: Tenant, user_id: int) -> list[Membership]:
    return list(
        control_db().scalars(
            select(Membership).where(
                Membership.tenant_id == tenant.id, Membership.user_id == user_id
            )
        )
    )


def _load_tenant() -> Any:
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    # one query, shared with the header's list of municipalities (`auth.user_access`): no such
    # tenant, an inactive one and "not a member" are all just "no membership here"
    here = [access for access in user_access() if access.slug == g.tenant_slug]
    if not here:
        abort(404)
    first = here[0]
    g.tenant = TenantContext(first.tenant_id, first.slug, first.name, first.kommunkod)
    g.member = _member(
        current_user.id, current_user.email, [(a.role, a.supplier_id) for a in here]
    )
    if second_factor_missing():
        flash(_("Kommunen kräver tvåstegsverifiering för din roll. Slå på den här, eller "
                "bekräfta med en kod från appen."), "info")
        return redirect(url_for("mfa.enrol", next=request.full_path.rstrip("?")))
    return None


def second_factor_missing() -> bool:
    """The tenant asks admins and coordinators for TOTP and this session has not passed it."""
    from hansyn.platform.mfa_views import passed_second_factor

    member = current_member()
    return not passed_second_factor() and tenant_login.requires_totp(
        control_db(), current_tenant().id, member.roles
    )


def make_tenant_blueprint() -> Blueprint:
    """The parent of every tenant page; domain blueprints are registered under it."""
    bp = Blueprint("tenant", __name__, url_prefix="/<tenant>")
    bp.url_value_preprocessor(pull_tenant)
    bp.url_defaults(add_tenant)
    bp.before_request(_load_tenant)
    return bp


def requires_role(*roles: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Let only members holding one of `roles` in this tenant through; others get 403.

    The view keeps the roles as `allowed_roles`, so tests can check every route's guard."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if not current_member().has(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapped

    return decorator
