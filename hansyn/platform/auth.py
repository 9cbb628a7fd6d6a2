"""The platform's own pages: login, logout, language, account, the tenant picker and /healthz;
and the two checks every signed-in request passes (the session's browser, a forced password
change)."""

from __future__ import annotations

import hashlib

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import bindparam, select, text
from werkzeug.wrappers import Response as WerkzeugResponse

from hansyn.errors import InvalidInput
from hansyn.platform import oidc, operations
from hansyn.platform.access import TenantAccess, user_access
from hansyn.platform.api import errors as api_errors
from hansyn.platform.extensions import login_manager
from hansyn.platform.forms import (
    LanguageForm,
    LoginForm,
    NotificationSettingsForm,
    PasswordChangeForm,
)
from hansyn.platform.models import Tenant, User
from hansyn.platform.request_db import control_db, databases, writes_control_plane
from hansyn.platform.security import is_safe_next

bp = Blueprint("platform", __name__)
#: The session key holding the fingerprint of the browser the session was started in.
CLIENT_KEY = "_client"
#: What a user who must change their password may still open.
PASSWORD_CHANGE_ENDPOINTS = frozenset(
    {"platform.account", "platform.logout", "platform.language", "static"}
)


def client_fingerprint() -> str:
    """The client address (as ProxyFix corrected it) and the browser's User-Agent, hashed."""
    client = f"{request.remote_addr}\0{request.user_agent.string}"
    return hashlib.sha256(client.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def start_session(user: User) -> None:
    """Sign `user` in with a fresh session bound to this browser (no fixation: cleared first)."""
    session.clear()
    login_user(user)
    session.permanent = True
    session[CLIENT_KEY] = client_fingerprint()


def login_throttle() -> operations.Throttle:
    config = current_app.config
    return operations.Throttle(
        per_account=config["LOGIN_FAILURES_PER_ACCOUNT"],
        per_client=config["LOGIN_FAILURES_PER_CLIENT"],
    )


@bp.before_app_request
def guard_signed_in_request() -> WerkzeugResponse | tuple[Response, int] | None:
    """A session copied to another browser or client address is dropped (the real binding that
    flask-login's "strong" protection does not give permanent sessions), and a user whose
    password someone else chose must choose their own before anything else."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    if session.get(CLIENT_KEY) != client_fingerprint():
        logout_user()
        session.clear()
        return unauthorized()
    if current_user.must_change_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
        flash(_("Välj ett eget lösenord innan du fortsätter."), "info")
        return redirect(url_for("platform.account"))
    return None


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    """Look the user up by the rotating session token, never by id: an old cookie finds nobody."""
    return control_db().scalar(_USER_BY_TOKEN, {"token": session_token})


#: Built once (every signed-in request runs it).
_USER_BY_TOKEN = select(User).where(
    User.session_token == bindparam("token"), User.active.is_(True)
)


@login_manager.unauthorized_handler
def unauthorized() -> WerkzeugResponse | tuple[Response, int]:
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        return api_errors.error_response(401), 401
    return redirect(url_for("platform.login", next=request.full_path.rstrip("?")))


def _redirect_after_login(target: str | None) -> WerkzeugResponse:
    return redirect(target if is_safe_next(target) else url_for("platform.index"))


@bp.route("/login", methods=["GET", "POST"])
@writes_control_plane
def login() -> str | WerkzeugResponse:
    if current_user.is_authenticated:
        return _redirect_after_login(request.args.get("next"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        result = operations.authenticate(
            control_db(),
            form.email.data or "",
            form.password.data or "",
            remote_addr=request.remote_addr,
            throttle=login_throttle(),
            profile=current_app.config["PASSWORD_HASHING"],
        )
        if result.user is not None:
            from hansyn.platform.mfa_views import begin_session

            return begin_session(result.user, form.next.data)
        if result.throttled:
            flash(_("För många misslyckade inloggningar. Vänta en minut och försök igen."), "error")
            return render_template("platform/login.html", form=form), 429
        flash(_("Fel e-postadress eller lösenord."), "error")
    return render_template(
        "platform/login.html", form=form, oidc_tenant=oidc.tenant_for_next(form.next.data)
    )


@bp.route("/logout", methods=["POST"])
@writes_control_plane
@login_required
def logout() -> WerkzeugResponse:
    current_user.rotate_session_token()
    logout_user()
    session.clear()
    flash(_("Du är utloggad."), "info")
    return redirect(url_for("platform.login"))


@bp.route("/language", methods=["POST"])
@writes_control_plane
def language() -> WerkzeugResponse:
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.language.data
        if current_user.is_authenticated:
            current_user.locale = form.language.data
    target = form.next.data
    return redirect(target if is_safe_next(target) else url_for("platform.index"))


def user_tenants() -> list[TenantAccess]:
    """The active municipalities the current user is a member of (the first membership of each)."""
    first: dict[str, TenantAccess] = {}
    for access in user_access():
        first.setdefault(access.slug, access)
    return list(first.values())


@bp.route("/")
@login_required
def index() -> str | WerkzeugResponse:
    tenants = user_tenants()
    if len(tenants) == 1:
        return redirect(url_for("tenant.dashboard.index", tenant=tenants[0].slug))
    return render_template("platform/index.html", tenants=tenants)


@bp.route("/account", methods=["GET", "POST"])
@writes_control_plane
@login_required
def account() -> str | WerkzeugResponse:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        profile = current_app.config["PASSWORD_HASHING"]
        user: User = current_user._get_current_object()  # type: ignore[attr-defined]
        checked = operations.check_current_password(
            control_db(),
            user,
            form.current_password.data or "",
            remote_addr=request.remote_addr,
            throttle=login_throttle(),
            profile=profile,
        )
        if checked.throttled:
            abort(429)
        if checked.user is None:
            form.current_password.errors.append(_("Det nuvarande lösenordet stämmer inte."))
        else:
            try:
                operations.set_password(user, form.new_password.data or "", profile)
            except InvalidInput as error:
                form.new_password.errors.append(str(error.message))
            else:
                start_session(user)  # the cookie now carries the new token
                flash(_("Lösenordet är bytt. Dina andra inloggningar är utloggade."), "info")
                return redirect(url_for("platform.account"))
    return render_template(
        "platform/account.html", form=form, notifications_form=NotificationSettingsForm()
    )


@bp.route("/account/notifications", methods=["POST"])
@writes_control_plane
@login_required
def notification_settings() -> WerkzeugResponse:
    """E-mail about events in Hänsyn on or off (the notifications in the app stay)."""
    form = NotificationSettingsForm()
    if form.validate_on_submit():
        user: User = current_user._get_current_object()  # type: ignore[attr-defined]
        operations.set_email_notifications(control_db(), user, bool(form.email.data))
        flash(
            _("Du får e-post om händelser.")
            if form.email.data
            else _("Du får inte längre e-post om händelser; notiserna syns när du loggar in."),
            "success",
        )
    return redirect(url_for("platform.account"))


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    """Both database layers answer: the control plane, and every active tenant's database."""
    try:
        slugs = control_db().scalars(select(Tenant.slug).where(Tenant.active.is_(True))).all()
        for slug in slugs:
            with databases().tenant_engine(slug).connect() as connection:
                connection.execute(text("SELECT 1"))
    except Exception:
        current_app.logger.exception("health check failed")
        return jsonify(status="error"), 503
    return jsonify(status="ok", control_plane="ok", tenants=len(slugs)), 200
