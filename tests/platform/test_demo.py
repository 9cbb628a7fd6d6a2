"""`hansyn demo` creates the fixed demo users, and running it twice changes nothing; it leaves
each municipality's matching index saved, so a server started next ranks at once."""

from __future__ import annotations

from sqlalchemy import func, select

from hansyn.platform.models import Membership, Tenant, User
from hansyn.tenants.matches.index import _key, load_saved, saved_path
from tests.fixtures.platform import HansynClient


def test_demo_is_idempotent_and_demo_users_can_log_in(fresh_app):
    app = fresh_app(DEMO_PASSWORD="hansyn-demo-2026")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "DEMO ONLY" in first.output
    databases = app.extensions["hansyn_databases"]

    def counts() -> tuple[int, int, int]:
        with app.app_context(), databases.control_session() as session:
            return (
                session.scalar(select(func.count(Tenant.id))),
                session.scalar(select(func.count(User.id))),
                session.scalar(select(func.count(Membership.id))),
            )

    before = counts()
    assert before == (7, 8, 8)
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert counts() == before
    app.test_client_class = HansynClient
    for slug in ("goteborg", "boras"):
        for role in ("admin", "coordinator", "supplier", "analyst"):
            client = app.test_client()
            credentials = {"email": f"{role}@{slug}.example", "password": "hansyn-demo-2026"}
            response = client.post_form("/login", credentials)
            assert response.status_code == 302, (role, slug)
            assert client.get(f"/{slug}/").status_code == 200


def test_demo_saves_every_matching_index_a_new_process_loads(fresh_app):
    app = fresh_app(DEMO_PASSWORD="hansyn-demo-2026")
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Matching index of goteborg:" in result.output
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("goteborg") as session:
        saved = load_saved(saved_path(_key(session, "goteborg")))
    assert saved is not None
    assert len(saved.profiles) > 0
    assert len(saved.engine) == len(saved.profiles)
