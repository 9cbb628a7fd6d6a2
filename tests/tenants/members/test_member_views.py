"""The admin's page of the municipality's people: staff invitations, roles, removal and
deactivation, each audited, never the last admin, never another municipality's access."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hansyn.platform.models import Membership, Role, User
from hansyn.tenants.audit.models import AuditEvent
from tests.fixtures.mail import body
from tests.fixtures.members import new_staff_user
from tests.fixtures.platform import unique

BASE = "/alfa/users"
PASSWORD = "blåbärssoppa-vid-vasaloppet"


def roles_of(app, user_id: int) -> list[tuple[str, Role]]:
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.control_session() as session:
        rows = session.scalars(select(Membership).where(Membership.user_id == user_id))
        return sorted((m.tenant.slug, m.role) for m in rows)


def active(app, user_id: int) -> bool:
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.control_session() as session:
        return session.get(User, user_id).active


def audited(app, action: str, subject_type: str, subject_id: int) -> int:
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa") as session:
        return len(session.scalars(select(AuditEvent).where(
            AuditEvent.action == action, AuditEvent.subject_type == subject_type,
            AuditEvent.subject_id == subject_id,
        )).all())


@pytest.fixture
def admin(login):
    return login(alfa=["admin"])


def test_the_admin_invites_a_coordinator_who_accepts(admin, app, client, mailbox):
    email = f"{unique('handlaggare')}@kommun.example"
    response = admin.post_form(
        f"{BASE}/invite", {"email": email, "name": "Hanna Handläggare", "role": "coordinator"}
    )
    assert response.status_code == 302
    listing = admin.get(f"{BASE}/")
    assert email in listing.text  # pending
    link = re.search(r"http://hansyn\.test(/invitation/\S+)", body(mailbox.last_to(email)))
    assert "handläggare" in body(mailbox.last_to(email))
    done = client.post_form(
        link.group(1), {"name": "Hanna Handläggare", "new_password": PASSWORD, "confirm": PASSWORD}
    )
    assert done.status_code == 302
    assert client.get("/alfa/candidates/").status_code == 200
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.control_session() as session:
        user = session.scalar(select(User).where(User.email == email))
    assert roles_of(app, user.id) == [("alfa", Role.COORDINATOR)]


def test_the_invite_form_shows_every_mistake_at_once(admin):
    page = admin.post_form(f"{BASE}/invite", {"email": "fel", "name": "", "role": "kung"})
    assert page.status_code == 200
    assert "Ange en giltig e-postadress." in page.text
    assert "Ange personens namn." in page.text
    assert page.text.count('aria-invalid="true"') == 3
    assert "Det finns 3 fel i formuläret" in page.text


def test_the_admin_changes_roles_and_it_is_audited(admin, app):
    user_id = new_staff_user(app, "alfa", Role.COORDINATOR)
    form = admin.get(f"{BASE}/{user_id}/roles")
    assert form.status_code == 200
    response = admin.post_form(f"{BASE}/{user_id}/roles", {"roles": ["analyst", "coordinator"]})
    assert response.status_code == 302
    assert roles_of(app, user_id) == [("alfa", Role.ANALYST), ("alfa", Role.COORDINATOR)]
    admin.post_form(f"{BASE}/{user_id}/roles", {"roles": ["analyst"]})
    assert roles_of(app, user_id) == [("alfa", Role.ANALYST)]
    assert audited(app, "update", "user", user_id) == 2
    empty = admin.post_form(f"{BASE}/{user_id}/roles", {})
    assert "Välj minst en roll" in empty.text
    assert roles_of(app, user_id) == [("alfa", Role.ANALYST)]


def test_a_supplier_user_gets_no_staff_role_here(admin, app, create_user, create_supplier_row):
    supplier = create_supplier_row("alfa")
    user = create_user(alfa=[("supplier", supplier.id)])
    page = admin.post_form(f"{BASE}/{user.id}/roles", {"roles": ["coordinator"]})
    assert "En leverantörsanvändare kan inte få en personalroll" in page.text
    assert roles_of(app, user.id) == [("alfa", Role.SUPPLIER)]


def test_the_last_admin_is_never_removed(app, login, create_user):
    me = create_user(alfa=["admin"])
    admin = login(me)
    # Other tests add admins to alfa too; remove them so that `me` is the last one.
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.control_session(write=True) as session:
        others = session.scalars(select(Membership).join(Membership.tenant).where(
            Membership.role == Role.ADMIN, Membership.user_id != me.id,
        )).all()
        for membership in others:
            if membership.tenant.slug == "alfa":
                session.delete(membership)
    for url, data in (
        (f"{BASE}/{me.id}/roles", {"roles": ["coordinator"]}),
        (f"{BASE}/{me.id}/remove", {}),
        (f"{BASE}/{me.id}/deactivate", {}),
    ):
        page = admin.post_form(url, data, follow_redirects=True)
        assert "minst en administratör" in page.text, url
    assert roles_of(app, me.id) == [("alfa", Role.ADMIN)]
    assert active(app, me.id)
    second = create_user(alfa=["admin"])
    assert admin.post_form(f"{BASE}/{second.id}/remove").status_code == 302
    assert roles_of(app, second.id) == []


def test_removing_a_person_leaves_their_other_municipalities(admin, app, create_user, login):
    user = create_user(alfa=["coordinator", "analyst"], beta=["coordinator"])
    theirs = login(user)
    assert admin.post_form(f"{BASE}/{user.id}/remove").status_code == 302
    assert roles_of(app, user.id) == [("beta", Role.COORDINATOR)]
    assert audited(app, "revoke", "user", user.id) == 1
    assert theirs.get("/alfa/").status_code == 404
    assert theirs.get("/beta/").status_code == 200


def test_deactivating_is_only_for_people_of_this_municipality_alone(
    admin, app, create_user, login
):
    shared = create_user(alfa=["analyst"], beta=["analyst"])
    page = admin.post_form(f"{BASE}/{shared.id}/deactivate", follow_redirects=True)
    assert "bara plattformens driftansvariga kan stänga av hela kontot" in page.text
    assert active(app, shared.id)
    assert login(shared).get("/beta/").status_code == 200

    local = create_user(alfa=["coordinator"])
    session = login(local)
    assert admin.post_form(f"{BASE}/{local.id}/deactivate").status_code == 302
    assert not active(app, local.id)
    assert session.get("/alfa/").status_code == 302  # logged out at once
    assert audited(app, "deactivate", "user", local.id) == 1


def test_people_of_other_municipalities_are_not_found_here(admin, app):
    beta_user = new_staff_user(app, "beta", Role.COORDINATOR)
    assert admin.get(f"{BASE}/{beta_user}/roles").status_code == 404
    assert admin.post_form(f"{BASE}/{beta_user}/remove").status_code == 404
    assert admin.post_form(f"{BASE}/{beta_user}/deactivate").status_code == 404
    assert active(app, beta_user)


@pytest.mark.parametrize("role", ["coordinator", "analyst"])
def test_only_the_admin_opens_these_pages(login, app, role):
    user_id = new_staff_user(app, "alfa")
    client = login(alfa=[role])
    assert client.get(f"{BASE}/").status_code == 403
    assert client.get(f"{BASE}/{user_id}/roles").status_code == 403
    assert client.post_form(f"{BASE}/{user_id}/remove").status_code == 403


def test_the_people_page_pages_each_table_and_searches_names_and_addresses(
    login, create_user, create_supplier_with_contract
):
    prefix = unique("paged")
    staff = [create_user(f"{prefix}-{n:02}@example.se", alfa=["coordinator"]).id for n in range(52)]
    supplier_id = create_supplier_with_contract("alfa").supplier_id
    suppliers = [
        create_user(f"{prefix}-lev-{n}@example.se", alfa=[("supplier", supplier_id)]).id
        for n in range(2)
    ]
    admin = login(alfa=["admin"])

    def rows(page: str, heading: str) -> list[int]:
        table = page.split(f"<h2>{heading}</h2>", 1)[1].split("</table>", 1)[0]
        return [int(found) for found in re.findall(r"/alfa/users/(\d+)/remove", table)]

    first = admin.get(f"{BASE}/?q={prefix}")
    assert first.status_code == 200
    assert len(rows(first.text, "Personal")) == 50
    assert rows(first.text, "Leverantörsanvändare") == suppliers
    following = re.search(r'<a href="([^"]*personal=[^"]+)"[^>]*>Nästa sida', first.text)
    assert following is not None
    second = admin.get(following[1].replace("&amp;", "&"))
    shown = rows(first.text, "Personal") + rows(second.text, "Personal")
    assert sorted(shown) == staff
    assert rows(second.text, "Leverantörsanvändare") == suppliers  # its own cursor, unmoved

    one = admin.get(f"{BASE}/?q={prefix}-07@")
    assert rows(one.text, "Personal") == [staff[7]]
    assert rows(one.text, "Leverantörsanvändare") == []
