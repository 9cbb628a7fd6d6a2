"""The form that creates a personal API key."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from hansyn.platform.api_tokens import MAX_NAME
from hansyn.platform.forms import LocalDateField


class TokenForm(FlaskForm):
    name = StringField(
        _l("Namn på nyckeln"),
        validators=[DataRequired(_l("Ge nyckeln ett namn, t.ex. systemet som ska använda den.")),
                    Length(max=MAX_NAME)],
    )
    role = SelectField(_l("Roll"), validate_choice=True)
    expires_on = LocalDateField(_l("Gäller till och med (valfritt)"), validators=[Optional()])


class RevokeForm(FlaskForm):
    """A button that changes state: only the CSRF token."""
