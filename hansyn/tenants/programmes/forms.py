"""Forms of the programme catalogue."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField


class ProgrammeForm(FlaskForm):
    name = StringField(_l("Namn"))


class ProgrammeActionForm(FlaskForm):
    """Only the CSRF token: activate, deactivate and delete carry no data."""
