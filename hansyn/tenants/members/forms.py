"""Forms of the admin's page of the municipality's people."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from hansyn.platform.forms import EmailAddress
from hansyn.platform.models import Role


def staff_role_choices() -> list[SelectChoice]:
    from hansyn.tenants.menu import ROLE_LABELS

    return [SelectChoice(role.value, ROLE_LABELS[role]) for role in (
        Role.ADMIN, Role.COORDINATOR, Role.ANALYST
    )]


class StaffInviteForm(FlaskForm):
    email = EmailField(
        _l("E-postadress"),
        validators=[DataRequired(_l("Ange personens e-postadress.")), EmailAddress()],
    )
    name = StringField(
        _l("Namn"), validators=[DataRequired(_l("Ange personens namn.")), Length(max=200)]
    )
    role = SelectField(_l("Roll"), validators=[DataRequired(_l("Välj en roll."))])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = staff_role_choices()


class RolesForm(FlaskForm):
    roles = SelectMultipleField(
        _l("Roller"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(_l("Välj minst en roll, eller ta bort personen från kommunen."))],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.roles.choices = staff_role_choices()
