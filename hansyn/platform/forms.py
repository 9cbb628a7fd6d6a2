"""Forms of the platform shell (login, account)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from hansyn.platform.passwords import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-postadress"), validators=[DataRequired(_l("Ange din e-postadress.")), Length(max=254)]
    )
    password = PasswordField(
        _l("Lösenord"), validators=[DataRequired(_l("Ange ditt lösenord.")), Length(max=1024)]
    )
    next = HiddenField()


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Nuvarande lösenord"), validators=[DataRequired(_l("Ange ditt nuvarande lösenord."))]
    )
    new_password = PasswordField(
        _l("Nytt lösenord"),
        validators=[
            DataRequired(_l("Ange ett nytt lösenord.")),
            Length(
                min=MIN_PASSWORD_LENGTH, message=_l("Lösenordet måste ha minst %(min)d tecken.")
            ),
            Length(max=1024, message=_l("Lösenordet får vara högst %(max)d tecken.")),
        ],
    )
    confirm = PasswordField(
        _l("Upprepa det nya lösenordet"),
        validators=[EqualTo("new_password", _l("Lösenorden är inte lika."))],
    )


class LanguageForm(FlaskForm):
    language = SelectField(
        _l("Språk"), choices=[SelectChoice("sv", "Svenska"), SelectChoice("en", "English")]
    )
    next = HiddenField()
