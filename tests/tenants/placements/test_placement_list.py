"""The placement list is paged (50 a page, newest first, keyset) and filtered by phase: it must
not grow with every hire a municipality ever recorded."""

from __future__ import annotations

import re
from datetime import date

from hansyn.tenants.placements import operations as ops
from hansyn.tenants.placements.models import EndReason
from tests.fixtures.placements import ACTOR, load_placement, new_placement

ROW_LINK = re.compile(r'href="/alfa/placements/(\d+)"')
NEXT = re.compile(r'<a href="([^"]+)"[^>]*>Nästa sida')


def _shown(page: str) -> list[int]:
    return [int(found) for found in ROW_LINK.findall(page)]


def test_the_list_pages_newest_first_and_filters_running_and_ended(
    app, databases, login, create_supplier_with_contract
):
    setup = create_supplier_with_contract("alfa")
    hires = [
        new_placement(app, "alfa", contract_id=setup.contract_id).placement_id for _ in range(52)
    ]
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        ended = load_placement(session, hires[0])
        ops.end_placement(session, ended, date(2026, 6, 30), EndReason.EMPLOYER_OTHER, ACTOR)
    supplier = login(alfa=[("supplier", setup.supplier_id)])

    first = supplier.get("/alfa/placements/")
    assert first.status_code == 200
    assert _shown(first.text) == sorted(hires, reverse=True)[:50]
    following = NEXT.search(first.text)
    assert following is not None
    second = supplier.get(following[1].replace("&amp;", "&"))
    assert _shown(second.text) == sorted(hires, reverse=True)[50:]
    assert NEXT.search(second.text) is None

    ended_only = supplier.get("/alfa/placements/?lage=avslutade")
    assert _shown(ended_only.text) == [hires[0]]
    running = supplier.get("/alfa/placements/?lage=pagaende")
    assert hires[0] not in _shown(running.text)
    assert len(_shown(running.text)) == 50
    assert 'value="pagaende" selected' in running.text
