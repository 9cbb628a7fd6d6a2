"""Forms of matching: "ask to meet", a coordinator's proposal, moving a case, the case settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from hansyn.platform.forms import LocalDateField, LocalIntegerField, chosen_id
from hansyn.tenants.matches.models import MAX_ANSWER_DAYS, CaseState
from hansyn.tenants.matches.reasons import CHANNEL_LABELS
from hansyn.tenants.matches.workflow import MAX_TEXT


class MeetingForm(FlaskForm):
    pseudonym = HiddenField(validators=[DataRequired(), Length(max=16)])


class ProposeForm(FlaskForm):
    """Propose a candidate for a vacancy: from the candidate's page (the vacancy is chosen) or
    from the vacancy's ranking (both are given)."""

    candidate_id = HiddenField(validators=[DataRequired()])
    vacancy_id = SelectField(
        _l("Annons"), coerce=chosen_id, validate_choice=False,
        validators=[DataRequired(_l("Välj en annons."))],
    )
    message = TextAreaField(
        _l("Meddelande till den arbetssökande"), validators=[Length(max=MAX_TEXT)]
    )
    note = TextAreaField(
        _l("Anteckning för arbetsmarknadsenheten"), validators=[Length(max=MAX_TEXT)]
    )


class MoveForm(FlaskForm):
    """Move a case to one state. `for_target` removes the fields that state does not take."""

    consent_on = LocalDateField(
        _l("Datum för svaret"), validators=[InputRequired(_l("Ange datumet för svaret."))]
    )
    consent_channel = SelectField(
        _l("Hur svaret kom"),
        choices=[SelectChoice(c.value, str(label)) for c, label in CHANNEL_LABELS.items()],
        validators=[InputRequired(_l("Ange hur svaret kom."))],
    )
    interview_on = LocalDateField(
        _l("Intervjudatum"), validators=[InputRequired(_l("Ange intervjudatum."))]
    )
    reason = SelectField(_l("Skäl"), validators=[InputRequired(_l("Välj ett skäl ur listan."))])
    message = TextAreaField(
        _l("Meddelande till den arbetssökande"), validators=[Optional(), Length(max=MAX_TEXT)]
    )
    note = TextAreaField(
        _l("Anteckning för arbetsmarknadsenheten"), validators=[Optional(), Length(max=MAX_TEXT)]
    )
    confirm = BooleanField(
        _l("Jag förstår att detta inte kan ångras."),
        validators=[DataRequired(_l("Bekräfta att du vill göra detta."))],
    )

    def for_target(self, target: CaseState, *, confirm: bool) -> MoveForm:
        if target not in (CaseState.CONSENTED, CaseState.DECLINED):
            del self.consent_on
            del self.consent_channel
        if target is not CaseState.INTERVIEW:
            del self.interview_on
        if target not in (CaseState.REFUSED, CaseState.WITHDRAWN):
            del self.reason
        if not confirm:
            del self.confirm
        return self


class SettingsForm(FlaskForm):
    answer_days = LocalIntegerField(
        _l("Dagar utan svar innan ett ärende avslutas automatiskt"),
        validators=[
            InputRequired(_l("Ange ett antal dagar.")),
            NumberRange(1, MAX_ANSWER_DAYS, _l("Ange mellan %(min)s och %(max)s dagar.")),
        ],
    )
