"""The one way a view refuses a form: undo what the request wrote, show every problem."""

from __future__ import annotations

from flask import get_flashed_messages
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import StringField

from hansyn.errors import InvalidInput, Problems
from hansyn.platform.forms import chosen_id, refuse
from hansyn.platform.request_db import commit_request, tenant_db
from hansyn.tenants.context import TenantContext
from hansyn.tenants.programmes.models import Programme
from tests.fixtures.platform import unique


class _Form(FlaskForm):
    name = StringField()
    code = StringField()


def _programmes_named(app, name: str) -> int:
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa") as session:
        return session.scalar(select(func.count()).where(Programme.name == name)) or 0


def test_refuse_undoes_the_requests_writes_and_attaches_every_problem(app):
    name = unique("Halvgjort program ")
    with app.test_request_context("/alfa/programmes/", method="POST"):
        from flask import g

        g.tenant = TenantContext(1, "alfa", "Alfa kommun", "9901")
        session = tenant_db()
        session.add(Programme(code=unique("p"), name=name, active=True, sort_order=1))
        session.flush()
        problems = Problems()
        for message, field in (("Fel namn.", "name"), ("Fel kod.", "code"), ("Allmänt fel.", None)):
            with problems.check():
                raise InvalidInput(message, field)
        form = _Form(meta={"csrf": False})
        try:
            problems.raise_any()
        except InvalidInput as error:
            refuse(form, error)
        commit_request(app.response_class(status=200))
        assert form.name.errors == ["Fel namn."]
        assert form.code.errors == ["Fel kod."]
        assert get_flashed_messages() == ["Allmänt fel."]
    assert _programmes_named(app, name) == 0


def test_a_chosen_id_beyond_32_bits_or_not_a_number_chooses_nothing():
    assert chosen_id("12") == 12
    assert chosen_id(str(2**31 - 1)) == 2**31 - 1
    assert chosen_id(str(2**31)) == 0
    assert chosen_id(str(2**63)) == 0
    assert chosen_id("-3") == 0
    assert chosen_id("tolv") == 0
