"""The admin's supplier pages through the test client: registration, editing, supplier users."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hansyn.platform.models import Membership, Role, User
from hansyn.tenants.suppliers.models import Supplier
from tests.fixtures.platform import HansynClient, unique
from tests.fixtures.suppliers import make_org_number

BASE = "/alfa/suppliers"


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "name": unique("Städbolaget AB "),
        "org_number": make_org_number(),
        "contact_name": "Karin Kontakt",
        "contact_email": "karin@stadbolaget.example",
        "contact_phone": "031-123 45 67",
    }
    data.update(overrides)
    return data


def _alfa(app, query):
    """Run one query in a short session: a session held open would lock SQLite for the client."""
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa") as session:
        return session.scalars(query).all()


def _supplier(app, name: str) -> Supplier | None:
    found = _alfa(app, select(Supplier).where(Supplier.name == name))
    return found[0] if found else None


@pytest.fixture
def admin(login) -> HansynClient:
    return login(alfa=["admin"])


def test_admin_registers_a_supplier_after_fixing_the_org_number(admin, app):
    data = _form(org_number="556677-8898")
    page = admin.post_form(f"{BASE}/new", data)
    assert page.status_code == 200
    assert "Kontrollsiffran stämmer inte" in page.text
    assert _supplier(app, data["name"]) is None

    page = admin.post_form(f"{BASE}/new", {**data, "org_number": "12345"})
    assert "Organisationsnumret ska vara tio siffror" in page.text

    number = make_org_number()
    dashed = f"{number[:6]}-{number[6:]}"
    response = admin.post_form(f"{BASE}/new", {**data, "org_number": dashed})
    assert response.status_code == 302
    supplier = _supplier(app, data["name"])
    assert supplier is not None
    assert supplier.org_number == number
    assert (supplier.contact_name, supplier.contact_phone) == ("Karin Kontakt", "031-123 45 67")
    detail = admin.get(response.headers["Location"])
    assert dashed in detail.text
    assert data["name"] in admin.get(f"{BASE}/", query_string={"q": data["name"]}).text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Ange leverantörens namn."),
        ("name", "x" * 201, "Fältet får inte vara längre än 200 tecken."),
        ("contact_name", "x" * 201, "Fältet får inte vara längre än 200 tecken."),
        ("org_number", "", "Ange organisationsnumret."),
        ("org_number", "556677-88999", "Organisationsnumret ska vara tio siffror"),
        ("contact_email", "inte-en-adress", "Ange en giltig e-postadress."),
        ("contact_phone", "ring mig", "Ange telefonnumret med siffror"),
    ],
)
def test_each_wrong_field_gets_its_message(admin, app, field, value, message):
    data = _form(**{field: value})
    page = admin.post_form(f"{BASE}/new", data)
    assert page.status_code == 200
    assert message in page.text
    assert 'aria-invalid="true"' in page.text
    assert _supplier(app, data["name"]) is None


def test_org_number_is_unique_in_the_tenant_but_not_across_tenants(admin, login, app):
    number = make_org_number()
    assert admin.post_form(f"{BASE}/new", _form(org_number=number)).status_code == 302
    page = admin.post_form(f"{BASE}/new", _form(org_number=number))
    assert "Det finns redan en leverantör med organisationsnumret" in page.text
    beta_admin = login(beta=["admin"])
    assert beta_admin.post_form("/beta/suppliers/new", _form(org_number=number)).status_code == 302


def test_admin_edits_a_supplier(admin, create_supplier_row, app):
    supplier = create_supplier_row("alfa")
    form = admin.get(f"{BASE}/{supplier.id}/edit")
    assert f"{supplier.org_number[:6]}-{supplier.org_number[6:]}" in form.text
    other = create_supplier_row("alfa")
    taken = admin.post_form(f"{BASE}/{supplier.id}/edit", _form(org_number=other.org_number))
    assert "Det finns redan en leverantör" in taken.text
    new_name = unique("Nytt namn AB ")
    response = admin.post_form(
        f"{BASE}/{supplier.id}/edit", _form(name=new_name, org_number=supplier.org_number)
    )
    assert response.status_code == 302
    [saved] = _alfa(app, select(Supplier).where(Supplier.id == supplier.id))
    assert saved.name == new_name
    assert saved.org_number == supplier.org_number


def test_the_list_counts_each_suppliers_contracts(admin, create_supplier_row, create_contract):
    supplier = create_supplier_row("alfa", name=unique("Räknas AB "))
    create_contract("alfa", supplier_id=supplier.id)
    create_contract("alfa", supplier_id=supplier.id)
    page = admin.get(f"{BASE}/", query_string={"q": supplier.name})  # the list is paginated
    row = page.text[page.text.index(f">{supplier.name}</a>"):]
    row = row[: row.index("</tr>")]
    assert "<td>2</td>" in row


def test_unknown_supplier_is_404(admin):
    assert admin.get(f"{BASE}/999999").status_code == 404
    assert admin.get(f"{BASE}/999999/edit").status_code == 404


def _memberships(app, supplier_id: int) -> list[tuple[Membership, User]]:
    databases = app.extensions["hansyn_databases"]
    query = (
        select(Membership, User)
        .join(User)
        .where(Membership.role == Role.SUPPLIER, Membership.supplier_id == supplier_id)
    )
    with app.app_context(), databases.control_session() as session:
        return [tuple(row) for row in session.execute(query)]


def test_a_user_belongs_to_one_supplier_per_tenant(admin, create_user, create_supplier_row, app):
    first, second = create_supplier_row("alfa"), create_supplier_row("alfa")
    user = create_user(alfa=[("supplier", first.id)])
    page = admin.post_form(f"{BASE}/{second.id}/users", {"email": user.email, "name": "Dubbel"})
    assert "är redan användare hos en annan leverantör" in page.text
    again = admin.post_form(f"{BASE}/{first.id}/users", {"email": user.email, "name": "Dubbel"})
    assert "är redan användare hos den här leverantören" in again.text
    assert _memberships(app, second.id) == []


def test_the_supplier_form_shows_every_mistake_at_once(admin, app):
    data = _form(
        name="", org_number="556677-8898", contact_email="inte-en-adress",
        contact_phone="ring mig",
    )
    page = admin.post_form(f"{BASE}/new", data)
    assert page.status_code == 200
    for message in (
        "Ange leverantörens namn.",
        "Kontrollsiffran stämmer inte",
        "Ange en giltig e-postadress.",
        "Ange telefonnumret med siffror",
    ):
        assert message in page.text
    assert page.text.count('aria-invalid="true"') == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "name": "Namn"}, "Ange personens e-postadress."),
        ({"email": "a@example.se", "name": ""}, "Ange personens namn."),
        ({"email": "inte-en-adress", "name": "Namn"}, "Ange en giltig e-postadress."),
    ],
)
def test_invite_validation(admin, create_supplier_row, app, data, message):
    supplier = create_supplier_row("alfa")
    page = admin.post_form(f"{BASE}/{supplier.id}/users", data)
    assert page.status_code == 200
    assert message in page.text
    assert _memberships(app, supplier.id) == []


def test_removing_a_supplier_user_ends_their_access(
    admin, login, create_user, create_supplier_row, app
):
    supplier = create_supplier_row("alfa")
    user = create_user(alfa=[("supplier", supplier.id)], beta=["analyst"])
    supplier_client = login(user)
    assert supplier_client.get("/alfa/contracts/").status_code == 200
    [(membership, _user)] = _memberships(app, supplier.id)
    assert user.email in admin.get(f"{BASE}/{supplier.id}").text
    response = admin.post_form(f"{BASE}/{supplier.id}/users/{membership.id}/remove")
    assert response.status_code == 302
    assert _memberships(app, supplier.id) == []
    # Only the membership goes: the account and its role elsewhere stay, the session works.
    assert supplier_client.get("/alfa/contracts/").status_code == 404
    assert supplier_client.get("/beta/").status_code == 200


def test_a_membership_of_another_supplier_cannot_be_removed_through_this_one(
    admin, create_user, create_supplier_row, app
):
    mine, theirs = create_supplier_row("alfa"), create_supplier_row("alfa")
    create_user(alfa=[("supplier", theirs.id)])
    [(membership, _user)] = _memberships(app, theirs.id)
    response = admin.post_form(f"{BASE}/{mine.id}/users/{membership.id}/remove")
    assert response.status_code == 404
    assert len(_memberships(app, theirs.id)) == 1


@pytest.mark.parametrize("role", ["coordinator", "analyst"])
def test_admin_pages_are_forbidden_for_other_roles(login, create_supplier_row, role):
    supplier = create_supplier_row("alfa")
    client = login(alfa=[role])
    for url in (f"{BASE}/", f"{BASE}/new", f"{BASE}/{supplier.id}", f"{BASE}/{supplier.id}/edit"):
        assert client.get(url).status_code == 403, url
    assert client.post_form(f"{BASE}/new", _form()).status_code == 403
    invite = {"email": f"{unique('x')}@example.se", "name": "X"}
    assert client.post_form(f"{BASE}/{supplier.id}/users", invite).status_code == 403


def test_a_supplier_user_cannot_open_the_admin_pages(login, create_supplier_row):
    supplier = create_supplier_row("alfa")
    client = login(alfa=[("supplier", supplier.id)])
    assert client.get(f"{BASE}/").status_code == 403
    assert client.get(f"{BASE}/{supplier.id}").status_code == 403
