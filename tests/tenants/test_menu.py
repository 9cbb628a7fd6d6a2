"""The tenant menu is kept per process once built: it must still be each member's own — their
roles, their municipality's links and their language."""

from __future__ import annotations

import re

NAV = re.compile(r'<nav class="tenant-nav".*?</nav>', re.S)


def _menu(client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200
    found = NAV.search(page.text)
    assert found is not None
    return found[0]


def test_each_role_tenant_and_language_gets_its_own_menu(login, create_supplier_with_contract):
    admin = login(alfa=["admin"], beta=["admin"])
    supplier = login(alfa=[("supplier", create_supplier_with_contract("alfa").supplier_id)])

    admin_alfa = _menu(admin, "/alfa/")
    assert 'href="/alfa/suppliers/"' in admin_alfa
    assert "Registerutdrag" in admin_alfa
    supplier_alfa = _menu(supplier, "/alfa/")  # after the admin's menu was kept
    assert "Registerutdrag" not in supplier_alfa
    assert "/suppliers/" not in supplier_alfa
    assert 'href="/alfa/contracts/"' in supplier_alfa

    admin_beta = _menu(admin, "/beta/")
    assert 'href="/beta/suppliers/"' in admin_beta
    assert 'href="/alfa/' not in admin_beta

    admin.post_form("/language", {"language": "en", "next": "/alfa/"})
    english = _menu(admin, "/alfa/")
    assert "Suppliers" in english
    assert "Leverantörer" not in english
    assert "Avtal" in _menu(supplier, "/alfa/")  # the other member's language is unchanged
