"""Forms for job seekers. The fields only carry text: `parsing.parse_candidate` checks them, so
the form and the CSV import accept and refuse exactly the same things."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget

from hansyn.tenants.candidates.models import LICENCE_CLASSES, WorkingTime
from hansyn.tenants.candidates.parsing import RawCandidate

WORKING_TIME_LABELS = {
    WorkingTime.EITHER: _l("Heltid eller deltid"),
    WorkingTime.FULL_TIME: _l("Heltid"),
    WorkingTime.PART_TIME: _l("Deltid"),
}


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CandidateForm(FlaskForm):
    reference = StringField(_l("Ärendereferens"))
    name = StringField(_l("Namn"))
    phone = TelField(_l("Telefon"))
    email = EmailField(_l("E-post"))
    programme = SelectField(_l("Program eller målgrupp"), validate_choice=False)
    skills = TextAreaField(_l("Kompetenser och yrken"))
    languages = TextAreaField(_l("Språk med nivå"))
    licences = CheckboxesField(
        _l("Körkort"), choices=[SelectChoice(c, c) for c in LICENCE_CLASSES], validate_choice=False
    )
    place = StringField(_l("Bostadsort"))
    place_id = HiddenField()
    max_commute_km = StringField(_l("Längsta pendling (km)"), render_kw={"inputmode": "numeric"})
    available_from = StringField(_l("Tillgänglig från"), render_kw={"type": "date"})
    working_time = SelectField(
        _l("Önskad arbetstid"),
        choices=[SelectChoice(value.value, label) for value, label in WORKING_TIME_LABELS.items()],
        validate_choice=False,
    )
    notes = TextAreaField(_l("Anteckningar"))
    consent = BooleanField(_l("Personen samtycker till att visas pseudonymiserad för leverantörer"))
    confirm_special = BooleanField(
        _l(
            "Jag bekräftar att de känsliga uppgifterna (GDPR art. 9) är nödvändiga för ärendet. "
            "De visas aldrig för leverantörer."
        )
    )

    def raw(self) -> RawCandidate:
        return RawCandidate(
            reference=self.reference.data or "",
            name=self.name.data or "",
            phone=self.phone.data or "",
            email=self.email.data or "",
            programme=self.programme.data or None,
            skills=(self.skills.data or "").splitlines(),
            languages=(self.languages.data or "").splitlines(),
            licences=list(self.licences.data or []),
            place=self.place.data or "",
            place_id=self.place_id.data or "",
            max_commute_km=self.max_commute_km.data or None,
            available_from=self.available_from.data or None,
            working_time=self.working_time.data or WorkingTime.EITHER.value,
            notes=self.notes.data or "",
            confirm_special=bool(self.confirm_special.data),
        )

    #: Operations name the programme by its id; the form's field is `programme`.
    error_fields = {"programme_id": "programme"}  # noqa: RUF012 (read only)


class StatusForm(FlaskForm):
    status = HiddenField()


class ConsentForm(FlaskForm):
    given = HiddenField()
    note = StringField(_l("Hur samtycket lämnades (valfritt)"))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV-fil"), validators=[FileRequired(_l("Välj en CSV-fil."))])
    confirm_special = BooleanField(
        _l(
            "Jag har granskat filen: känsliga uppgifter (GDPR art. 9) i namn, referenser och "
            "anteckningar är nödvändiga för ärendena."
        )
    )


class RetentionForm(FlaskForm):
    retention_months = StringField(
        _l("Gallringsfrist för avslutade (månader)"),
        validators=[DataRequired(_l("Ange antal månader."))],
    )


CLOSING_REASON_LABELS = {
    "employed": _l("Har fått arbete"),
    "studies": _l("Har börjat studera"),
    "other_support": _l("Får stöd någon annanstans"),
    "moved": _l("Har flyttat"),
    "declined": _l("Vill inte ha fortsatt stöd"),
    "no_contact": _l("Går inte att nå"),
    "other": _l("Annat skäl"),
}
#: GDPR art. 18(1) (a)–(d).
RESTRICTION_GROUND_LABELS = {
    "accuracy": _l("Personen bestrider att uppgifterna är riktiga (art. 18.1 a)"),
    "unlawful": _l(
        "Behandlingen är olaglig men personen vill inte att uppgifterna raderas (art. 18.1 b)"
    ),
    "legal_claims": _l("Personen behöver uppgifterna för ett rättsligt anspråk (art. 18.1 c)"),
    "objection": _l("Personen har invänt mot behandlingen; prövning pågår (art. 18.1 d)"),
}
#: GDPR art. 17(1) as it applies here.
ERASURE_GROUND_LABELS = {
    "not_necessary": _l("Uppgifterna behövs inte längre för ändamålet (art. 17.1 a)"),
    "consent_withdrawn": _l("Personen har återkallat sitt samtycke (art. 17.1 b)"),
    "objection": _l("Personen har invänt och det finns inga tyngre skäl (art. 17.1 c)"),
    "unlawful": _l("Uppgifterna har behandlats olagligt (art. 17.1 d)"),
    "legal_obligation": _l("Radering krävs enligt en rättslig förpliktelse (art. 17.1 e)"),
}


def _choices(labels: dict[str, object]) -> list[SelectChoice]:
    return [SelectChoice("", _l("Välj …")), *(SelectChoice(k, v) for k, v in labels.items())]


class CloseForm(FlaskForm):
    reason = SelectField(
        _l("Varför avslutas ärendet?"),
        choices=_choices(CLOSING_REASON_LABELS),
        validators=[DataRequired(_l("Välj ett skäl."))],
    )
    confirm = BooleanField(
        _l("Ja, avsluta. Personen visas inte längre för leverantörer."),
        validators=[DataRequired(_l("Bekräfta att ärendet ska avslutas."))],
    )


class RestrictForm(FlaskForm):
    ground = SelectField(
        _l("Grund för begränsningen"),
        choices=_choices(RESTRICTION_GROUND_LABELS),
        validators=[DataRequired(_l("Välj en grund."))],
    )
    confirm = BooleanField(
        _l("Ja, begränsa. Uppgifterna sparas men matchas inte och visas inte för leverantörer."),
        validators=[DataRequired(_l("Bekräfta begränsningen."))],
    )


class LiftRestrictionForm(FlaskForm):
    pass


class EraseForm(FlaskForm):
    ground = SelectField(
        _l("Grund för raderingen"),
        choices=_choices(ERASURE_GROUND_LABELS),
        validators=[DataRequired(_l("Välj en grund."))],
    )
    confirm = BooleanField(
        _l(
            "Ja, radera nu. Namn, kontaktuppgifter, referens, anteckningar, kompetenser och ort "
            "raderas och kan inte återställas; statistiken behåller sina totaler."
        ),
        validators=[DataRequired(_l("Bekräfta raderingen."))],
    )
