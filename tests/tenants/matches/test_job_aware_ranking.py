"""Ranking that knows the job, through the real pages: the contract's target groups, the working
time, the start date against the candidate's availability, and what suppliers are told of it.

Candidates are registered through the coordinator's form; the vacancy's ranking is read from the
municipality's page (names) and the supplier's list and JSON (pseudonyms).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction
from typing import Any

import pytest
from sqlalchemy import select

from hansyn.tenants.candidates.models import Candidate
from hansyn.tenants.contracts import followup
from hansyn.tenants.contracts.models import ClauseType, Contract
from hansyn.tenants.contracts.operations import ClauseData
from hansyn.tenants.matches.models import CandidatePseudonym
from hansyn.tenants.placements.operations import clause_terms
from hansyn.tenants.vacancies.models import Extent
from tests.fixtures.candidates import free_skill, programme_id
from tests.fixtures.platform import unique

START = date(2027, 2, 1)


@pytest.fixture
def coordinator(login: Any) -> Any:
    return login(alfa=["coordinator"])


def register(coordinator: Any, session: Any, skill: str, **fields: str) -> int:
    """A candidate registered through the coordinator's form, with consent; their id."""
    data = {
        "reference": unique("AME-"),
        "name": unique("Kandidat "),
        "phone": "070-123 45 67",
        "email": f"{unique('k')}@example.se",
        "programme": str(programme_id(session, "jobbtorg")),
        "skills": f"Städning\n{skill}",
        "languages": "svenska B1",
        "place": "Angered",
        "place_id": "",
        "max_commute_km": "",
        "available_from": "",
        "working_time": "either",
        "notes": "",
        "consent": "y",
    }
    data.update(fields)
    response = coordinator.post_form("/alfa/candidates/new", data)
    assert response.status_code == 302, response.text
    session.rollback()
    found = session.scalar(select(Candidate.id).where(Candidate.reference == data["reference"]))
    assert found is not None
    return int(found)


def staff_ranking(coordinator: Any, contract_id: int, vacancy_id: int) -> str:
    page = coordinator.get(f"/alfa/vacancies/{contract_id}/{vacancy_id}/ranking")
    assert page.status_code == 200
    return str(page.text)


def names(session: Any, *ids: int) -> dict[int, str]:
    session.rollback()
    rows = session.execute(select(Candidate.id, Candidate.name).where(Candidate.id.in_(ids)))
    return {row[0]: row[1] for row in rows}


def pseudonym(session: Any, candidate_id: int, supplier_id: int) -> str | None:
    session.rollback()
    return session.scalar(
        select(CandidatePseudonym.pseudonym).where(
            CandidatePseudonym.candidate_id == candidate_id,
            CandidatePseudonym.supplier_id == supplier_id,
        )
    )


def test_a_clause_with_target_groups_ranks_only_those_groups(
    login, coordinator, read_db, create_supplier_with_contract, create_vacancy_row
):
    session = read_db("alfa")
    etablering = programme_id(session, "etablering")
    clause = ClauseData(
        ClauseType.REQUIREMENT, persons=2, months_per_person=12, target_group_ids=[etablering]
    )
    setup = create_supplier_with_contract("alfa", clause=clause)
    skill = free_skill()
    vacancy = create_vacancy_row("alfa", setup.contract_id, required_skills=[skill])
    inside = register(coordinator, session, skill, programme=str(etablering))
    outside = register(coordinator, session, skill)
    who = names(session, inside, outside)

    page = staff_ranking(coordinator, setup.contract_id, vacancy)
    assert who[inside] in page
    assert who[outside] not in page
    assert "Målgrupp: Etableringsprogrammet" in page  # staff may see which one

    # the follow-up counts a hire of the ranked candidate for the clause, not of the other one
    session.rollback()
    contract = session.get(Contract, setup.contract_id)
    assert contract is not None
    assert contract.clause is not None
    terms = clause_terms(contract, contract.clause)
    for candidate_id, counted in ((inside, True), (outside, False)):
        candidate = session.get(Candidate, candidate_id)
        assert candidate is not None
        hire = followup.Employment(START, None, Fraction(1), target_group=candidate.programme_id)
        assert followup.counts_for(terms, hire) is counted

    supplier = login(alfa=[("supplier", setup.supplier_id)])
    base = f"/alfa/vacancies/{setup.contract_id}/{vacancy}"
    listing = supplier.get(f"{base}/candidates.json")
    ours = {c["pseudonym"]: c for c in listing.get_json()["candidates"]}
    shown = pseudonym(session, inside, setup.supplier_id)
    assert shown in ours
    assert pseudonym(session, outside, setup.supplier_id) is None
    neutral = {"reason": "target_group", "text": "Tillhör avtalets målgrupper"}
    assert neutral in ours[shown]["reasons"]
    html = supplier.get(f"{base}/candidates").text
    assert "Tillhör avtalets målgrupper" in html
    for page_text in (listing.text, html):  # which group is never said to a supplier
        assert "Etableringsprogrammet" not in page_text
        assert "etablering" not in page_text.lower()


