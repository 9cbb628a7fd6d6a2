"""The municipality's people: staff roles granted, changed and removed by the tenant's admin,
invitations, and deactivating an account that belongs to this municipality only.

Memberships live in the control plane; every change is recorded in this tenant's audit trail.
Rules: nobody is staff and supplier in the same municipality (the control plane refuses it), the
last admin is never removed, and an admin of one municipality never locks a person out of another
one (removing their roles here is theirs to do; deactivating an account that other municipalities
use is the operator's).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from hansyn.errors import InvalidInput
from hansyn.platform import invitations
from hansyn.platform import operations as platform
from hansyn.platform.models import STAFF_ROLES, Invitation, Membership, Role, Tenant, User
from hansyn.platform.pagination import CURSOR_ARG, Page, contains_text, paginate
from hansyn.tenants.audit.operations import Actor, record

AUDIT_PURPOSE = "members"


@dataclass(frozen=True)
class Person:
    """A user and their roles in this municipality."""

    user: User
    roles: frozenset[Role]
    supplier_id: int | None

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)


def people_page(
    control: Session, tenant_id: int, *, staff: bool, words: str = "",
    cursor: str | None = None, cursor_arg: str = CURSOR_ARG,
) -> Page[Person]:
    """A page of the municipality's staff (`staff`), or of its supplier users who hold no staff
    role, by name; `words` narrows to names or e-mail addresses containing them."""
    members = select(Membership.user_id).where(Membership.tenant_id == tenant_id)
    staff_members = members.where(Membership.role.in_(STAFF_ROLES))
    query = select(User).where(
        User.id.in_(staff_members) if staff
        else and_(User.id.in_(members), User.id.not_in(staff_members))
    )
    if words:
        query = query.where(or_(contains_text(User.name, words), contains_text(User.email, words)))
    users = paginate(control, query, (User.name, User.id), cursor=cursor, cursor_arg=cursor_arg)
    grouped: dict[int, list[Membership]] = {user.id: [] for user in users.items}
    memberships = control.scalars(
        select(Membership).where(Membership.tenant_id == tenant_id,
                                 Membership.user_id.in_(grouped))
    )
    for membership in memberships:
        grouped[membership.user_id].append(membership)
    people = [_person(grouped[user.id]) for user in users.items]
    return Page(people, users.next_cursor, users.has_previous, cursor_arg)


def _person(memberships: list[Membership]) -> Person:
    return Person(
        memberships[0].user,
        frozenset(m.role for m in memberships),
        next((m.supplier_id for m in memberships if m.role is Role.SUPPLIER), None),
    )


def get_person(control: Session, tenant_id: int, user_id: int) -> Person | None:
    """A person only if they hold a role in this municipality."""
    found = platform.memberships_in(control, user_id, tenant_id)
    return _person(found) if found else None


def _admin_count(control: Session, tenant_id: int) -> int:
    query = select(func.count(Membership.id)).where(
        Membership.tenant_id == tenant_id, Membership.role == Role.ADMIN
    )
    return control.scalar(query) or 0


def _keep_an_admin(control: Session, tenant_id: int, person: Person, losing_admin: bool) -> None:
    if losing_admin and Role.ADMIN in person.roles and _admin_count(control, tenant_id) <= 1:
        raise InvalidInput(
            _l(
                "Kommunen måste ha minst en administratör. Ge någon annan rollen administratör "
                "först."
            ),
            "roles",
        )


def set_staff_roles(
    control: Session, tenant_session: Session, tenant: Tenant, person: Person,
    roles: set[Role], actor: Actor,
) -> None:
    """Give `person` exactly the staff roles `roles` in this municipality."""
    if not roles or not roles <= STAFF_ROLES:
        raise InvalidInput(
            _l("Välj minst en roll, eller ta bort personen från kommunen."), "roles"
        )
    if not person.is_staff:
        raise InvalidInput(
            _l(
                "En leverantörsanvändare kan inte få en personalroll. Ta först bort "
                "leverantörsrollen på leverantörens sida."
            ),
            "roles",
        )
    _keep_an_admin(control, tenant.id, person, losing_admin=Role.ADMIN not in roles)
    for membership in platform.memberships_in(control, person.user.id, tenant.id):
        if membership.role not in roles:
            control.delete(membership)
    control.flush()
    for role in roles - person.roles:
        platform.grant_membership(control, person.user, tenant, role)
    record(tenant_session, actor, "update", "user", person.user.id, AUDIT_PURPOSE)


def remove_from_tenant(
    control: Session, tenant_session: Session, tenant: Tenant, person: Person, actor: Actor
) -> None:
    """Every role of `person` in this municipality goes; their account and other municipalities
    stay. Their sessions need not end: the membership is checked on every request."""
    _keep_an_admin(control, tenant.id, person, losing_admin=True)
    for membership in platform.memberships_in(control, person.user.id, tenant.id):
        control.delete(membership)
    control.flush()
    record(tenant_session, actor, "revoke", "user", person.user.id, AUDIT_PURPOSE)


def deactivate(
    control: Session, tenant_session: Session, tenant: Tenant, person: Person, actor: Actor
) -> None:
    """Deactivate the account of someone who works only for this municipality."""
    elsewhere = control.scalar(
        select(func.count(Membership.id)).where(
            Membership.user_id == person.user.id, Membership.tenant_id != tenant.id
        )
    )
    if elsewhere or person.user.is_operator:
        raise InvalidInput(
            _l(
                "Personen har roller i fler kommuner än er. Ta bort rollerna här; bara "
                "plattformens driftansvariga kan stänga av hela kontot."
            ),
            None,
        )
    _keep_an_admin(control, tenant.id, person, losing_admin=True)
    platform.deactivate_user(person.user)
    control.flush()
    record(tenant_session, actor, "deactivate", "user", person.user.id, AUDIT_PURPOSE)


def invite_staff(
    control: Session, tenant_session: Session, tenant: Tenant, email: str, name: str,
    role: Role, actor: Actor,
) -> invitations.SentInvitation:
    if role not in STAFF_ROLES:
        raise InvalidInput(_l("Välj en roll."), "role")
    sent = invitations.invite(
        control, invitations.Offer(tenant, role), email, name, invited_by=actor.user_id
    )
    record(tenant_session, actor, "invite", "invitation", sent.invitation.id, AUDIT_PURPOSE)
    return sent


def get_open_invitation(control: Session, tenant_id: int, invitation_id: int) -> Invitation | None:
    invitation = control.get(Invitation, invitation_id)
    if invitation is None or invitation.tenant_id != tenant_id:
        return None
    return invitation if invitation in invitations.open_invitations(control, tenant_id) else None


def revoke_invitation(
    control: Session, tenant_session: Session, invitation: Invitation, actor: Actor
) -> None:
    invitations.revoke(invitation)
    control.flush()
    record(tenant_session, actor, "revoke", "invitation", invitation.id, AUDIT_PURPOSE)
