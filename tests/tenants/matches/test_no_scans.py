"""No match request scans the tenant's candidates, whatever their number: every statement a
supplier's ranked list, its JSON and the supplier's dashboard send is explained (EXPLAIN QUERY
PLAN on SQLite; EXPLAIN with sequential scans switched off on PostgreSQL, so that a plan only
scans a table when no index can serve the query) and must read the candidate tables through an
index condition. This holds also for the request right after a candidate changed, which brings
the process's index up to date."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select

from hansyn.tenants.audit.operations import SystemActor
from hansyn.tenants.candidates import operations as candidate_ops
from hansyn.tenants.candidates.models import Candidate
from tests.fixtures.vacancies import new_vacancy_row

#: The candidate tables: candidate, candidate_skill, candidate_consent, candidate_pseudonym, …
CANDIDATE_TABLE = re.compile(r"^candidate\w*$")
#: "SCAN t …" reads all of t; so does a bare "SEARCH t" (SQLite's label for max() without index).
SQLITE_STEP = re.compile(r"^(?P<kind>SCAN|SEARCH) (?P<table>\w+)(?P<rest>.*)$")
ACTOR = SystemActor(None, "handlaggare@example.se")


@contextmanager
def statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """The statements sent through `engine` while the block runs (one at a time, not batches)."""
    seen: list[tuple[str, Any]] = []

    def remember(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _ctx: Any, executemany: bool
    ) -> None:
        if not executemany:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", remember)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", remember)


def sqlite_scans(engine: Engine, statement: str, parameters: Any) -> list[str]:
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    steps = (SQLITE_STEP.match(row[-1]) for row in rows)
    return [
        step["table"]
        for step in steps
        if step
        and CANDIDATE_TABLE.match(step["table"])
        and (step["kind"] == "SCAN" or " USING " not in step["rest"])
    ]


def _postgres_nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _postgres_nodes(child)


def _postgres_scans_all(node: dict[str, Any]) -> bool:
    """A node that reads a whole table or a whole index."""
    kind = node["Node Type"]
    if kind == "Seq Scan":
        return True
    if kind in {"Index Scan", "Index Only Scan"}:
        return "Index Cond" not in node
    return kind == "Bitmap Heap Scan" and "Recheck Cond" not in node


def postgres_scans(engine: Engine, statement: str, parameters: Any) -> list[str]:
    with engine.connect() as connection:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        explained = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
        (plan,) = explained.scalar_one()  # psycopg decodes the JSON
        connection.rollback()
    return [
        node["Relation Name"]
        for node in _postgres_nodes(plan["Plan"])
        if CANDIDATE_TABLE.match(node.get("Relation Name", "")) and _postgres_scans_all(node)
    ]


def scans_of_candidates(engine: Engine, seen: list[tuple[str, Any]]) -> list[tuple[str, str]]:
    """(table, statement) for every statement whose plan scans a candidate table."""
    explain = postgres_scans if engine.dialect.name == "postgresql" else sqlite_scans
    found = []
    for statement, parameters in seen:
        if not statement.lstrip().upper().startswith(("SELECT", "WITH", "UPDATE", "DELETE")):
            continue
        found += [(table, statement) for table in explain(engine, statement, parameters)]
    return found


@pytest.fixture
def supplier_with_vacancy(app, login, create_supplier_with_contract, create_candidate):
    skill = "Plåtslageri"
    candidates = [create_candidate("alfa", consent=True, skills=[skill]) for _ in range(3)]
    setup = create_supplier_with_contract("alfa")
    vacancy = new_vacancy_row(app, "alfa", setup.contract_id, required_skills=[skill])
    client = login(alfa=[("supplier", setup.supplier_id)])
    return client, f"/alfa/vacancies/{setup.contract_id}/{vacancy}", candidates, setup.supplier_id


def _shown(app, databases, listed, supplier_id: int) -> set[int]:
    from hansyn.tenants.matches.pseudonyms import candidate_of

    with app.app_context(), databases.tenant_session("alfa") as session:
        return {candidate_of(session, supplier_id, c["pseudonym"]) for c in listed["candidates"]}


def test_match_requests_never_scan_candidates(app, databases, supplier_with_vacancy):
    client, base, candidates, supplier_id = supplier_with_vacancy
    engine = databases.tenant_engine("alfa")
    assert client.get(f"{base}/candidates").status_code == 200  # index and pseudonyms exist
    before = _shown(app, databases, client.get(f"{base}/candidates.json").get_json(), supplier_id)
    assert set(candidates) <= before
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        candidate = session.get(Candidate, candidates[0])
        candidate_ops.record_consent(session, candidate, False, ACTOR)  # the next one refreshes
    with statements(engine) as seen:
        page = client.get(f"{base}/candidates")
        listed = client.get(f"{base}/candidates.json")
        dashboard = client.get("/alfa/")
    assert (page.status_code, listed.status_code, dashboard.status_code) == (200, 200, 200)
    after = _shown(app, databases, listed.get_json(), supplier_id)
    assert candidates[0] not in after  # the withdrawn one left at once
    assert set(candidates[1:]) <= after
    assert any("candidate_change" in statement for statement, _ in seen)  # it did refresh
    assert scans_of_candidates(engine, seen) == []


def test_the_check_finds_a_scan(app, databases):
    """The check itself fails on what the old fingerprint did: max(updated_at) over all rows."""
    engine = databases.tenant_engine("alfa")
    with app.app_context(), statements(engine) as seen, engine.connect() as connection:
        connection.execute(select(func.max(Candidate.updated_at)))
    assert [table for table, _ in scans_of_candidates(engine, seen)] == ["candidate"]
