"""`hansyn demo` shows placements running and ended, and clauses on track, at risk, met and not
met; running it twice changes nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from hansyn.tenants.candidates.models import Candidate
from hansyn.tenants.contracts.operations import list_contracts
from hansyn.tenants.matches.models import Case, CaseState
from hansyn.tenants.placements.demo import DEMO_VACANCIES
from hansyn.tenants.placements.models import PeriodicReport, Placement, ReportState
from hansyn.tenants.placements.operations import contract_follow_ups


def _state(app) -> dict[str, object]:
    databases = app.extensions["hansyn_databases"]
    found: dict[str, object] = {"statuses": set(), "ended": 0}
    with app.test_request_context():
        for slug in ("goteborg", "boras"):
            with databases.tenant_session(slug) as session:
                contracts = list_contracts(session)
                results = contract_follow_ups(session, contracts, date.today())
                found["statuses"] |= {r.status.value for r in results.values()}  # type: ignore[operator]
                # the cases demo hires one of its own too
                refs = [h.reference for v in DEMO_VACANCIES.get(slug, ()) for h in v.hires]
                ours = select(func.count(Placement.id)).join(Candidate)
                found[f"{slug} placements"] = session.scalar(
                    ours.where(Candidate.reference.in_(refs))
                )
                ended = select(func.count(Placement.id)).where(Placement.ended_on < date.today())
                found["ended"] += session.scalar(ended) or 0  # type: ignore[operator]
                found[f"{slug} reports"] = sorted(
                    (r.year, r.quarter, r.state) for r in session.scalars(select(PeriodicReport))
                )
                found[f"{slug} offered"] = session.scalar(
                    select(func.count(Case.id)).where(Case.state == CaseState.OFFERED)
                )
                found[f"{slug} hired"] = session.scalar(
                    select(func.count(Case.id)).where(Case.state == CaseState.HIRED)
                )
    return found


def test_the_demo_shows_every_status_and_loads_once(fresh_app):
    app = fresh_app(DEMO_PASSWORD="hansyn-demo-2026")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    state = _state(app)
    assert state["statuses"] == {"on_track", "at_risk", "met", "not_met"}
    assert state["goteborg placements"] == 7
    assert state["boras placements"] == 2
    assert state["goteborg hired"] >= 7
    assert state["ended"] >= 4
    assert state["goteborg offered"] >= 1  # waiting for its hire to be recorded
    assert state["goteborg reports"] == [
        (2026, 2, ReportState.APPROVED),
        (2026, 3, ReportState.SUBMITTED),
    ]
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    assert _state(app) == state
