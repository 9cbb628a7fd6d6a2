"""The second step of a login (a TOTP or recovery code), and enrolling and removing TOTP on the
account page. Every way into a session — password, password reset, the municipality's identity
provider — goes through `begin_session`, so none of them skips the second factor."""

from __future__ import annotations

import time

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from hansyn.platform import mfa
from hansyn.platform.auth import login_throttle, start_session
from hansyn.platform.forms import ButtonForm
from hansyn.platform.mfa_forms import CodeForm
from hansyn.platform.models import User
from hansyn.platform.request_db import control_db, writes_control_plane
from hansyn.platform.security import is_safe_next

bp = Blueprint("mfa", __name__)
#: The session flag of a session whose user passed a second factor.
MFA_KEY = "_mfa"
#: The user waiting for the second step: id, where to go after, and since when.
PENDING_KEY = "_mfa_pending"
PENDING_SECONDS = 300


def passed_second_factor() -> bool:
    return bool(session.get(MFA_KEY))


def _after_login(user: User, target: str | None) -> Response:
    if user.must_change_password:
        flash(_("Välj ett eget lösenord innan du fortsätter."), "info")
        return redirect(url_for("platform.account"))
    return redirect(target if is_safe_next(target) else url_for("platform.index"))


def begin_session(user: User, target: str | None) -> Response:
    """Sign in now, or — when the user has TOTP — after the code page."""
    if mfa.has_totp(control_db(), user.id):
        session.clear()
        session[PENDING_KEY] = {"user": user.id, "next": target or "", "at": int(time.time())}
        return redirect(url_for("mfa.login_code"))
    start_session(user)
    return _after_login(user, target)


def _pending_user() -> tuple[User | None, str]:
    pending = session.get(PENDING_KEY) or {}
    fresh = int(pending.get("at", 0)) + PENDING_SECONDS >= time.time()
    user = control_db().get(User, pending.get("user", 0)) if fresh else None
    if user is None or not user.active:
        return None, ""
    return user, str(pending.get("next") or "")


@bp.route("/login/code", methods=["GET", "POST"])
@writes_control_plane
def login_code() -> str | Response | tuple[str, int]:
    user, target = _pending_user()
    if user is None:
        session.pop(PENDING_KEY, None)
        return redirect(url_for("platform.login"))
    form = CodeForm()
    if form.validate_on_submit():
        checked = mfa.verify(control_db(), user, form.code.data or "",
                             remote_addr=request.remote_addr, throttle=login_throttle())
        if checked.throttled:
            flash(_("För många misslyckade inloggningar. Vänta en minut och försök igen."),
                  "error")
            return render_template("platform/login_code.html", form=form), 429
        if checked.ok:
            start_session(user)
            session[MFA_KEY] = True
            if checked.used_recovery_code:
                left = mfa.unused_recovery_codes(control_db(), user.id)
                flash(_("Du loggade in med en reservkod. Du har %(count)d kvar.", count=left),
                      "warning")
            return _after_login(user, target)
        form.code.errors.append(_("Koden stämmer inte. Ange den sexsiffriga koden från appen "
                                  "eller en oanvänd reservkod."))
    return render_template("platform/login_code.html", form=form)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@writes_control_plane
@login_required
def enrol() -> str | Response:
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    session_db = control_db()
    if mfa.has_totp(session_db, user.id):
        form = CodeForm()
        if form.validate_on_submit():
            checked = mfa.verify(session_db, user, form.code.data or "",
                                 remote_addr=request.remote_addr, throttle=login_throttle())
            if checked.ok:
                session[MFA_KEY] = True
                target = request.args.get("next")
                return redirect(target if is_safe_next(target) else url_for("platform.index"))
            form.code.errors.append(_("Koden stämmer inte."))
        return render_template("platform/two_factor.html", enabled=True, form=form,
                               button=ButtonForm(),
                               unused=mfa.unused_recovery_codes(session_db, user.id))
    found = mfa.start_enrolment(session_db, user) if request.method == "GET" else \
        mfa.credential(session_db, user.id)
    form = CodeForm()
    if form.validate_on_submit() and found is not None:
        codes = mfa.confirm(session_db, user, form.code.data or "")
        if codes is not None:
            session[MFA_KEY] = True
            return render_template("platform/recovery_codes.html", codes=codes,
                                   next=request.args.get("next"))
        form.code.errors.append(_("Koden stämmer inte. Kontrollera att telefonens klocka går "
                                  "rätt och ange den nya koden."))
    if found is None:
        found = mfa.start_enrolment(session_db, user)
    uri = mfa.provisioning_uri(found, user.email)
    return render_template("platform/two_factor.html", enabled=False, form=form,
                           qr=mfa.qr_code(uri), secret=found.secret)


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@writes_control_plane
@login_required
def recovery_codes() -> str | Response:
    if not ButtonForm().validate_on_submit() or not mfa.has_totp(control_db(), current_user.id):
        return redirect(url_for(".enrol"))
    codes = mfa.new_recovery_codes(control_db(), current_user.id)
    return render_template("platform/recovery_codes.html", codes=codes, next=None)


@bp.route("/account/two-factor/remove", methods=["POST"])
@writes_control_plane
@login_required
def remove() -> Response:
    """Turn TOTP off; asks for a current code, so a borrowed session cannot remove it."""
    form = CodeForm()
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    if form.validate_on_submit():
        checked = mfa.verify(control_db(), user, form.code.data or "",
                             remote_addr=request.remote_addr, throttle=login_throttle())
        if checked.ok:
            mfa.disable(control_db(), user.id)
            session.pop(MFA_KEY, None)
            flash(_("Tvåstegsverifieringen är avstängd."), "info")
            return redirect(url_for("platform.account"))
    flash(_("Koden stämmer inte. Tvåstegsverifieringen är kvar."), "error")
    return redirect(url_for(".enrol"))


