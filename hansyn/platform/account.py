"""Pages reached from an e-mailed link: a forgotten password, a new password, an invitation."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from hansyn.errors import InvalidInput
from hansyn.platform import invitations, password_reset
from hansyn.platform.auth import start_session
from hansyn.platform.forms import ButtonForm, ForgotPasswordForm, NewAccountForm, NewPasswordForm
from hansyn.platform.mail import send_mail_in_background
from hansyn.platform.mfa_views import begin_session
from hansyn.platform.models import Invitation, User
from hansyn.platform.request_db import control_db, writes_control_plane

bp = Blueprint("account", __name__)


def _profile() -> str:
    return str(current_app.config["PASSWORD_HASHING"])


def _attach_password_error(form: NewPasswordForm, error: InvalidInput) -> None:
    target = form.name if error.field == "name" and isinstance(form, NewAccountForm) else None
    (target or form.new_password).errors = [str(error.message)]


def _expired(message: str) -> tuple[str, int]:
    return render_template("platform/link_expired.html", message=message), 404


@bp.route("/password/forgot", methods=["GET", "POST"])
@writes_control_plane
def forgot_password() -> str | Response | tuple[str, int]:
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("platform/forgot_password.html", form=form)
    asked = password_reset.request_reset(control_db(), form.email.data or "", request.remote_addr)
    if asked.throttled:
        flash(_("För många förfrågningar. Vänta en stund och försök igen."), "error")
        return render_template("platform/forgot_password.html", form=form), 429
    if asked.user is not None and asked.token is not None:
        mail = password_reset.reset_mail(asked.user, asked.token, str(get_locale() or "sv"))
        send_mail_in_background(mail)
    return render_template(
        "platform/forgot_password_sent.html", email=form.email.data,
        minutes=password_reset.RESET_MINUTES,
    )


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@writes_control_plane
def reset_password(token: str) -> str | Response | tuple[str, int]:
    reset = password_reset.find_open_reset(control_db(), token)
    if reset is None:
        return _expired(_("Länken för nytt lösenord är använd eller har gått ut. Be om en ny."))
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = password_reset.complete_reset(
                control_db(), reset, form.new_password.data or "", _profile()
            )
        except InvalidInput as error:
            control_db().rollback()
            _attach_password_error(form, error)
        else:
            flash(_("Lösenordet är bytt. Du är inloggad."), "success")
            return begin_session(user, None)
    return render_template("platform/reset_password.html", form=form)


def _tenant_home(invitation: Invitation) -> Response:
    return redirect(url_for("tenant.dashboard.index", tenant=invitation.tenant.slug))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@writes_control_plane
def invitation(token: str) -> str | Response | tuple[str, int]:
    found = invitations.find_open_invitation(control_db(), token)
    if found is None:
        return _expired(
            _("Inbjudan är redan använd, har återkallats eller har gått ut. "
              "Be den som bjöd in dig om en ny.")
        )
    account = invitations.account_for(control_db(), found)
    if account is None:
        return _create_account(found)
    return _accept_as_existing(found, account)


def _create_account(found: Invitation) -> str | Response:
    form = NewAccountForm(name=found.name)
    if form.validate_on_submit():
        try:
            user = invitations.accept_with_new_account(
                control_db(), found, form.name.data or "", form.new_password.data or "",
                _profile(),
            )
        except InvalidInput as error:
            control_db().rollback()
            _attach_password_error(form, error)
        else:
            start_session(user)
            flash(_("Välkommen till Hänsyn!"), "success")
            return _tenant_home(found)
    return render_template("platform/invitation.html", invitation=found, form=form, account=None)


def _accept_as_existing(found: Invitation, account: User) -> str | Response:
    """Only the account with the invitation's address, signed in, accepts."""
    form = ButtonForm()
    signed_in_as_account = current_user.is_authenticated and current_user.id == account.id
    if signed_in_as_account and form.validate_on_submit():
        try:
            invitations.accept(control_db(), found, account)
        except InvalidInput as error:
            control_db().rollback()
            flash(str(error.message), "error")
        else:
            flash(_("Du har tagit emot inbjudan."), "success")
            return _tenant_home(found)
    return render_template(
        "platform/invitation.html", invitation=found, form=form, account=account,
        signed_in_as_account=signed_in_as_account,
    )
