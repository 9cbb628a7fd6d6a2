"""`hansyn demo` shows cases in every state of the workflow, once, with realistic people."""

from __future__ import annotations

from sqlalchemy import func, select

from hansyn.tenants.matches.models import Case, CaseState
from tests.fixtures.platform import HansynClient


def _login(app, email: str) -> HansynClient:
    app.test_client_class = HansynClient
    client: HansynClient = app.test_client()  # type: ignore[assignment]
    response = client.post_form("/login", {"email": email, "password": "hansyn-demo-2026"})
    assert response.status_code == 302
    return client


def test_the_demo_has_a_case_in_every_state(fresh_app):
    app = fresh_app(DEMO_PASSWORD="hansyn-demo-2026")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    databases = app.extensions["hansyn_databases"]

    def states() -> list[CaseState]:
        with app.app_context(), databases.tenant_session("goteborg") as session:
            return list(session.scalars(select(Case.state).order_by(Case.id)))

    first = states()
    # HIRED and OBSOLETE come with the placements domain's record_hire (not on main yet).
    assert set(first) >= set(CaseState) - {CaseState.HIRED, CaseState.OBSOLETE}
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert states() == first
    with app.app_context(), databases.tenant_session("boras") as session:
        assert session.scalar(select(func.count(Case.id))) >= 3

    coordinator = _login(app, "coordinator@goteborg.example")
    listing = coordinator.get("/goteborg/cases/?state=open").text
    assert "Leyla Karimi" in listing
    assert "Fråga om samtycke" in listing
    supplier = _login(app, "supplier@goteborg.example")
    own = supplier.get("/goteborg/cases/").text
    assert "Leyla Karimi" in own  # she consented for the Hisingen case
