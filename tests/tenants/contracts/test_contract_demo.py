"""The demo contracts: each demo municipality's supplier gets a contract, a second supplier gets
its own, and loading twice changes nothing. Loaded directly (not through `hansyn demo`), so that
other domains' demo data do not decide whether this passes."""

from __future__ import annotations

from sqlalchemy import func, select

from hansyn.migrations import upgrade_control
from hansyn.platform import operations as platform
from hansyn.platform.models import Role
from hansyn.tenants.audit.operations import SystemActor
from hansyn.tenants.contracts.demo import load_contracts_demo
from hansyn.tenants.contracts.models import ClauseType, Contract
from hansyn.tenants.demo import DEMO_SUPPLIERS
from hansyn.tenants.suppliers.models import Supplier
from hansyn.tenants.suppliers.operations import SupplierData, create_supplier

PASSWORD = "demo-lösenord-för-test"


def _load(app, slug: str) -> int:
    """Create the tenant and its first demo supplier, then load the demo contracts twice."""
    databases = app.extensions["hansyn_databases"]
    with app.app_context():
        upgrade_control(databases)
        with databases.control_session(write=True) as control:
            platform.create_tenant(control, databases, slug, slug.title(), "9990")
        with databases.tenant_session(slug, write=True) as session:
            supplier = create_supplier(session, SupplierData(*DEMO_SUPPLIERS[slug]), SystemActor())
            load_contracts_demo(session, slug, supplier.id)
        return supplier.id


def _state(app, slug: str):
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session(slug) as session:
        rows = sorted(session.execute(select(Contract.title, Supplier.name).join(Supplier)).all())
        suppliers = session.scalar(select(func.count(Supplier.id)))
        first = session.scalar(select(Contract).where(Contract.title == rows[0][0]))
        clause = first.clause
        groups = sorted(g.code for g in clause.target_groups)
        return rows, suppliers, (first.title, clause.total_months, clause.clause_type, groups)


def _reload(app, slug: str, supplier_id: int) -> None:
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session(slug, write=True) as session:
        load_contracts_demo(session, slug, supplier_id)


def test_goteborg_gets_the_hisingen_cleaning_contract_once(fresh_app):
    app = fresh_app()
    supplier_id = _load(app, "goteborg")
    rows, suppliers, clause = first = _state(app, "goteborg")
    assert ("Lokalvård skolor Hisingen", "Västkust Städ & Service AB") in rows
    assert len({supplier for _title, supplier in rows}) == 2
    assert suppliers == 2
    hisingen = ("Lokalvård skolor Hisingen", 36, ClauseType.REQUIREMENT)
    assert clause == (*hisingen, ["etablering", "forsorjningsstod", "jobbtorg"])
    _reload(app, "goteborg", supplier_id)
    assert _state(app, "goteborg") == first


def test_boras_gets_a_groundskeeping_contract_and_its_supplier_sees_only_its_own(fresh_app):
    app = fresh_app()
    supplier_id = _load(app, "boras")
    rows, suppliers, _clause = _state(app, "boras")
    assert any("grönytor" in title for title, _ in rows)
    assert suppliers == 2
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.control_session(write=True) as control:
        user = platform.create_user(control, "lev@boras.example", "Lev", PASSWORD, profile="fast")
        tenant = platform.get_tenant(control, "boras")
        platform.grant_membership(control, user, tenant, Role.SUPPLIER, supplier_id)
    from tests.fixtures.platform import HansynClient

    app.test_client_class = HansynClient
    client = app.test_client()
    login = {"email": "lev@boras.example", "password": PASSWORD}
    assert client.post_form("/login", login).status_code == 302
    page = client.get("/boras/contracts/")
    assert "grönytor" in page.text
    assert "Fastighetsskötsel förskolor" not in page.text
