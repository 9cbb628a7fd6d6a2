"""Write logic for suppliers and their users. Functions take a session and only flush.

Supplier users live in the control plane (a user and a membership with the role `supplier` that
names the supplier's id in this tenant); the supplier itself lives in the tenant's database.
A person becomes a supplier user by accepting an invitation sent by e-mail
(`hansyn.platform.invitations`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from hansyn.errors import InvalidInput
from hansyn.platform import invitations
from hansyn.platform import operations as platform
from hansyn.platform.models import Invitation, Membership, Role, Tenant, User
from hansyn.platform.pagination import contains_text
from hansyn.tenants.audit.operations import Actor, record
from hansyn.tenants.luhn import luhn_valid
from hansyn.tenants.suppliers.models import Supplier

ORG_NUMBER_PATTERN = re.compile(r"^(\d{6})-?(\d{4})$")
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()-]{5,40}$")


def normalise_org_number(value: str) -> str:
    """Ten digits without the hyphen; accepts NNNNNNNNNN and NNNNNN-NNNN."""
    match = ORG_NUMBER_PATTERN.match(value.strip().replace(" ", ""))
    if not match:
        raise InvalidInput(
            _l("Organisationsnumret ska vara tio siffror, till exempel 556677-8899."), "org_number"
        )
    digits = match.group(1) + match.group(2)
    if not luhn_valid(digits):
        raise InvalidInput(
            _l("Kontrollsiffran stämmer inte – kontrollera organisationsnumret mot Bolagsverket."),
            "org_number",
        )
    return digits


def check_phone(phone: str) -> str:
    if not PHONE_PATTERN.match(phone.strip()):
        raise InvalidInput(
            _l("Ange telefonnumret med siffror, till exempel 031-123 45 67."), "contact_phone"
        )
    return phone.strip()


def check_contact_email(email: str) -> str:
    if not platform.EMAIL_PATTERN.match(email.strip()):
        raise InvalidInput(_l("Ange en giltig e-postadress."), "contact_email")
    return email.strip()


def format_org_number(digits: str) -> str:
    return f"{digits[:6]}-{digits[6:]}"


@dataclass(frozen=True)
class SupplierData:
    name: str
    org_number: str
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def _validated(session: Session, data: SupplierData, supplier: Supplier | None) -> SupplierData:
    name = (data.name or "").strip()
    if not name:
        raise InvalidInput(_l("Ange leverantörens namn."), "name")
    org_number = normalise_org_number(data.org_number or "")
    taken = session.scalar(select(Supplier).where(Supplier.org_number == org_number))
    if taken is not None and taken is not supplier:
        raise InvalidInput(
            _l(
                "Det finns redan en leverantör med organisationsnumret %(number)s.",
                number=format_org_number(org_number),
            ),
            "org_number",
        )
    email = _clean(data.contact_email)
    if email is not None and not platform.EMAIL_PATTERN.match(email):
        raise InvalidInput(_l("Ange en giltig e-postadress."), "contact_email")
    phone = _clean(data.contact_phone)
    if phone is not None:
        check_phone(phone)
    return SupplierData(name, org_number, _clean(data.contact_name), email, phone)


def _apply(supplier: Supplier, data: SupplierData) -> None:
    supplier.name, supplier.org_number = data.name, data.org_number
    supplier.contact_name, supplier.contact_email = data.contact_name, data.contact_email
    supplier.contact_phone = data.contact_phone


def create_supplier(session: Session, data: SupplierData, actor: Actor) -> Supplier:
    supplier = Supplier()
    _apply(supplier, _validated(session, data, None))
    session.add(supplier)
    session.flush()
    record(session, actor, "create", "supplier", supplier.id, "suppliers")
    return supplier


def update_supplier(
    session: Session, supplier: Supplier, data: SupplierData, actor: Actor
) -> Supplier:
    _apply(supplier, _validated(session, data, supplier))
    session.flush()
    record(session, actor, "update", "supplier", supplier.id, "suppliers")
    return supplier


def list_suppliers(session: Session) -> list[Supplier]:
    return list(session.scalars(select(Supplier).order_by(Supplier.name, Supplier.id)))


def search_suppliers(words: str = "") -> Select[tuple[Supplier]]:
    """Suppliers whose name, organisation number or contact contains `words` (all when empty)."""
    query = select(Supplier)
    if words:
        digits = "".join(ch for ch in words if ch.isdigit())
        found = [contains_text(Supplier.name, words), contains_text(Supplier.contact_name, words)]
        if digits:
            found.append(Supplier.org_number.contains(digits, autoescape=True))
        query = query.where(or_(*found))
    return query


def supplier_names(session: Session) -> dict[int, str]:
    return {row.id: row.name for row in session.execute(select(Supplier.id, Supplier.name))}


def get_supplier(session: Session, supplier_id: int) -> Supplier | None:
    return session.get(Supplier, supplier_id)


# Supplier users (control plane) ------------------------------------------------------------


def invite_supplier_user(
    control: Session,
    tenant_session: Session,
    tenant: Tenant,
    supplier: Supplier,
    email: str,
    name: str,
    actor: Actor,
) -> invitations.SentInvitation:
    """Invite a person to this supplier's pages. The role is granted only when the person accepts
    (creating an account, or signed in to the one they have), and the answer is the same whether
    the address has an account or not; staff of this municipality are refused (the control plane
    keeps a supplier's pseudonymised view and the real identities apart)."""
    offer = invitations.Offer(tenant, Role.SUPPLIER, supplier.id)
    sent = invitations.invite(control, offer, email, name, invited_by=actor.user_id)
    record(tenant_session, actor, "invite", "supplier", supplier.id, "suppliers")
    return sent


def supplier_invitations(control: Session, tenant_id: int, supplier_id: int) -> list[Invitation]:
    return [
        invitation
        for invitation in invitations.open_invitations(control, tenant_id)
        if invitation.supplier_id == supplier_id
    ]


def supplier_memberships(control: Session, tenant_id: int, supplier_id: int) -> list[Membership]:
    return list(
        control.scalars(
            select(Membership)
            .join(User)
            .where(
                Membership.tenant_id == tenant_id,
                Membership.role == Role.SUPPLIER,
                Membership.supplier_id == supplier_id,
            )
            .order_by(User.name, User.id)
        )
    )


def get_supplier_membership(
    control: Session, tenant_id: int, supplier_id: int, membership_id: int
) -> Membership | None:
    """A supplier membership, only if it belongs to this supplier of this tenant."""
    membership = control.get(Membership, membership_id)
    if membership is None or membership.tenant_id != tenant_id:
        return None
    if membership.role is not Role.SUPPLIER or membership.supplier_id != supplier_id:
        return None
    return membership


def remove_supplier_user(
    control: Session, tenant_session: Session, membership: Membership, actor: Actor
) -> None:
    """End a person's access to the supplier. Only this membership goes: the account, its other
    roles and its sessions elsewhere stay (the membership is checked on every request)."""
    supplier_id = membership.supplier_id
    control.delete(membership)
    control.flush()
    record(tenant_session, actor, "revoke", "supplier", supplier_id, "suppliers")
