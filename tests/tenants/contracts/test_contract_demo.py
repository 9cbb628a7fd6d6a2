"""`hansyn demo` gives each demo municipality two suppliers with a contract each, once."""

from __future__ import annotations

from sqlalchemy import func, select

from hansyn.tenants.contracts.models import ClauseType, Contract
from hansyn.tenants.suppliers.models import Supplier


def _contracts(app, slug):
    """(contract title, supplier name) rows, the supplier count, and the first contract's clause."""
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session(slug) as session:
        rows = sorted(session.execute(select(Contract.title, Supplier.name).join(Supplier)).all())
        suppliers = session.scalar(select(func.count(Supplier.id)))
        first = session.scalar(select(Contract).where(Contract.title == rows[0][0]))
        clause = first.clause
        groups = sorted(g.code for g in clause.target_groups)
        return rows, suppliers, (first.title, clause.total_months, clause.clause_type, groups)


def test_demo_contracts_are_loaded_once(fresh_app):
    app = fresh_app(DEMO_PASSWORD="hansyn-demo-2026")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    first = {slug: _contracts(app, slug) for slug in ("goteborg", "boras")}
    rows, suppliers, clause = first["goteborg"]
    assert ("Lokalvård skolor Hisingen", "Västkust Städ & Service AB") in rows
    assert len({supplier for _title, supplier in rows}) == 2
    assert suppliers == 2
    hisingen = ("Lokalvård skolor Hisingen", 36, ClauseType.REQUIREMENT)
    assert clause == (*hisingen, ["etablering", "forsorjningsstod", "jobbtorg"])
    assert any("grönytor" in title for title, _ in first["boras"][0])
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert {slug: _contracts(app, slug) for slug in ("goteborg", "boras")} == first


def test_the_demo_supplier_sees_only_its_own_contract(fresh_app):
    app = fresh_app(DEMO_PASSWORD="hansyn-demo-2026")
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    from tests.fixtures.platform import HansynClient

    app.test_client_class = HansynClient
    client = app.test_client()
    login = {"email": "supplier@goteborg.example", "password": "hansyn-demo-2026"}
    assert client.post_form("/login", login).status_code == 302
    page = client.get("/goteborg/contracts/")
    assert "Lokalvård skolor Hisingen" in page.text
    assert "Måltidsleveranser" not in page.text
