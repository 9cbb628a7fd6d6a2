"""Who is calling the API: a personal token (`Authorization: Bearer hansyn_…`), or a signed-in
browser session whose writes carry the page's CSRF token (`X-CSRFToken`).

Either way the request ends up exactly where a page request of that member would: `g.tenant`
and `g.member` (context.enter_tenant), so `tenant_db()`, `current_member()`, `requires_role` and
the domain operations work as they do for the pages. A token speaks for its one membership (one
role); a session for every role the user holds in the tenant, as on the pages. A token of another
tenant, or a member of another tenant, gets 404 for every URL of this one.
"""

from __future__ import annotations

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import update

from hansyn.platform import api_tokens
from hansyn.platform.api.errors import ApiError
from hansyn.platform.extensions import csrf
from hansyn.platform.models import utcnow
from hansyn.platform.request_db import control_db, databases
from hansyn.tenants.context import (
    active_tenant,
    enter_tenant,
    second_factor_missing,
    user_memberships,
)

BEARER = "bearer"


def bearer_secret() -> str | None:
    """The token of an `Authorization: Bearer …` header; None without one; 401 for another
    scheme or an empty token."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _space, secret = header.strip().partition(" ")
    if scheme.lower() != BEARER or not secret.strip():
        raise ApiError(401, "invalid_token", _l("Ange nyckeln som Authorization: Bearer <nyckel>."))
    return secret.strip()


def authenticate() -> None:
    """The API blueprint's before_request."""
    secret = bearer_secret()
    if secret is not None:
        _enter_with_token(secret)
    elif current_user.is_authenticated:
        _enter_with_session()
    else:
        raise ApiError(401)


def _enter_with_token(secret: str) -> None:
    owner = api_tokens.find_usable(control_db(), secret)
    if owner is None:
        raise ApiError(
            401, "invalid_token",
            _l("Nyckeln är okänd, återkallad eller har gått ut, eller kontot är avstängt."),
        )
    if owner.tenant.slug != g.tenant_slug:
        raise ApiError(404)
    enter_tenant(owner.tenant, owner.user.id, owner.user.email, [owner.membership])
    g.api_token_id = owner.token.id
    g.api_user_locale = owner.user.locale
    _note_use(owner.token)


def _note_use(token: api_tokens.ApiToken) -> None:
    """Record when the token was last used (at most hourly), in a short write of its own: the
    request's own control-plane session only reads."""
    now = utcnow()
    if not api_tokens.needs_last_used(token, now):
        return
    with databases().control_session(write=True) as session:
        session.execute(
            update(api_tokens.ApiToken)
            .where(api_tokens.ApiToken.id == token.id)
            .values(last_used_at=now)
        )


def _enter_with_session() -> None:
    try:
        csrf.protect()
    except CSRFError:
        raise ApiError(
            403, "csrf_failed",
            _l("En inloggad webbläsare måste skicka sidans CSRF-token (X-CSRFToken) för att "
               "ändra något. Program använder en API-nyckel."),
        ) from None
    tenant = active_tenant(g.tenant_slug)
    memberships = user_memberships(tenant, current_user.id) if tenant is not None else []
    if tenant is None or not memberships:
        raise ApiError(404)
    enter_tenant(tenant, current_user.id, current_user.email, memberships)
    g.api_user_locale = current_user.locale
    if second_factor_missing():
        raise ApiError(403, "second_factor_required",
                       _l("Kommunen kräver tvåstegsverifiering för din roll: logga in med kod."))


def rate_limit_key() -> str:
    """What the API's rate limit counts by: the token (hashed), else the session's user, else
    the client address."""
    try:
        secret = bearer_secret()
    except ApiError:
        secret = None
    if secret:
        return "token:" + api_tokens.hash_token(secret)
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"addr:{request.remote_addr}"


def rate_limit() -> str:
    limit: str = current_app.config["API_RATE_LIMIT"]
    return limit
