"""Forms of the statistics pages. Ranges are checked again in `settings.py`, where the rules
live; the forms turn what was typed into numbers."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from hansyn.platform.forms import LocalIntegerField


class LocalDecimalField(DecimalField):
    """Accepts a decimal comma ("31,42"), and says what is wrong in the page's language."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        text = str(valuelist[0]).strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
        if not text:
            self.data = None
            return
        try:
            self.data = Decimal(text)
        except InvalidOperation as error:
            self.data = None
            raise ValueError(str(_l("Ange ett tal, till exempel 31,42."))) from error


class PublishForm(FlaskForm):
    period = HiddenField(validators=[DataRequired()])
    digest = HiddenField(validators=[DataRequired()])


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Skäl"),
        validators=[DataRequired(_l("Ange varför versionen dras tillbaka.")), Length(max=500)],
    )


class SettingsForm(FlaskForm):
    min_count = LocalIntegerField(
        _l("Minsta antal som visas (k)"), validators=[InputRequired(_l("Ange ett heltal."))]
    )
    procurement_target_percent = LocalIntegerField(
        _l("Mål för andelen tjänsteupphandlingar med sysselsättningskrav (procent)"),
        validators=[InputRequired(_l("Ange ett heltal."))],
    )
    population = LocalIntegerField(_l("Folkmängd"), validators=[Optional()])
    population_year = LocalIntegerField(_l("Folkmängden gäller den 31 december år"),
                                        validators=[Optional()])


def _amount(label: Any) -> LocalIntegerField:
    return LocalIntegerField(label, validators=[InputRequired(_l("Ange ett belopp i kronor."))])


def _rate(label: Any) -> LocalDecimalField:
    return LocalDecimalField(label, places=2,
                             validators=[InputRequired(_l("Ange en procentsats."))])


class EstimateForm(FlaskForm):
    monthly_wage = _amount(_l("Bruttolön per heltidsmånad (kronor)"))
    employer_contribution_percent = _rate(_l("Arbetsgivaravgifter (procent av lönen)"))
    municipal_tax_percent = _rate(_l("Kommunal inkomstskatt (procent)"))
    regional_tax_percent = _rate(_l("Regional inkomstskatt (procent)"))
    municipal_benefit_per_month = _amount(
        _l("Försörjningsstöd som inte längre betalas, per månad (kronor)"))
    state_benefit_per_month = _amount(
        _l("Statlig ersättning som inte längre betalas, per månad (kronor)"))
    wage_subsidy_per_month = _amount(_l("Anställningsstöd som staten betalar, per månad (kronor)"))
    tax_credit_per_month = _amount(_l("Jobbskatteavdrag, per månad (kronor)"))
