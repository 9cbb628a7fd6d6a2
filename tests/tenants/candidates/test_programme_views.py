"""The tenant admin edits the programme catalogue; a programme in use is never deleted."""

from __future__ import annotations

from sqlalchemy import select

from hansyn.tenants.programmes.models import Programme
from tests.fixtures.platform import unique

BASE = "/alfa/programmes"


def by_name(session, name):
    session.rollback()
    return session.scalar(select(Programme).where(Programme.name == name))


def test_add_rename_deactivate_and_delete(login, read_db):
    admin = login(alfa=["admin"])
    assert admin.get(f"{BASE}/").status_code == 200
    name = unique("Yrkesintroduktion ")
    assert admin.post_form(f"{BASE}/", {"name": name}).status_code == 302
    session = read_db("alfa")
    programme = by_name(session, name)
    assert programme.active
    assert programme.code.startswith("yrkesintroduktion")

    assert (
        "Det finns redan ett program med det namnet."
        in admin.post_form(f"{BASE}/", {"name": name.upper()}).text
    )
    assert "Ange programmets namn." in admin.post_form(f"{BASE}/", {"name": " "}).text

    renamed = unique("Yrkesintro ")
    response = admin.post_form(f"{BASE}/{programme.id}/edit", {"name": renamed})
    assert response.status_code == 302
    assert by_name(session, renamed).id == programme.id

    admin.post_form(f"{BASE}/{programme.id}/active")
    assert not by_name(session, renamed).active
    admin.post_form(f"{BASE}/{programme.id}/active")
    assert by_name(session, renamed).active

    assert admin.post_form(f"{BASE}/{programme.id}/delete").status_code == 302
    assert by_name(session, renamed) is None


def test_a_programme_in_use_is_not_deleted(login, create_candidate, read_db):
    session = read_db("alfa")
    programme = Programme(code=unique("anv-"), name=unique("Använt program "), sort_order=500)
    with_programme = programme.name
    admin = login(alfa=["admin"])
    admin.post_form(f"{BASE}/", {"name": with_programme})
    programme = by_name(session, with_programme)
    create_candidate("alfa", programme=str(programme.id))
    response = admin.post_form(f"{BASE}/{programme.id}/delete", follow_redirects=True)
    assert "Programmet används och kan inte tas bort" in response.text
    assert by_name(session, with_programme) is not None

    admin.post_form(f"{BASE}/{programme.id}/active")  # deactivated: not offered for new ones
    coordinator = login(alfa=["coordinator"])
    assert with_programme not in coordinator.get("/alfa/candidates/new").text


def test_programme_pages_are_for_the_admin_only(login, read_db):
    coordinator = login(alfa=["coordinator"])
    programme_id = read_db("alfa").scalar(select(Programme.id).limit(1))
    assert coordinator.get(f"{BASE}/").status_code == 403
    assert coordinator.get(f"{BASE}/{programme_id}/edit").status_code == 403
    assert coordinator.post_form(f"{BASE}/{programme_id}/delete").status_code == 403


def test_unknown_programme_is_404(login):
    assert login(alfa=["admin"]).get(f"{BASE}/99999999/edit").status_code == 404
