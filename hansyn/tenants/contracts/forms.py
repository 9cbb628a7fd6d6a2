"""The contract form with its social clause. Domain rules (unique diarienummer, dates, months)
live in operations; the form checks presence and number ranges field by field."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from hansyn.db import storable_id
from hansyn.platform.forms import LocalDateField, LocalIntegerField, chosen_id
from hansyn.tenants.contracts.labels import CATEGORY_LABELS, CLAUSE_TYPE_LABELS
from hansyn.tenants.contracts.models import DEFAULT_EARLY_END_SHARE


def optional_int(value: Any) -> int | None:
    """A chosen row id, or None for nothing chosen or a number no row can have."""
    return storable_id(value) if value not in (None, "") else None


def _positive(maximum: int) -> list[Any]:
    message = _l("Ange ett heltal mellan 1 och %(max)d.", max=maximum)
    return [Optional(), NumberRange(min=1, max=maximum, message=message)]


class ContractForm(FlaskForm):
    reference = StringField(
        _l("Diarienummer"),
        validators=[DataRequired(_l("Ange upphandlingens diarienummer.")), Length(max=60)],
    )
    title = StringField(
        _l("Avtalets benämning"),
        validators=[DataRequired(_l("Ange avtalets benämning.")), Length(max=200)],
    )
    category = SelectField(
        _l("Tjänsteområde"),
        choices=[SelectChoice(c.value, label) for c, label in CATEGORY_LABELS.items()],
        validators=[DataRequired(_l("Välj tjänsteområde."))],
    )
    supplier_id = SelectField(
        _l("Leverantör"),
        coerce=optional_int,
        validate_choice=False,
        validators=[DataRequired(_l("Välj en leverantör."))],
    )
    start_date = LocalDateField(
        _l("Startdatum"), validators=[InputRequired(_l("Ange startdatum."))]
    )
    end_date = LocalDateField(_l("Slutdatum"), validators=[InputRequired(_l("Ange slutdatum."))])
    clause_type = SelectField(
        _l("Typ av sysselsättningskrav"),
        choices=[SelectChoice(t.value, label) for t, label in CLAUSE_TYPE_LABELS.items()],
        validators=[DataRequired(_l("Välj typ av krav."))],
    )
    full_time_months = LocalIntegerField(_l("Antal heltidsmånader"), validators=_positive(10_000))
    persons = LocalIntegerField(_l("Antal personer"), validators=_positive(1_000))
    months_per_person = LocalIntegerField(_l("Månader per person"), validators=_positive(120))
    first_hire_deadline = LocalDateField(_l("Första anställning senast"), validators=[Optional()])
    early_end_share = LocalIntegerField(
        _l("Andel av avtalad tid som räknas som uppfyllt vid förtida avslut (procent)"),
        default=DEFAULT_EARLY_END_SHARE,
        validators=[
            InputRequired(_l("Ange andelen i procent.")),
            NumberRange(min=0, max=100, message=_l("Andelen ska vara mellan 0 och 100 procent.")),
        ],
    )
    target_groups = SelectMultipleField(
        _l("Målgrupper"),
        coerce=chosen_id,
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    description = TextAreaField(
        _l("Kravets lydelse eller kommentar"), validators=[Optional(), Length(max=4000)]
    )
