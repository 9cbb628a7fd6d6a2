"""Write logic of the control plane. Functions take a session and only flush; callers commit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hansyn.db import SLUG_PATTERN, Databases
from hansyn.errors import InvalidInput
from hansyn.migrations import upgrade_tenant
from hansyn.platform.models import LoginAttempt, Membership, Role, Tenant, User, utcnow
from hansyn.platform.passwords import MIN_PASSWORD_LENGTH, hash_password, verify_password

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


def validate_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            _l("Lösenordet måste ha minst %(n)d tecken.", n=MIN_PASSWORD_LENGTH), "password"
        )
    return password


def create_user(
    session: Session,
    email: str,
    name: str,
    password: str,
    *,
    profile: str = "strong",
    is_operator: bool = False,
) -> User:
    email, name = normalise_email(email), name.strip()
    if not EMAIL_PATTERN.match(email):
        raise InvalidInput(_l("Ange en giltig e-postadress."), "email")
    if not name:
        raise InvalidInput(_l("Ange personens namn."), "name")
    validate_password(password)
    if session.scalar(select(User).where(User.email == email)):
        raise InvalidInput(
            _l("Det finns redan en användare med e-postadressen %(email)s.", email=email), "email"
        )
    user = User(
        email=email,
        name=name,
        password_hash=hash_password(password, profile),
        is_operator=is_operator,
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


def grant_membership(
    session: Session, user: User, tenant: Tenant, role: Role, supplier_id: int | None = None
) -> Membership:
    """Give a user a role in a tenant (idempotent). A supplier membership names its supplier."""
    if role is Role.SUPPLIER and supplier_id is None:
        raise InvalidInput(
            _l("En leverantörsanvändare måste kopplas till en leverantör."), "supplier"
        )
    if role is not Role.SUPPLIER and supplier_id is not None:
        raise InvalidInput(_l("Bara rollen leverantör kopplas till en leverantör."), "supplier")
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


def set_password(user: User, password: str, profile: str = "strong") -> None:
    """Change a password and log out every session the user had."""
    user.password_hash = hash_password(validate_password(password), profile)
    user.rotate_session_token()


def deactivate_user(user: User) -> None:
    user.active = False
    user.rotate_session_token()


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    throttled: bool = False


def recent_failures(session: Session, email: str, window: timedelta = timedelta(minutes=1)) -> int:
    since = utcnow() - window
    return (
        session.scalar(
            select(func.count(LoginAttempt.id)).where(
                LoginAttempt.email == email,
                LoginAttempt.succeeded.is_(False),
                LoginAttempt.created_at >= since,
            )
        )
        or 0
    )


def authenticate(
    session: Session,
    email: str,
    password: str,
    *,
    remote_addr: str | None,
    attempts_per_minute: int,
    profile: str,
) -> LoginResult:
    """Check a login and record the attempt. After `attempts_per_minute` failures for one address
    within a minute, further attempts are refused without checking the password."""
    email = normalise_email(email)[:254]
    if recent_failures(session, email) >= attempts_per_minute:
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
    attempts_per_minute: int,
    profile: str,
) -> LoginResult:
    """The current password asked before a password change, throttled and recorded like a login:
    a stolen session must not become an unlimited oracle for the account's password."""
    throttled = recent_failures(session, user.email) >= attempts_per_minute
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
