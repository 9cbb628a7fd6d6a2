"""The admin's lists of suppliers and contracts: search, one page at a time."""

from __future__ import annotations

import re

from hansyn.platform.pagination import PAGE_SIZE
from tests.fixtures.contracts import new_contract
from tests.fixtures.platform import unique
from tests.fixtures.suppliers import new_supplier

NEXT = re.compile(r'href="([^"]+)" rel="next"')


def test_suppliers_are_searched_by_name_and_paginated(app, login):
    word = unique("Ångström")
    made = {new_supplier(app, "alfa", f"{word} Bygg {i} AB") for i in range(PAGE_SIZE + 2)}
    other = new_supplier(app, "alfa", f"{unique('Annat')} AB")
    admin = login(alfa=["admin"])
    url, seen = f"/alfa/suppliers/?q={word.lower()}", set()
    while url:
        html = admin.get(url.replace("&amp;", "&")).text
        seen |= {int(i) for i in re.findall(r'href="/alfa/suppliers/(\d+)"', html)}
        following = NEXT.search(html)
        url = following[1] if following else ""
    assert seen == made
    assert other not in seen
    assert "Ingen leverantör matchar sökningen." in admin.get("/alfa/suppliers/?q=%25%25x").text


def test_contracts_are_searched_by_reference_or_title(app, login):
    title = unique("Snöröjning ")
    wanted = new_contract(app, "alfa", title=title)
    other = new_contract(app, "alfa")
    admin = login(alfa=["admin"])
    html = admin.get(f"/alfa/contracts/?q={title.lower()}").text
    assert f"/alfa/contracts/{wanted}" in html
    assert f"/alfa/contracts/{other}\"" not in html
