"""`hansyn demo` adds the demo job seekers once, however often it runs."""

from __future__ import annotations

from sqlalchemy import func, select

from hansyn.tenants.candidates import operations
from hansyn.tenants.candidates.demo import DEMO_CANDIDATES
from hansyn.tenants.candidates.models import Candidate


def test_demo_candidates_are_loaded_once(fresh_app):
    app = fresh_app(DEMO_PASSWORD="hansyn-demo-2026")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["demo"]).exit_code == 0
    databases = app.extensions["hansyn_databases"]
    for slug, rows in DEMO_CANDIDATES.items():
        references = {r[0] for r in rows}
        with app.app_context(), databases.tenant_session(slug) as session:
            # the statistics demo adds erased history, the placements demo its employees
            ours = select(func.count(Candidate.id)).where(Candidate.reference.in_(references))
            assert session.scalar(ours) == len(rows)
            visible = [
                c
                for c in session.scalars(operations.candidates_visible_to_suppliers(session))
                if c.reference in references
            ]
            expected = {r[0] for r in rows if r[9] == "active" and r[10]}
            assert {c.reference for c in visible} == expected
            profile = operations.matching_profile(visible[0])
            assert profile.location is not None
            assert profile.max_commute_km is not None
