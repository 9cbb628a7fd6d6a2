"""Control-plane models: tenants, users, memberships and the audit of logins."""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    event,
    false,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from hansyn.db import ControlBase


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class Role(enum.StrEnum):
    """What a member may do inside one tenant."""

    ADMIN = "admin"  # the municipality: users, suppliers, contracts
    COORDINATOR = "coordinator"  # arbetsmarknadsenheten: candidates
    SUPPLIER = "supplier"  # staff of one supplier of that tenant
    ANALYST = "analyst"  # statistics only


class Tenant(ControlBase):
    __tablename__ = "tenant"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kommunkod: Mapped[str] = mapped_column(String(4), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="tenant")

    __table_args__ = (CheckConstraint("length(kommunkod) = 4", name="kommunkod_length"),)

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"


class User(ControlBase):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_operator: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str | None] = mapped_column(String(5))
    #: Notifications also by e-mail (the account page turns it off); in the app they always show.
    email_notifications: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    #: Set when someone else chose the password (an operator's `hansyn user create` or
    #: `set-password`): the user must choose their own before doing anything else.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    #: Carried in the session cookie by flask-login; rotating it logs out every copy of the cookie.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # flask-login's user protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return self.session_token

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.id}>"


STAFF_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.ANALYST})


class Membership(ControlBase):
    """A user's role in one tenant. A person may hold several roles and work for several tenants,
    but in one tenant either staff roles (admin, coordinator, analyst: they see who candidates
    are) or the supplier role (it sees them only under pseudonyms), never both: see
    `_one_side_per_tenant` below."""

    __tablename__ = "membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    #: For the supplier role: the supplier's id in the tenant's database (no cross-database key).
    supplier_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    tenant: Mapped[Tenant] = relationship(back_populates="memberships")

    __table_args__ = (UniqueConstraint("user_id", "tenant_id", "role"),)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


class RoleConflictError(ValueError):
    """A flush would give one person a staff role and the supplier role in the same tenant."""


def _membership_key(membership: Membership) -> tuple[object, object]:
    user = membership.user_id if membership.user_id is not None else id(membership.user)
    tenant = membership.tenant_id if membership.tenant_id is not None else id(membership.tenant)
    return user, tenant


@event.listens_for(Session, "before_flush")
def _one_side_per_tenant(session: Session, _context: object, _instances: object) -> None:
    """The control plane's invariant, whichever code path grants a role (web, CLI, demo, an
    operation written later): nobody is staff and supplier in the same tenant."""
    pending = [m for m in (*session.new, *session.dirty) if isinstance(m, Membership)]
    if not pending:
        return
    deleted = {id(m) for m in session.deleted}
    sides: dict[tuple[object, object], set[bool]] = {}
    with session.no_autoflush:
        for membership in pending:
            key = _membership_key(membership)
            if key not in sides:
                sides[key] = _stored_sides(session, membership, deleted)
            sides[key].add(membership.is_staff)
    if any(len(found) > 1 for found in sides.values()):
        raise RoleConflictError("a staff role and the supplier role in the same tenant")


def _stored_sides(session: Session, membership: Membership, deleted: set[int]) -> set[bool]:
    if membership.user_id is None or membership.tenant_id is None:
        return set()
    stored = session.scalars(
        select(Membership).where(
            Membership.user_id == membership.user_id,
            Membership.tenant_id == membership.tenant_id,
        )
    )
    return {m.is_staff for m in stored if id(m) not in deleted}


class LoginAttempt(ControlBase):
    """Append-only audit of every login attempt; also what the throttle counts."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    remote_addr: Mapped[str | None] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    throttled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )


class Invitation(ControlBase):
    """A role in a tenant offered to an e-mail address through a single-use link sent by e-mail.

    Only a hash of the link's token is stored. Whoever opens the link either creates the account
    (no account has that address yet) or, signed in as the account that has it, accepts; the role
    is granted only then, so an inviter never learns whether an account existed.
    """

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    #: The name the inviter typed: the new account's name, if one is created.
    name: Mapped[str] = mapped_column(String(200))
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    supplier_id: Mapped[int | None] = mapped_column(Integer)
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    tenant: Mapped[Tenant] = relationship()

    def is_open(self, now: datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and _aware(
            self.expires_at
        ) > now


class PasswordReset(ControlBase):
    """Every request for a password-reset link, whether or not the address has an account: the
    throttle counts these rows. Only requests for an existing, active account carry a token
    (as a hash), which is single-use and expires."""

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE")
    )
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    remote_addr: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User | None] = relationship()

    def is_open(self, now: datetime) -> bool:
        return (
            self.token_hash is not None
            and self.used_at is None
            and self.expires_at is not None
            and _aware(self.expires_at) > now
        )


def _aware(moment: datetime) -> datetime:
    """SQLite gives stored times back without their time zone; they are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
