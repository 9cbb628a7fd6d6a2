"""The follow-up pages: every contract and its clause's status for the municipality (sortable,
CSV), the same for a supplier's own contracts, and a page per contract with its rule in words."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from hansyn.tenants.contracts.models import ClauseType
from hansyn.tenants.contracts.operations import ClauseData
from tests.fixtures.platform import unique

BASE = "/alfa/placements"


@pytest.fixture
def admin(login):
    return login(alfa=["admin"])


def _contract(create_contract, **overrides):
    return create_contract("alfa", reference=unique("UPF-"), **overrides)


def test_the_follow_up_page_says_where_the_clause_stands_and_why(
    admin, create_contract, create_placement
):
    contract = _contract(create_contract)
    for _ in range(3):
        create_placement(contract_id=contract.id, candidate={"name": "Ella Uppföljd"})
    page = admin.get(f"{BASE}/contracts/{contract.id}")
    assert page.status_code == 200
    # three full-time years from 2026-02-01: 36 of 36 months by 2027-01-31
    assert "Enligt plan" in page.text
    assert "Planerade anställningar ger 36 av 36 heltidsmånader." in page.text
    assert "2027-01-31" in page.text
    assert "Ella Uppföljd" in page.text
    assert "minst 75 % av den avtalade tiden" in page.text
    assert "Senast 2026-07-01 ska minst en anställning ha påbörjats eller erbjudits." in page.text


def test_a_contract_with_too_few_planned_months_is_at_risk(
    admin, create_contract, create_placement
):
    contract = _contract(create_contract)
    create_placement(contract_id=contract.id, extent_percent=50)
    page = admin.get(f"{BASE}/contracts/{contract.id}")
    assert "Risk" in page.text
    assert "Planerade anställningar ger 6 av 36 heltidsmånader till avtalets slut; " in page.text
    assert "30 heltidsmånader saknas." in page.text


def test_a_dialogue_clause_is_followed_up_in_dialogue(admin, create_contract):
    contract = _contract(create_contract, clause=ClauseData(ClauseType.DIALOGUE))
    page = admin.get(f"{BASE}/contracts/{contract.id}")
    assert page.status_code == 200
    assert "Dialogkrav: följs upp i dialog" in page.text


def test_the_list_is_sortable_and_downloadable(admin, create_contract, create_placement):
    met = _contract(create_contract, clause=ClauseData(ClauseType.REQUIREMENT, full_time_months=6))
    create_placement(contract_id=met.id, planned_end=date(2026, 7, 31))
    missed = _contract(create_contract, start_date=date(2020, 1, 1), end_date=date(2099, 1, 1))
    page = admin.get(f"{BASE}/contracts?sort=status")
    assert page.status_code == 200
    text = page.text
    # worst first: "not met" above "met"
    assert text.index(missed.reference) < text.index(met.reference)
    descending = admin.get(f"{BASE}/contracts?sort=status&order=desc").text
    assert descending.index(met.reference) < descending.index(missed.reference)
    for key in (
        "reference",
        "title",
        "supplier",
        "end",
        "required",
        "delivered",
        "remaining",
        "met_on",
        "nonsense",
    ):
        assert admin.get(f"{BASE}/contracts?sort={key}").status_code == 200
    download = admin.get(f"{BASE}/contracts.csv?sort=reference")
    assert download.status_code == 200
    assert download.mimetype == "text/csv"
    assert "attachment" in download.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Diarienummer", "Avtal", "Leverantör"]
    by_reference = {row[0]: row for row in rows[1:]}
    assert by_reference[met.reference][6:10] == ["6", "6", "6", "0"]
    assert by_reference[met.reference][12] == "Uppfyllt"
    assert by_reference[met.reference][13] == "2026-07-31"
    assert by_reference[missed.reference][12] == "Ej uppfyllt"


def test_a_supplier_sees_only_its_own_contracts(login, create_contract, create_placement):
    own = create_placement()
    other = _contract(create_contract)
    client = login(alfa=[("supplier", own.supplier_id)])
    page = client.get(f"{BASE}/contracts")
    assert f"/alfa/placements/contracts/{own.contract_id}" in page.text
    assert other.reference not in page.text
    assert other.reference not in client.get(f"{BASE}/contracts.csv").text
    assert client.get(f"{BASE}/contracts/{other.id}").status_code == 404


def test_the_contract_list_in_english(admin, create_contract):
    contract = _contract(create_contract)
    admin.post_form("/language", {"language": "en", "next": "/"})
    page = admin.get(f"{BASE}/contracts")
    assert "Follow-up of employment requirements" in page.text
    assert contract.reference in page.text
    follow = admin.get(f"{BASE}/contracts/{contract.id}")
    # nobody was hired by the first-hire deadline (2026-07-01)
    assert "Not met" in follow.text
    assert "No employment was started or offered by 2026-07-01" in follow.text
    assert "36 full-time months" in follow.text
