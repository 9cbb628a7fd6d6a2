"""Personal API tokens: one member's key to the JSON API of one municipality, in one role.

A token belongs to a membership (a user's role in one tenant), so it opens exactly what that
role opens there and nothing else: another tenant's URL answers 404 as for the pages, and
removing the role or deactivating the user ends the token at once. Only the SHA-256 of the
token is stored (it is random, so a fast hash is enough: there is nothing to guess from it); the
token itself is shown once, when it is created. A token may expire, and may be revoked by its
owner or by an admin of the tenant.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from hansyn.db import ControlBase
from hansyn.errors import InvalidInput, Problems
from hansyn.platform.models import Membership, Tenant, User, utcnow
from hansyn.platform.tokens import hash_token

__all__ = ["ApiToken", "create_token", "find_usable", "hash_token", "revoke_token"]

#: What every token starts with, so that secret scanners and people recognise one.
PREFIX = "hansyn_"
#: The characters of a token shown in lists, to tell tokens apart (never enough to use one).
SHOWN_CHARACTERS = len(PREFIX) + 6
MAX_NAME = 100
MAX_LIFETIME_DAYS = 366
#: `last_used_at` is written at most this often, so reading the API does not write on every call.
LAST_USED_RESOLUTION = timedelta(hours=1)


class ApiToken(ControlBase):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("membership.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    #: SHA-256 (hex) of the whole token.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Its first characters, shown in lists ("hansyn_a1B2c3…").
    shown: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    membership: Mapped[Membership] = relationship()

    def is_usable(self, now: datetime) -> bool:
        expired = self.expires_at is not None and _aware(self.expires_at) <= now
        return self.revoked_at is None and not expired

    def __repr__(self) -> str:
        return f"<ApiToken {self.id}>"


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for timezone-aware columns; they were stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    #: The token itself: shown once, never stored.
    secret: str


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_l("Ge nyckeln ett namn, t.ex. systemet som ska använda den."), "name")
    if len(name) > MAX_NAME:
        raise InvalidInput(_l("Högst %(max)d tecken.", max=MAX_NAME), "name")
    return name


def _expiry(expires_on: date | None, today: date) -> datetime | None:
    """A token stops working at the end of `expires_on` (Swedish midnight is close enough:
    the end of that day in UTC)."""
    if expires_on is None:
        return None
    if expires_on < today:
        raise InvalidInput(_l("Datumet har redan varit."), "expires_on")
    if expires_on > today + timedelta(days=MAX_LIFETIME_DAYS):
        raise InvalidInput(
            _l("En nyckel gäller högst %(days)d dagar.", days=MAX_LIFETIME_DAYS), "expires_on"
        )
    return datetime.combine(expires_on + timedelta(days=1), time(0), tzinfo=UTC)


def create_token(
    session: Session, membership: Membership, name: str, expires_on: date | None
) -> NewToken:
    problems = Problems()
    with problems.check():
        name = _clean_name(name)
    with problems.check():
        expires_at = _expiry(expires_on, utcnow().date())
    problems.raise_any()
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        membership=membership,
        name=name,
        token_hash=hash_token(secret),
        shown=secret[:SHOWN_CHARACTERS],
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    return NewToken(token, secret)


def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()


@dataclass(frozen=True)
class TokenOwner:
    """Who a presented token speaks for: its membership, user and tenant."""

    token: ApiToken
    membership: Membership
    user: User
    tenant: Tenant


def find_usable(session: Session, secret: str) -> TokenOwner | None:
    """The owner of a presented token, if it is a live token of an active user in an active
    tenant; None otherwise (unknown, revoked, expired, deactivated: all the same to the caller)."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    row = session.execute(
        select(ApiToken, Membership, User, Tenant)
        .join(Membership, ApiToken.membership_id == Membership.id)
        .join(User, Membership.user_id == User.id)
        .join(Tenant, Membership.tenant_id == Tenant.id)
        .where(ApiToken.token_hash == hash_token(secret))
    ).first()
    if row is None:
        return None
    token, membership, user, tenant = row
    if not token.is_usable(utcnow()) or not user.active or not tenant.active:
        return None
    return TokenOwner(token, membership, user, tenant)


def needs_last_used(token: ApiToken, now: datetime) -> bool:
    return token.last_used_at is None or _aware(token.last_used_at) + LAST_USED_RESOLUTION < now


def tokens_of_user(session: Session, tenant_id: int, user_id: int) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken)
            .join(Membership)
            .where(Membership.tenant_id == tenant_id, Membership.user_id == user_id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def tokens_of_tenant(session: Session, tenant_id: int) -> list[ApiToken]:
    """Every live token of the tenant, for its admins (who may revoke any)."""
    return [
        token
        for token in session.scalars(
            select(ApiToken)
            .join(Membership)
            .where(Membership.tenant_id == tenant_id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
        if token.is_usable(utcnow())
    ]


def get_token(session: Session, tenant_id: int, token_id: int) -> ApiToken | None:
    token = session.get(ApiToken, token_id)
    if token is None or token.membership.tenant_id != tenant_id:
        return None
    return token
