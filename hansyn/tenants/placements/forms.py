"""Forms of placements and reports. Domain rules (dates against the contract, extent, parallel
placements) live in operations; the forms check presence and ranges field by field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from hansyn.platform.forms import LocalDateField, LocalIntegerField, chosen_id
from hansyn.tenants.placements.labels import (
    EMPLOYMENT_FORM_LABELS,
    END_REASON_LABELS,
    SUBSIDY_LABELS,
)
from hansyn.tenants.placements.models import WageSubsidy
from hansyn.tenants.vacancies.models import MAX_HOURS_PER_WEEK

MAX_COMMENT = 4000


class PlacementForm(FlaskForm):
    """The terms of an employment: the hire form, and the edit form. Views remove the fields a
    member may not set (a supplier never sees the target group or the wage subsidy)."""

    start_date = LocalDateField(
        _l("Första anställningsdag"), validators=[InputRequired(_l("Ange startdatum."))]
    )
    employment_form = SelectField(
        _l("Anställningsform"),
        choices=[SelectChoice(f.value, label) for f, label in EMPLOYMENT_FORM_LABELS.items()],
        validators=[InputRequired(_l("Välj anställningsform."))],
    )
    planned_end = LocalDateField(_l("Sista dag enligt avtalet"), validators=[Optional()])
    hours_per_week = LocalIntegerField(
        _l("Timmar per vecka"),
        validators=[
            Optional(),
            NumberRange(1, MAX_HOURS_PER_WEEK, _l("Ange mellan %(min)s och %(max)s timmar.")),
        ],
    )
    extent_percent = LocalIntegerField(
        _l("eller omfattning i procent av heltid"),
        validators=[
            Optional(),
            NumberRange(1, 100, _l("Ange mellan %(min)s och %(max)s procent.")),
        ],
    )
    programme_id = SelectField(_l("Räknas för målgrupp"), coerce=chosen_id, validate_choice=False)
    wage_subsidy = SelectField(
        _l("Anställningsstöd"),
        choices=[SelectChoice(s.value, label) for s, label in SUBSIDY_LABELS.items()],
        default=WageSubsidy.NONE.value,
    )


class EndForm(FlaskForm):
    ended_on = LocalDateField(
        _l("Sista anställningsdag"), validators=[InputRequired(_l("Ange datum."))]
    )
    end_reason = SelectField(
        _l("Skäl"),
        choices=[SelectChoice(r.value, label) for r, label in END_REASON_LABELS.items()],
        validators=[InputRequired(_l("Välj skäl."))],
    )


class SuspensionForm(FlaskForm):
    first_day = LocalDateField(_l("Från och med"), validators=[InputRequired(_l("Ange datum."))])
    last_day = LocalDateField(_l("Till och med"), validators=[InputRequired(_l("Ange datum."))])


class ActionForm(FlaskForm):
    """Only the CSRF token: removing a suspension carries no data."""


class ReportForm(FlaskForm):
    """The supplier's comment; the button pressed says whether to save or hand in."""

    comment = TextAreaField(
        _l("Kommentar till kommunen"),
        validators=[Optional(), Length(max=MAX_COMMENT, message=_l("Högst %(max)d tecken."))],
    )


class DecisionForm(FlaskForm):
    """The municipality approves or returns a report; returning needs a comment."""

    comment = TextAreaField(
        _l("Kommentar till leverantören"),
        validators=[Optional(), Length(max=MAX_COMMENT, message=_l("Högst %(max)d tecken."))],
    )
