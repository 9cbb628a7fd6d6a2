"""The follow-up pages: every contract and its clause's status for the municipality (sortable,
CSV), the same for a supplier's own contracts, and a page per contract with its rule in words."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date

import pytest

from hansyn.tenants.contracts.models import ClauseType
from hansyn.tenants.contracts.operations import ClauseData
from hansyn.tenants.suppliers.models import Supplier
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
    word = unique("Sorterbart")  # the session's other contracts could fill the first page
    met = _contract(
        create_contract,
        title=f"{word} uppfyllt",
        clause=ClauseData(ClauseType.REQUIREMENT, full_time_months=6),
    )
    create_placement(contract_id=met.id, planned_end=date(2026, 7, 31))
    missed = _contract(
        create_contract,
        title=f"{word} ej uppfyllt",
        start_date=date(2020, 1, 1),
        end_date=date(2099, 1, 1),
    )
    page = admin.get(f"{BASE}/contracts?sort=status&q={word}")
    assert page.status_code == 200
    text = page.text
    # worst first: "not met" above "met"
    assert text.index(missed.reference) < text.index(met.reference)
    descending = admin.get(f"{BASE}/contracts?sort=status&order=desc&q={word}").text
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
    page = admin.get(f"{BASE}/contracts?q={contract.reference}")
    assert "Follow-up of employment requirements" in page.text
    assert "Contract, reference number or supplier" in page.text
    assert contract.reference in page.text
    follow = admin.get(f"{BASE}/contracts/{contract.id}")
    # nobody was hired by the first-hire deadline (2026-07-01)
    assert "Not met" in follow.text
    assert "No employment was started or offered by 2026-07-01" in follow.text
    assert "36 full-time months" in follow.text


def _links(text: str) -> dict[str, str]:
    """The list's links by their text: "Nästa sida", "Första sidan", sort headers, CSV."""
    return {
        html.unescape(label): html.unescape(href)
        for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', text)
    }


def test_the_list_pages_50_contracts_at_a_time(admin, create_contract):
    word = unique("Sidindelat")
    made = [_contract(create_contract, title=f"{word} {n:02}") for n in range(52)]
    first = admin.get(f"{BASE}/contracts?sort=title&q={word}")
    assert first.status_code == 200
    assert first.text.count(f"{word} ") == 50
    assert f"{word} 00<" in first.text
    assert f"{word} 49<" in first.text
    following = _links(first.text)["Nästa sida"]
    assert f"q={word}" in following
    assert "sort=title" in following
    second = admin.get(following)
    assert second.text.count(f"{word} ") == 2
    assert f"{word} 50<" in second.text
    assert f"{word} 51<" in second.text
    assert "Nästa sida" not in second.text
    assert admin.get(_links(second.text)["Första sidan"]).text.count(f"{word} ") == 50
    # the download is the whole list, not a page
    download = admin.get(f"{BASE}/contracts.csv?sort=title&q={word}").text
    assert sum(contract.reference in download for contract in made) == 52


def test_the_list_is_searched_by_contract_reference_or_supplier_and_filtered_by_status(
    app, admin, create_contract, create_placement
):
    word = unique("Filtrerat")
    planned = _contract(create_contract, title=f"{word} planerat")
    for _ in range(3):
        create_placement(contract_id=planned.id)
    missed = _contract(create_contract, title=f"{word} missat")
    dialogue = _contract(
        create_contract, title=f"{word} dialog", clause=ClauseData(ClauseType.DIALOGUE)
    )

    def shown(query: str) -> set[str]:
        page = admin.get(f"{BASE}/contracts?{query}")
        assert page.status_code == 200
        return {c.reference for c in (planned, missed, dialogue) if c.reference in page.text}

    assert shown(f"q={word}") == {planned.reference, missed.reference, dialogue.reference}
    assert shown(f"q={word.upper()}") == shown(f"q={word}")  # in any case
    assert shown(f"q={missed.reference}") == {missed.reference}
    assert shown(f"q={word}&status=on_track") == {planned.reference}
    assert shown(f"q={word}&status=not_met") == {missed.reference}
    assert shown(f"q={word}&status=dialog") == {dialogue.reference}
    assert shown(f"q={word}&status=met") == set()
    assert shown(f"q={word}&status=nonsense") == shown(f"q={word}")  # an unknown filter: all
    with app.app_context(), app.extensions["hansyn_databases"].tenant_session("alfa") as session:
        supplier = session.get(Supplier, missed.supplier_id)
        assert supplier is not None
        by_supplier = admin.get(f"{BASE}/contracts", query_string={"q": supplier.name}).text
    assert missed.reference in by_supplier

    page = admin.get(f"{BASE}/contracts?q={word}&status=not_met")
    links = _links(page.text)
    # sorting and downloading keep the search and the filter
    assert f"q={word}" in links["Slutdatum"]
    assert "status=not_met" in links["Slutdatum"]
    download = admin.get(links["Ladda ner som CSV"]).text
    assert missed.reference in download
    assert planned.reference not in download
    nothing = admin.get(f"{BASE}/contracts?q=finns-inte-{word}")
    assert "Inget avtal matchar sökningen." in nothing.text
