"""Forms of the supplier pages; domain rules (organisationsnummer, uniqueness) are in operations."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TelField
from wtforms.validators import DataRequired, Length, Optional

from hansyn.platform.forms import Checked, EmailAddress
from hansyn.tenants.suppliers.operations import (
    check_contact_email,
    check_phone,
    normalise_org_number,
)


class SupplierForm(FlaskForm):
    name = StringField(
        _l("Leverantörens namn"),
        validators=[DataRequired(_l("Ange leverantörens namn.")), Length(max=200)],
    )
    org_number = StringField(
        _l("Organisationsnummer"),
        validators=[
            DataRequired(_l("Ange organisationsnumret.")), Length(max=20),
            Checked(normalise_org_number),
        ],
    )
    contact_name = StringField(_l("Kontaktperson"), validators=[Optional(), Length(max=200)])
    contact_email = EmailField(
        _l("Kontaktpersonens e-postadress"),
        validators=[Optional(), Length(max=254), Checked(check_contact_email)],
    )
    contact_phone = TelField(
        _l("Telefon"), validators=[Optional(), Length(max=40), Checked(check_phone)]
    )


class InviteForm(FlaskForm):
    email = EmailField(
        _l("E-postadress"),
        validators=[DataRequired(_l("Ange personens e-postadress.")), EmailAddress()],
    )
    name = StringField(
        _l("Namn"), validators=[DataRequired(_l("Ange personens namn.")), Length(max=200)]
    )


class ConfirmForm(FlaskForm):
    """A button that changes state: only the CSRF token."""
