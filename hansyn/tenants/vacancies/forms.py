"""The supplier's vacancy form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from hansyn.platform.forms import LocalDateField, LocalIntegerField, chosen_id
from hansyn.tenants.vacancies.models import MAX_HOURS_PER_WEEK, Extent, VacancyStatus

#: Driving licence classes a vacancy may require (Transportstyrelsen's classes).
LICENCE_CLASSES = ("B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE", "A")
MAX_POSITIONS = 100
MAX_DURATION_MONTHS = 120

EXTENT_LABELS = {Extent.FULL_TIME: _l("Heltid"), Extent.PART_TIME: _l("Deltid")}
STATUS_LABELS = {
    VacancyStatus.OPEN: _l("Öppen"),
    VacancyStatus.CLOSED: _l("Stängd"),
}
#: Shown instead of the status when every position has a hire.
FILLED_LABEL = _l("Tillsatt")


def _licence_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Inget krav"))] + [
        SelectChoice(code, _l("Körkort %(code)s", code=code)) for code in LICENCE_CLASSES
    ]


class VacancyForm(FlaskForm):
    contract_id = SelectField(
        lazy_pgettext("ett avtal", "Avtal"),
        coerce=chosen_id,
        validators=[InputRequired(_l("Välj ett av era avtal."))],
    )
    title = StringField(
        _l("Rubrik"),
        validators=[
            DataRequired(_l("Ange en rubrik.")),
            Length(max=200, message=_l("Rubriken får vara högst %(max)d tecken.")),
        ],
    )
    occupation = StringField(
        _l("Yrke"),
        validators=[
            DataRequired(_l("Ange ett yrke.")),
            Length(max=200, message=_l("Yrket får vara högst %(max)d tecken.")),
        ],
    )
    required_skills = TextAreaField(_l("Kompetenser som krävs"))
    desired_skills = TextAreaField(_l("Meriterande kompetenser"))
    required_languages = TextAreaField(_l("Språkkrav"))
    driving_licence = SelectField(_l("Körkort"), choices=_licence_choices(), default="")
    locality = StringField(
        _l("Arbetsplatsens ort"),
        validators=[
            DataRequired(_l("Ange orten där arbetsplatsen ligger.")),
            Length(max=200, message=_l("Orten får vara högst %(max)d tecken.")),
        ],
    )
    #: The gazetteer id of the place chosen in the autocomplete (the text alone may be ambiguous).
    locality_id = HiddenField(validators=[Optional(), Length(max=20)])
    positions = LocalIntegerField(
        _l("Antal tjänster"),
        default=1,
        validators=[
            InputRequired(_l("Ange antalet tjänster.")),
            NumberRange(
                1, MAX_POSITIONS, _l("Antalet tjänster ska vara mellan %(min)s och %(max)s.")
            ),
        ],
    )
    start_date = LocalDateField(
        _l("Startdatum"), validators=[InputRequired(_l("Ange ett startdatum."))]
    )
    duration_months = LocalIntegerField(
        _l("Anställningens längd i månader"),
        validators=[
            Optional(),
            NumberRange(
                1, MAX_DURATION_MONTHS, _l("Längden ska vara mellan %(min)s och %(max)s månader.")
            ),
        ],
    )
    extent = SelectField(
        _l("Omfattning"),
        choices=[SelectChoice(e.value, label) for e, label in EXTENT_LABELS.items()],
        validators=[InputRequired(_l("Välj heltid eller deltid."))],
    )
    hours_per_week = LocalIntegerField(
        _l("Timmar per vecka"),
        default=MAX_HOURS_PER_WEEK,
        validators=[
            InputRequired(_l("Ange antalet timmar per vecka.")),
            NumberRange(
                1, MAX_HOURS_PER_WEEK, _l("Timmar per vecka ska vara mellan %(min)s och %(max)s.")
            ),
        ],
    )
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()],
        default=VacancyStatus.OPEN.value,
    )


def lines(text: str | None) -> list[str]:
    """The non-empty lines of a list field, in order, without repeats.

    Only lines separate items: taxonomy labels themselves hold commas.
    """
    return list(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))
