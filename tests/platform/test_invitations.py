"""Invitations by e-mail: nothing is granted before the invited account accepts, the inviter never
learns whether an account exists, and nobody is staff and supplier in the same municipality."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from hansyn.platform.models import Invitation, Membership, Role, RoleConflictError, User
from tests.fixtures.mail import body
from tests.fixtures.members import new_invitation
from tests.fixtures.platform import unique

NEW_PASSWORD = "blåbärssoppa-vid-vasaloppet"


def invitation_path(mailbox, email: str) -> str:
    """The path of the link in the newest invitation e-mailed to `email`."""
    match = re.search(r"http://hansyn\.test(/invitation/\S+)", body(mailbox.last_to(email)))
    assert match, "no invitation link in the e-mail"
    return match.group(1)


def memberships(app, email: str) -> list[tuple[str, Role, int | None]]:
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.control_session() as session:
        rows = session.execute(
            select(Membership).join(User).where(User.email == email)
        ).scalars()
        return sorted((m.tenant.slug, m.role, m.supplier_id) for m in rows)


def invitations_to(app, email: str) -> list[Invitation]:
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.control_session() as session:
        return list(session.scalars(select(Invitation).where(Invitation.email == email)))


@pytest.fixture
def admin(login):
    return login(alfa=["admin"])


def test_a_new_person_accepts_by_choosing_a_strong_password(
    admin, app, client, mailbox, create_supplier_row, create_contract
):
    supplier = create_supplier_row("alfa")
    contract = create_contract("alfa", supplier_id=supplier.id)
    email = f"{unique('ny')}@stadbolaget.example"
    response = admin.post_form(
        f"/alfa/suppliers/{supplier.id}/users", {"email": email, "name": "Nora Ny"}
    )
    assert response.status_code == 302
    page = admin.get(response.headers["Location"])
    assert f"En inbjudan har skickats till {email}." in page.text
    assert memberships(app, email) == []  # nothing granted before acceptance
    message = mailbox.last_to(email)
    # nobody knows the language of an address without an account: Swedish, then English
    assert message["Subject"] == "Inbjudan till Hänsyn / Invitation to Hänsyn"
    text = body(message)
    assert supplier.name in text
    assert text.index("Öppna länken") < text.index("-- In English --") < text.index("Open the link")
    link = invitation_path(mailbox, email)

    form = client.get(link)
    assert form.status_code == 200
    assert 'value="Nora Ny"' in form.text
    weak = client.post_form(
        link, {"name": "Nora Ny", "new_password": "password123", "confirm": "password123"}
    )
    assert "minst 12 tecken" in weak.text
    common = client.post_form(
        link, {"name": "Nora Ny", "new_password": "password1234", "confirm": "password1234"}
    )
    assert "för lätt att gissa" in common.text
    assert memberships(app, email) == []
    done = client.post_form(
        link, {"name": "Nora Ny", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/alfa/")
    assert memberships(app, email) == [("alfa", Role.SUPPLIER, supplier.id)]
    assert contract.title in client.get("/alfa/contracts/").text
    # The link worked once.
    assert client.get(link).status_code == 404


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(
    admin, app, login, create_user, create_supplier_row, mailbox
):
    supplier = create_supplier_row("alfa")
    elsewhere = create_user(beta=["coordinator"])  # an account of another municipality
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.control_session(write=True) as session:
        session.execute(
            update(User).where(User.id == elsewhere.id).values(name="Hemlig Namnsson")
        )
    unknown = f"{unique('okand')}@example.se"
    answers = []
    for email in (elsewhere.email, unknown):
        response = admin.post_form(
            f"/alfa/suppliers/{supplier.id}/users", {"email": email, "name": "Vem Som Helst"},
            follow_redirects=True,
        )
        assert "Hemlig Namnsson" not in response.text  # the stored name is never shown
        assert "hade redan ett konto" not in response.text
        flashed = re.findall(r'<p class="flash[^>]*>([^<]*)</p>', response.text)
        answers.append([text.replace(email, "EMAIL") for text in flashed])
    assert answers[0] == answers[1] == ["En inbjudan har skickats till EMAIL."]
    # No access before the account itself accepts.
    assert memberships(app, elsewhere.email) == [("beta", Role.COORDINATOR, None)]
    link = invitation_path(mailbox, elsewhere.email)

    stranger = login(alfa=["analyst"])
    page = stranger.get(link)
    assert "Du är inloggad med ett annat konto" in page.text
    assert stranger.post_form(link).status_code == 200
    assert memberships(app, elsewhere.email) == [("beta", Role.COORDINATOR, None)]

    owner = login(elsewhere)
    assert "Ta emot inbjudan" in owner.get(link).text
    accepted = owner.post_form(link)
    assert accepted.status_code == 302
    assert sorted(memberships(app, elsewhere.email)) == [
        ("alfa", Role.SUPPLIER, supplier.id), ("beta", Role.COORDINATOR, None)
    ]


def test_an_existing_account_must_log_in_to_accept(app, client, create_user, mailbox):
    existing = create_user(beta=["analyst"])
    _id, token = new_invitation(app, "alfa", Role.ANALYST, email=existing.email)
    page = client.get(f"/invitation/{token}")
    assert page.status_code == 200
    assert "Logga in med ditt konto" in page.text
    assert 'name="new_password"' not in page.text  # no way to take the account over
    taken = client.post_form(
        f"/invitation/{token}",
        {"name": "X", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert taken.status_code == 200
    assert memberships(app, existing.email) == [("beta", Role.ANALYST, None)]


def test_staff_of_the_municipality_cannot_be_invited_as_a_supplier_user(
    admin, app, create_user, create_supplier_row, mailbox
):
    supplier = create_supplier_row("alfa")
    coordinator = create_user(alfa=["coordinator"])
    page = admin.post_form(
        f"/alfa/suppliers/{supplier.id}/users", {"email": coordinator.email, "name": "Kim"}
    )
    assert page.status_code == 200
    assert "har en personalroll i kommunen" in page.text
    assert invitations_to(app, coordinator.email) == []
    assert mailbox.to(coordinator.email) == []
    assert memberships(app, coordinator.email) == [("alfa", Role.COORDINATOR, None)]


def test_an_invitation_accepted_after_the_person_became_staff_is_refused(
    app, login, create_user, create_supplier_row
):
    supplier = create_supplier_row("alfa")
    person = create_user(beta=["analyst"])
    _id, token = new_invitation(app, "alfa", Role.SUPPLIER, supplier.id, email=person.email)
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.control_session(write=True) as session:
        from hansyn.platform import operations

        user = session.scalar(select(User).where(User.email == person.email))
        operations.grant_membership(session, user, operations.get_tenant(session, "alfa"),
                                    Role.COORDINATOR)
    client = login(person)
    page = client.post_form(f"/invitation/{token}", follow_redirects=True)
    assert "har en personalroll i kommunen" in page.text
    assert memberships(app, person.email) == [
        ("alfa", Role.COORDINATOR, None), ("beta", Role.ANALYST, None)
    ]


@pytest.mark.parametrize(("first", "then"), [("coordinator", "supplier"), ("supplier", "admin")])
def test_the_command_line_refuses_staff_and_supplier_together(
    app, create_user, create_supplier_row, first, then
):
    supplier = create_supplier_row("alfa")
    grant = (first, supplier.id) if first == "supplier" else first
    user = create_user(alfa=[grant])
    args = ["user", "grant", user.email, "--tenant", "alfa", "--role", then]
    if then == "supplier":
        args += ["--supplier", str(supplier.id)]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1
    assert "personalroll" in result.output
    assert [m[1].value for m in memberships(app, user.email)] == [first]


def test_the_control_plane_refuses_a_flush_that_mixes_the_roles(app, create_user, databases):
    """Whatever path a grant takes — even one written later that forgets the check."""
    user = create_user(alfa=["analyst"])
    with app.app_context(), databases.control_session(write=True) as session:
        tenant_id = session.scalar(
            select(Membership.tenant_id).where(Membership.user_id == user.id)
        )
        session.add(
            Membership(user_id=user.id, tenant_id=tenant_id, role=Role.SUPPLIER, supplier_id=1)
        )
        with pytest.raises(RoleConflictError):
            session.flush()
        session.rollback()
    assert memberships(app, user.email) == [("alfa", Role.ANALYST, None)]


def test_used_expired_and_revoked_links_open_nothing(admin, app, client):
    _id, expired = new_invitation(app, "alfa", expires_in=timedelta(seconds=-1))
    revoked_id, revoked = new_invitation(app, "alfa")
    assert admin.post_form(f"/alfa/users/invitations/{revoked_id}/revoke").status_code == 302
    for token in (expired, revoked, "not-a-token"):
        page = client.get(f"/invitation/{token}")
        assert page.status_code == 404
        assert "Inbjudan är redan använd, har återkallats eller har gått ut" in page.text
        data = {"name": "X", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        assert client.post_form(f"/invitation/{token}", data).status_code == 404


def test_the_invite_form_shows_every_mistake_at_once(admin, app, create_supplier_row):
    supplier = create_supplier_row("alfa")
    page = admin.post_form(
        f"/alfa/suppliers/{supplier.id}/users", {"email": "inte-en-adress", "name": ""}
    )
    assert "Ange en giltig e-postadress." in page.text
    assert "Ange personens namn." in page.text


def test_an_invitation_that_cannot_be_mailed_is_not_kept(
    admin, app, create_supplier_row, monkeypatch
):
    from tests.fixtures.mail import free_port

    supplier = create_supplier_row("alfa")
    monkeypatch.setitem(app.config, "SMTP_PORT", free_port())  # nobody listens there
    email = f"{unique('ingen')}@example.se"
    page = admin.post_form(f"/alfa/suppliers/{supplier.id}/users", {"email": email, "name": "I"})
    assert page.status_code == 200
    assert "E-posten kunde inte skickas" in page.text
    assert invitations_to(app, email) == []


def test_the_invitation_command_sends_a_link(app, mailbox):
    email = f"{unique('forsta')}@kommun.example"
    result = app.test_cli_runner().invoke(
        args=["user", "invite", email, "--name", "Första Admin", "--tenant", "alfa",
              "--role", "admin"]
    )
    assert result.exit_code == 0, result.output
    assert "administratör" in body(mailbox.last_to(email))
    assert invitation_path(mailbox, email).startswith("/invitation/")
    assert memberships(app, email) == []