def test_a_clause_without_target_groups_ranks_every_group(
    coordinator, read_db, create_supplier_with_contract, create_vacancy_row
):
    session = read_db("alfa")
    setup = create_supplier_with_contract("alfa")  # the fixture's clause names no target group
    skill = free_skill()
    vacancy = create_vacancy_row("alfa", setup.contract_id, required_skills=[skill])
    ids = [
        register(coordinator, session, skill, programme=str(programme_id(session, code)))
        for code in ("etablering", "jobbtorg")
    ]
    page = staff_ranking(coordinator, setup.contract_id, vacancy)
    assert all(name in page for name in names(session, *ids).values())
    assert "Målgrupp:" not in page


def test_working_time_must_allow_the_vacancy_hours(
    coordinator, read_db, create_supplier_with_contract, create_vacancy_row
):
    session = read_db("alfa")
    setup = create_supplier_with_contract("alfa")
    skill = free_skill()
    full = create_vacancy_row(
        "alfa",
        setup.contract_id,
        required_skills=[skill],
        extent=Extent.FULL_TIME,
        hours_per_week=38,
    )
    part = create_vacancy_row(
        "alfa",
        setup.contract_id,
        required_skills=[skill],
        extent=Extent.PART_TIME,
        hours_per_week=20,
    )
    part_only = register(coordinator, session, skill, working_time="part_time")
    full_only = register(coordinator, session, skill, working_time="full_time")
    either = register(coordinator, session, skill, working_time="either")
    who = names(session, part_only, full_only, either)

    full_page = staff_ranking(coordinator, setup.contract_id, full)
    assert who[part_only] not in full_page  # 38 hours a week full time is no part-time job
    assert who[full_only] in full_page
    assert who[either] in full_page
    part_page = staff_ranking(coordinator, setup.contract_id, part)
    assert who[full_only] not in part_page
    assert who[part_only] in part_page
    assert who[either] in part_page
    assert "Arbetstiden passar" in part_page  # said for those whose working time is known


def test_a_later_start_ranks_lower_and_says_how_much_later(
    login, coordinator, read_db, create_supplier_with_contract, create_vacancy_row
):
    session = read_db("alfa")
    setup = create_supplier_with_contract("alfa")
    skill = free_skill()
    vacancy = create_vacancy_row(
        "alfa", setup.contract_id, required_skills=[skill], start_date=START
    )
    late = register(coordinator, session, skill, available_from="2027-03-03")
    ready = register(coordinator, session, skill, available_from="2027-01-10")
    supplier = login(alfa=[("supplier", setup.supplier_id)])
    got = supplier.get(f"/alfa/vacancies/{setup.contract_id}/{vacancy}/candidates.json")
    mine = {pseudonym(session, i, setup.supplier_id) for i in (late, ready)}
    ranked = [c for c in got.get_json()["candidates"] if c["pseudonym"] in mine]
    assert [c["pseudonym"] for c in ranked] == [
        pseudonym(session, ready, setup.supplier_id),
        pseudonym(session, late, setup.supplier_id),
    ]
    assert ranked[0]["score"] > ranked[1]["score"]
    assert {"reason": "available", "text": "Kan börja i tid"} in ranked[0]["reasons"]
    assert {"reason": "available", "text": "Kan börja 30 dagar efter startdagen"} in ranked[1][
        "reasons"
    ]


def test_equal_candidates_are_ranked_longest_registered_first(
    app, coordinator, read_db, create_supplier_with_contract, create_vacancy_row
):
    session = read_db("alfa")
    setup = create_supplier_with_contract("alfa")
    skill = free_skill()
    vacancy = create_vacancy_row("alfa", setup.contract_id, required_skills=[skill])
    newer, older = (register(coordinator, session, skill) for _ in range(2))
    who = names(session, newer, older)
    page = staff_ranking(coordinator, setup.contract_id, vacancy)
    assert page.index(who[newer]) < page.index(who[older])  # same minute: by id
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa", write=True) as write:
        candidate = write.get(Candidate, older)
        assert candidate is not None
        # registered long ago (an import of an earlier register keeps its date)
        candidate.created_at = datetime(2024, 5, 2, 9, 0, tzinfo=UTC)
        candidate.updated_at = datetime.now(UTC)
    page = staff_ranking(coordinator, setup.contract_id, vacancy)
    assert page.index(who[older]) < page.index(who[newer])
