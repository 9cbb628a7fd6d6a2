"""Write logic of the control plane. Functions take a session and only flush; callers commit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from hansyn.db import SLUG_PATTERN, Databases
from hansyn.errors import InvalidInput
from hansyn.migrations import upgrade_tenant
from hansyn.platform.models import (
    STAFF_ROLES,
    LoginAttempt,
    Membership,
    Role,
    Tenant,
    User,
    utcnow,
)
from hansyn.platform.password_policy import check_password
from hansyn.platform.passwords import hash_password, verify_password

#: First path segments the platform itself uses; a tenant slug may not take them.
RESERVED_SLUGS = frozenset(
    {
        "login",
        "logout",
        "api",
        "static",
        "healthz",
        "admin",
        "account",
        "language",
        "locale",
        "platform",
        "docs",
        "openapi",
        "favicon.ico",
        "robots.txt",
        "sv",
        "en",
        "www",
        "help",
        "about",
        "statistics",
        "statistik",
        "operator",
        "assets",
        "metrics",
        "status",
        "tenants",
    }
)
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def validate_slug(slug: str) -> str:
    slug = slug.strip()
    if slug in RESERVED_SLUGS:
        raise InvalidInput(
            _l("”%(slug)s” är reserverat av plattformen; välj ett annat namn.", slug=slug), "slug"
        )
    if not SLUG_PATTERN.match(slug):
        raise InvalidInput(
            _l(
                "Kortnamnet måste vara 3–40 tecken: små bokstäver a–z, siffror och bindestreck, "
                "börja med en bokstav och sluta med en bokstav eller siffra."
            ),
            "slug",
        )
    return slug


def validate_kommunkod(kommunkod: str) -> str:
    kommunkod = kommunkod.strip()
    if not re.fullmatch(r"\d{4}", kommunkod):
        raise InvalidInput(_l("Kommunkoden ska vara fyra siffror, till exempel 1480."), "kommunkod")
    return kommunkod


def create_tenant(
    session: Session, databases: Databases, slug: str, name: str, kommunkod: str
) -> Tenant:
    """Register a municipality and create and migrate its own database.

    The tenant's database is built before the control-plane row is flushed, and removed again if
    anything fails, so a failed creation leaves nothing behind.
    """
    slug, kommunkod, name = validate_slug(slug), validate_kommunkod(kommunkod), name.strip()
    if not name:
        raise InvalidInput(_l("Ange kommunens namn."), "name")
    if session.scalar(select(Tenant).where(Tenant.slug == slug)):
        raise InvalidInput(
            _l("Det finns redan en kommun med kortnamnet %(slug)s.", slug=slug), "slug"
        )
    if session.scalar(select(Tenant).where(Tenant.kommunkod == kommunkod)):
        raise InvalidInput(
            _l("Det finns redan en kommun med kommunkoden %(kod)s.", kod=kommunkod), "kommunkod"
        )
    if databases.tenant_exists_physically(slug):
        raise InvalidInput(
            _l(
                "Det finns redan en databas för %(slug)s; "
                "ta bort den eller välj ett annat kortnamn.",
                slug=slug,
            ),
            "slug",
        )
    try:
        databases.create_tenant_storage(slug)
        upgrade_tenant(databases, slug)
        tenant = Tenant(slug=slug, name=name, kommunkod=kommunkod, active=True)
        session.add(tenant)
        session.flush()
    except BaseException:
        databases.drop_tenant_storage(slug)
        raise
    return tenant


def get_tenant(session: Session, slug: str) -> Tenant:
    tenant = session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise InvalidInput(
            _l("Det finns ingen kommun med kortnamnet %(slug)s.", slug=slug), "tenant"
        )
    return tenant


def validate_email(email: str) -> str:
    email = normalise_email(email)
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        raise InvalidInput(_l("Ange en giltig e-postadress."), "email")
    return email


def create_user(
    session: Session,
    email: str,
    name: str,
    password: str,
    *,
    profile: str = "strong",
    is_operator: bool = False,
    must_change_password: bool = False,
) -> User:
    """A new account. `must_change_password`: someone else chose the password (an operator), so
    the user must choose their own at the first login."""
    email, name = validate_email(email), name.strip()
    if not name:
        raise InvalidInput(_l("Ange personens namn."), "name")
    check_password(password, about_user=(email, name))
    if session.scalar(select(User).where(User.email == email)):
        raise InvalidInput(
            _l("Det finns redan en användare med e-postadressen %(email)s.", email=email), "email"
        )
    user = User(
        email=email,
        name=name,
        password_hash=hash_password(password, profile),
        is_operator=is_operator,
        must_change_password=must_change_password,
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise InvalidInput(
            _l("Det finns ingen användare med e-postadressen %(email)s.", email=email), "email"
        )
    return user


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        roles = ", ".join(role.value for role in Role)
        raise InvalidInput(
            _l("Okänd roll %(role)s; välj en av: %(roles)s.", role=value, roles=roles), "role"
        ) from None


def memberships_in(session: Session, user_id: int, tenant_id: int) -> list[Membership]:
    return list(
        session.scalars(
            select(Membership).where(
                Membership.user_id == user_id, Membership.tenant_id == tenant_id
            )
        )
    )


def check_role_separation(session: Session, user: User, tenant: Tenant, role: Role) -> None:
    """Staff (admin, coordinator, analyst) see who candidates are; a supplier user sees them only
    under pseudonyms. One person is never both in the same municipality."""
    held = {m.role for m in memberships_in(session, user.id, tenant.id)} if user.id else set()
    if role is Role.SUPPLIER and held & STAFF_ROLES:
        raise InvalidInput(
            _l(
                "%(email)s har en personalroll i kommunen och kan inte samtidigt vara "
                "leverantörsanvändare: en leverantör får bara se kandidater under pseudonym.",
                email=user.email,
            ),
            "email",
        )
    if role in STAFF_ROLES and Role.SUPPLIER in held:
        raise InvalidInput(
            _l(
                "%(email)s är leverantörsanvändare i kommunen och kan inte samtidigt ha en "
                "personalroll. Ta först bort leverantörsrollen.",
                email=user.email,
            ),
            "role",
        )


def grant_membership(
    session: Session, user: User, tenant: Tenant, role: Role, supplier_id: int | None = None
) -> Membership:
    """Give a user a role in a tenant (idempotent). A supplier membership names its supplier.

    Refuses a supplier role to staff of the tenant and a staff role to its supplier users (the
    control plane also refuses such a flush, whatever path it comes from: models.py)."""
    if role is Role.SUPPLIER and supplier_id is None:
        raise InvalidInput(
            _l("En leverantörsanvändare måste kopplas till en leverantör."), "supplier"
        )
    if role is not Role.SUPPLIER and supplier_id is not None:
        raise InvalidInput(_l("Bara rollen leverantör kopplas till en leverantör."), "supplier")
    check_role_separation(session, user, tenant, role)
    membership = session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.tenant_id == tenant.id,
            Membership.role == role,
        )
    )
    if membership is None:
        membership = Membership(user=user, tenant=tenant, role=role)
        session.add(membership)
    membership.supplier_id = supplier_id
    session.flush()
    return membership


def set_password(
    user: User, password: str, profile: str = "strong", *, must_change: bool = False
) -> None:
    """Change a password and log out every session the user had. `must_change`: someone else
    chose it (an operator), so the user must choose their own at the next login."""
    check_password(password, about_user=(user.email, user.name))
    user.password_hash = hash_password(password, profile)
    user.must_change_password = must_change
    user.rotate_session_token()


def deactivate_user(user: User) -> None:
    user.active = False
    user.rotate_session_token()


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    throttled: bool = False


@dataclass(frozen=True)
class Throttle:
    """How many failed logins are tolerated.

    `per_account` failures for one e-mail address within `account_window` lock that address, but
    only for clients that have themselves failed within `client_window`: the real user, at a
    browser that has not been guessing, still gets in with the right password. `per_client`
    failures from one client address within `client_window` lock that client out of every account,
    which stops one password being sprayed over many addresses.
    """

    per_account: int = 5
    account_window: timedelta = timedelta(minutes=1)
    per_client: int = 20
    client_window: timedelta = timedelta(minutes=10)


def _failures(session: Session, condition: ColumnElement[bool], window: timedelta) -> int:
    since = utcnow() - window
    query = select(func.count(LoginAttempt.id)).where(
        condition, LoginAttempt.succeeded.is_(False), LoginAttempt.created_at >= since
    )
    return session.scalar(query) or 0


def _from_client(remote_addr: str | None) -> ColumnElement[bool]:
    if remote_addr is None:
        return LoginAttempt.remote_addr.is_(None)
    return LoginAttempt.remote_addr == remote_addr


def is_throttled(session: Session, email: str, remote_addr: str | None, throttle: Throttle) -> bool:
    client_failures = _failures(session, _from_client(remote_addr), throttle.client_window)
    if client_failures >= throttle.per_client:
        return True
    if client_failures == 0:
        return False
    account_failures = _failures(session, LoginAttempt.email == email, throttle.account_window)
    return account_failures >= throttle.per_account


def authenticate(
    session: Session,
    email: str,
    password: str,
    *,
    remote_addr: str | None,
    throttle: Throttle,
    profile: str,
) -> LoginResult:
    """Check a login and record the attempt; a throttled attempt is refused without checking the
    password (see `Throttle`)."""
    email = normalise_email(email)[:254]
    if is_throttled(session, email, remote_addr, throttle):
        session.add(
            LoginAttempt(email=email, remote_addr=remote_addr, succeeded=False, throttled=True)
        )
        session.flush()
        return LoginResult(None, throttled=True)
    user = session.scalar(select(User).where(User.email == email))
    ok = verify_password(user.password_hash if user else None, password, profile)
    ok = ok and user is not None and user.active
    session.add(
        LoginAttempt(
            email=email, user_id=user.id if user else None, remote_addr=remote_addr, succeeded=ok
        )
    )
    session.flush()
    return LoginResult(user if ok else None)


def check_current_password(
    session: Session,
    user: User,
    password: str,
    *,
    remote_addr: str | None,
    throttle: Throttle,
    profile: str,
) -> LoginResult:
    """The current password asked before a password change, throttled and recorded like a login:
    a stolen session must not become an unlimited oracle for the account's password."""
    throttled = is_throttled(session, user.email, remote_addr, throttle)
    ok = not throttled and verify_password(user.password_hash, password, profile)
    if not ok:
        session.add(
            LoginAttempt(
                email=user.email,
                user_id=user.id,
                remote_addr=remote_addr,
                succeeded=False,
                throttled=throttled,
            )
        )
        session.flush()
    return LoginResult(user if ok else None, throttled=throttled)


def set_email_notifications(session: Session, user: User, enabled: bool) -> None:
    """Whether notifications also reach the user by e-mail (they always show in the app)."""
    user.email_notifications = enabled
    session.flush()
