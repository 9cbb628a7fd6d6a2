"""Staff log in through their municipality's own OpenID Connect provider (Authlib's client).

Each municipality may name a provider (`hansyn tenant login SLUG --oidc-issuer … --oidc-client-id
…`, the secret from standard input; or `HANSYN_OIDC_<SLUG>_ISSUER`, `…_CLIENT_ID`,
`…_CLIENT_SECRET` in the environment, which win). `/login/oidc/<slug>` sends the browser there
(authorization code flow with PKCE, a state and a nonce); the callback checks the ID token
(signature from the provider's JWKS, issuer, audience, expiry, nonce) and takes its e-mail
address. The address must belong to an active Hänsyn user with a staff role in *this*
municipality: the provider never creates a user or grants a role, it only proves who someone
is. A user with TOTP still gives a code afterwards (`mfa_views.begin_session`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from hansyn.platform import operations
from hansyn.platform.models import LoginAttempt, Membership, Role, Tenant, User
from hansyn.platform.request_db import control_db, writes_control_plane
from hansyn.platform.security import is_safe_next
from hansyn.platform.tenant_login import settings_of

bp = Blueprint("oidc", __name__)
SCOPE = "openid email profile"
NEXT_KEY = "_oidc_next"


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str | None


def _env(slug: str, name: str) -> str | None:
    key = f"HANSYN_OIDC_{slug.upper().replace('-', '_')}_{name}"
    return os.environ.get(key) or None


def provider_of(tenant: Tenant) -> Provider | None:
    """The tenant's provider: the environment's values, else what the operator stored."""
    stored = settings_of(control_db(), tenant.id)
    issuer = _env(tenant.slug, "ISSUER") or (stored.oidc_issuer if stored else None)
    client_id = _env(tenant.slug, "CLIENT_ID") or (stored.oidc_client_id if stored else None)
    secret = _env(tenant.slug, "CLIENT_SECRET") or (stored.oidc_client_secret if stored else None)
    if not issuer or not client_id:
        return None
    return Provider(issuer.rstrip("/"), client_id, secret)


def _client(tenant: Tenant, provider: Provider) -> Any:
    """A client of this provider, made anew for each login: settings changed by the operator
    apply at once, and the provider's metadata and keys are fetched fresh."""
    registry = OAuth(current_app)
    return registry.register(
        f"tenant-{tenant.slug}",
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        server_metadata_url=f"{provider.issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": SCOPE, "code_challenge_method": "S256"},
    )


def _tenant_or_404(slug: str) -> tuple[Tenant, Provider]:
    from hansyn.tenants.context import active_tenant

    tenant = active_tenant(slug)
    provider = provider_of(tenant) if tenant is not None else None
    if tenant is None or provider is None:
        abort(404)
    return tenant, provider


def _callback_url(slug: str) -> str:
    base = current_app.config.get("BASE_URL")
    path = url_for("oidc.callback", slug=slug)
    return f"{base}{path}" if base else url_for("oidc.callback", slug=slug, _external=True)


def tenant_for_next(target: str | None) -> Tenant | None:
    """The municipality a `next=` link points into, if it has a provider (for the login page's
    button: only someone who already has a link into that municipality sees it)."""
    from hansyn.tenants.context import active_tenant

    if not is_safe_next(target):
        return None
    slug = (target or "").lstrip("/").split("/", 1)[0].split("?", 1)[0]
    tenant = active_tenant(slug)
    return tenant if tenant is not None and provider_of(tenant) is not None else None


@bp.route("/login/oidc/<slug>")
def start(slug: str) -> Response:
    tenant, provider = _tenant_or_404(slug)
    target = request.args.get("next")
    session[NEXT_KEY] = target if is_safe_next(target) else None
    try:
        return _client(tenant, provider).authorize_redirect(_callback_url(slug))  # type: ignore[no-any-return]
    except (OAuthError, OSError, ValueError):
        current_app.logger.exception("OpenID provider of %s unreachable", slug)
        flash(_("Kommunens inloggning svarar inte just nu. Försök igen om en stund."), "error")
        return redirect(url_for("platform.login"))


def _refuse(message: str, email: str | None = None) -> Response:
    if email:
        control_db().add(LoginAttempt(email=email[:254], remote_addr=request.remote_addr,
                                      succeeded=False))
    flash(message, "error")
    return redirect(url_for("platform.login"))


def staff_user(tenant: Tenant, email: str) -> User | None:
    """The active user with this address who holds a staff role in the tenant, or None."""
    return control_db().scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            User.email == operations.normalise_email(email),
            User.active.is_(True),
            Membership.tenant_id == tenant.id,
            Membership.role != Role.SUPPLIER,
        )
        .limit(1)
    )


@bp.route("/login/oidc/<slug>/callback")
@writes_control_plane
def callback(slug: str) -> Response:
    from hansyn.platform.mfa_views import begin_session

    tenant, provider = _tenant_or_404(slug)
    try:
        token = _client(tenant, provider).authorize_access_token()
    except (OAuthError, OSError, ValueError):
        current_app.logger.info("OpenID login for %s refused", slug, exc_info=True)
        return _refuse(_("Inloggningen via kommunen misslyckades. Försök igen."))
    claims = token.get("userinfo") or {}
    email = str(claims.get("email") or "")
    if not email or claims.get("email_verified") is False:
        return _refuse(_("Kommunens inloggning gav ingen bekräftad e-postadress."))
    user = staff_user(tenant, email)
    if user is None:
        return _refuse(
            _("Det finns inget konto i Hänsyn för %(email)s hos %(tenant)s. Be kommunens "
              "administratör om en inbjudan.", email=email, tenant=tenant.name),
            email,
        )
    control_db().add(LoginAttempt(email=user.email, user_id=user.id,
                                  remote_addr=request.remote_addr, succeeded=True))
    return begin_session(user, session.pop(NEXT_KEY, None))
