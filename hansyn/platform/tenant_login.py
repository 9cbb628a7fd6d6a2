"""How a municipality's staff log in: whether admins and coordinators must use a second factor
(TOTP, `hansyn.platform.mfa`), and the municipality's own OpenID Connect provider
(`hansyn.platform.oidc`). Set by the operator (`hansyn tenant login SLUG …`); the provider may
also come from the environment (`HANSYN_OIDC_<SLUG>_ISSUER`, `…_CLIENT_ID`, `…_CLIENT_SECRET`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, String, false
from sqlalchemy.orm import Mapped, Session, mapped_column

from hansyn.db import ControlBase
from hansyn.errors import InvalidInput
from hansyn.platform.models import Role

#: The roles a municipality's TOTP requirement applies to: those that see who people are.
TOTP_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})


class TenantLogin(ControlBase):
    __tablename__ = "tenant_login"

    tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True
    )
    require_totp: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    oidc_issuer: Mapped[str | None] = mapped_column(String(500))
    oidc_client_id: Mapped[str | None] = mapped_column(String(200))
    #: The client secret the provider gave; the environment's, when set, wins.
    oidc_client_secret: Mapped[str | None] = mapped_column(String(500))


def settings_of(session: Session, tenant_id: int) -> TenantLogin | None:
    return session.get(TenantLogin, tenant_id)


def settings_for_update(session: Session, tenant_id: int) -> TenantLogin:
    found = session.get(TenantLogin, tenant_id)
    if found is None:
        found = TenantLogin(tenant_id=tenant_id, require_totp=False)
        session.add(found)
    return found


def set_login(
    session: Session, tenant_id: int, *, require_totp: bool | None = None,
    issuer: str | None = None, client_id: str | None = None, client_secret: str | None = None,
    remove_oidc: bool = False,
) -> TenantLogin:
    """The operator's settings (`hansyn tenant login`); what is not given stays as it was."""
    found = settings_for_update(session, tenant_id)
    if require_totp is not None:
        found.require_totp = require_totp
    if remove_oidc:
        found.oidc_issuer = found.oidc_client_id = found.oidc_client_secret = None
    if issuer is not None:
        found.oidc_issuer = _issuer(issuer)
    if client_id is not None:
        found.oidc_client_id = client_id.strip() or None
    if client_secret is not None:
        found.oidc_client_secret = client_secret or None
    session.flush()
    return found


def _issuer(url: str) -> str:
    url = url.strip().rstrip("/")
    parsed = urlsplit(url)
    local = parsed.hostname in ("localhost", "127.0.0.1", "::1")
    if parsed.scheme != "https" and not (parsed.scheme == "http" and local):
        raise InvalidInput(_l("Ange utfärdarens adress med https://, t.ex. "
                              "https://login.kommun.se/realms/personal."), "oidc_issuer")
    return url


def requires_totp(session: Session, tenant_id: int, roles: frozenset[Role]) -> bool:
    """Whether members holding `roles` must have passed a second factor in this tenant."""
    if not roles & TOTP_ROLES:
        return False
    found = settings_of(session, tenant_id)
    return found is not None and found.require_totp
