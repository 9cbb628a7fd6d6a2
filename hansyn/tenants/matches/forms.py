"""The "ask to meet" button's form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import DataRequired, Length


class MeetingForm(FlaskForm):
    pseudonym = HiddenField(validators=[DataRequired(), Length(max=16)])
