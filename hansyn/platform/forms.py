"""Forms of the platform shell (login, account), and field types the domains' forms share."""

from collections.abc import Callable

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, StopValidation

from hansyn.db import storable_id
from hansyn.errors import InvalidInput
from hansyn.platform import request_db
from hansyn.platform.password_policy import MAX_LENGTH, MIN_LENGTH


class _OwnMessageOnly:
    """Something typed that is not a date or a number gets our one message, not a range message
    about the empty value as well (an empty field still reaches InputRequired or Optional)."""

    process_errors: list[object]
    raw_data: list[object] | None

    def pre_validate(self, _form: object) -> None:
        if self.process_errors and any(str(v).strip() for v in self.raw_data or ()):
            raise StopValidation()


class Checked:
    """A domain check (a function that raises InvalidInput) run as a form validator, so that its
    message is shown together with every other mistake of the form instead of after they are
    fixed. The operation checks again: this only brings the message forward."""

    def __init__(self, check: Callable[[str], object]) -> None:
        self.check = check

    def __call__(self, _form: object, field: Field) -> None:
        if not (field.data or "").strip():
            return
        try:
            self.check(field.data)
        except InvalidInput as error:
            raise StopValidation(str(error.message)) from error


def EmailAddress() -> Checked:  # noqa: N802 (reads like the other validator classes)
    from hansyn.platform.operations import validate_email

    return Checked(validate_email)


class LocalDateField(_OwnMessageOnly, DateField):
    """wtforms' own message for a malformed date is English whatever the language."""

    def process_formdata(self, valuelist: list[object]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("Ange datumet som ÅÅÅÅ-MM-DD."))) from error


class LocalIntegerField(_OwnMessageOnly, IntegerField):
    """wtforms' own message for a malformed number is English whatever the language."""

    def process_formdata(self, valuelist: list[object]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("Ange ett heltal."))) from error


def chosen_id(value: object) -> int:
    """A select field's row id; 0 (no row) for text or a number no row can have (beyond 64
    bits), so that the choice is refused instead of crashing the database driver."""
    return storable_id(value) or 0


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-postadress"), validators=[DataRequired(_l("Ange din e-postadress.")), Length(max=254)]
    )
    password = PasswordField(
        _l("Lösenord"), validators=[DataRequired(_l("Ange ditt lösenord.")), Length(max=1024)]
    )
    next = HiddenField()


class NewPasswordForm(FlaskForm):
    """A new password, typed twice; what else it must be is checked by the password policy."""

    new_password = PasswordField(
        _l("Nytt lösenord"),
        validators=[
            DataRequired(_l("Ange ett nytt lösenord.")),
            Length(min=MIN_LENGTH, message=_l("Lösenordet måste ha minst %(min)d tecken.")),
            Length(max=MAX_LENGTH, message=_l("Lösenordet får vara högst %(max)d tecken.")),
        ],
    )
    confirm = PasswordField(
        _l("Upprepa det nya lösenordet"),
        validators=[EqualTo("new_password", _l("Lösenorden är inte lika."))],
    )


class PasswordChangeForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Nuvarande lösenord"), validators=[DataRequired(_l("Ange ditt nuvarande lösenord."))]
    )


class NewAccountForm(NewPasswordForm):
    name = StringField(
        _l("Ditt namn"), validators=[DataRequired(_l("Ange ditt namn.")), Length(max=200)]
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-postadress"), validators=[DataRequired(_l("Ange din e-postadress.")), Length(max=254)]
    )


class ButtonForm(FlaskForm):
    """A button that changes state: only the CSRF token."""


class NotificationSettingsForm(FlaskForm):
    email = BooleanField(_l("Skicka e-post till mig om händelser i mina ärenden"))


class LanguageForm(FlaskForm):
    language = SelectField(
        _l("Språk"), choices=[SelectChoice("sv", "Svenska"), SelectChoice("en", "English")]
    )
    next = HiddenField()


def attach_error(form: FlaskForm | None, error: InvalidInput) -> None:
    """Show each problem beside the field it names, or as a message when it names none.

    A form may map the names operations use to its own fields (`error_fields`).
    """
    aliases: dict[str, str] = getattr(form, "error_fields", {})
    for problem in error.problems:
        name = aliases.get(problem.field or "", problem.field or "")
        field = getattr(form, name, None) if form is not None and name else None
        if field is None:
            flash(str(problem.message), "error")
        else:
            field.errors = [*field.errors, str(problem.message)]


def refuse(form: FlaskForm | None, error: InvalidInput) -> None:
    """An operation refused the input: undo everything this request wrote, show every problem.

    The request commits any response below 500, so a view that shows a form again after a
    refusal must not leave the refused operation's half-made rows in its sessions.
    """
    request_db.rollback_request()
    attach_error(form, error)
