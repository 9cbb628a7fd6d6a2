"""The procurement form. Domain rules (unique diarienummer, dates, the contract) live in
operations; the form checks presence field by field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from hansyn.platform.forms import LocalDateField
from hansyn.tenants.contracts.forms import optional_int
from hansyn.tenants.contracts.labels import CATEGORY_LABELS
from hansyn.tenants.procurements.labels import VALUE_BAND_LABELS


class ProcurementForm(FlaskForm):
    reference = StringField(_l("Diarienummer"), validators=[Optional(), Length(max=60)])
    title = StringField(
        _l("Benämning"),
        validators=[DataRequired(_l("Ange upphandlingens benämning.")), Length(max=200)],
    )
    category = SelectField(
        _l("Tjänsteområde"),
        choices=[SelectChoice(c.value, label) for c, label in CATEGORY_LABELS.items()],
        validators=[DataRequired(_l("Välj tjänsteområde."))],
    )
    value_band = SelectField(
        _l("Uppskattat värde"),
        choices=[SelectChoice(b.value, label) for b, label in VALUE_BAND_LABELS.items()],
        validators=[DataRequired(_l("Välj värdeintervall."))],
    )
    decided_on = LocalDateField(
        _l("Tilldelningsbeslut"),
        validators=[InputRequired(_l("Ange datumet för tilldelningsbeslutet."))],
    )
    employment_requirement = BooleanField(_l("Upphandlingen har sysselsättningskrav"))
    contract_id = SelectField(_l("Avtal i Hänsyn"), coerce=optional_int, validate_choice=False)


class DeleteForm(FlaskForm):
    """Only the CSRF token: a confirmation button."""
