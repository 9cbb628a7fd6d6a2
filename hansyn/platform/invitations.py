"""Invitations: a role in a municipality offered by e-mail, granted only when accepted.

The inviter types an address, a name and the role; the person receives a single-use link valid for
`INVITATION_DAYS`. Opening it, they either create their account (no account has that address) or,
signed in as the account that has it, accept. The answer to the inviter is the same in both cases,
so an invitation never tells anyone whether, or under which name, an account exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from hansyn.errors import InvalidInput
from hansyn.platform import operations
from hansyn.platform.mail import Mail, localized_mail, send_mail
from hansyn.platform.models import Invitation, Membership, Role, Tenant, User, utcnow
from hansyn.platform.tokens import hash_token, new_token

INVITATION_DAYS = 7


@dataclass(frozen=True)
class Offer:
    """What an invitation offers: a role in a tenant (a supplier role names its supplier)."""

    tenant: Tenant
    role: Role
    supplier_id: int | None = None


@dataclass(frozen=True)
class SentInvitation:
    invitation: Invitation
    #: The token of the link; it exists only in the e-mail (and in this object).
    token: str


def _refuse_what_the_tenant_already_knows(session: Session, email: str, offer: Offer) -> None:
    """Refuse an offer that conflicts with the person's roles *in this tenant* — roles the
    tenant's admin already sees. Whether the address has an account elsewhere is never said."""
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        return
    held = operations.memberships_in(session, user.id, offer.tenant.id)
    operations.check_role_separation(session, user, offer.tenant, offer.role)
    if offer.role is Role.SUPPLIER:
        _refuse_second_supplier(held, email, offer)
    elif any(m.role is offer.role for m in held):
        raise InvalidInput(
            _l("%(email)s har redan den rollen i kommunen.", email=email), "email"
        )


def _refuse_second_supplier(held: list[Membership], email: str, offer: Offer) -> None:
    for membership in held:
        if membership.role is not Role.SUPPLIER:
            continue
        if membership.supplier_id == offer.supplier_id:
            message = _l("%(email)s är redan användare hos den här leverantören.", email=email)
        else:
            message = _l(
                "%(email)s är redan användare hos en annan leverantör i kommunen.", email=email
            )
        raise InvalidInput(message, "email")


def open_invitations(session: Session, tenant_id: int) -> list[Invitation]:
    return [
        invitation
        for invitation in session.scalars(
            select(Invitation)
            .where(
                Invitation.tenant_id == tenant_id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
            )
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
        if invitation.is_open(utcnow())
    ]


def invite(
    session: Session, offer: Offer, email: str, name: str, invited_by: int | None
) -> SentInvitation:
    """Store an invitation (the caller sends it with `mail_invitation`). A newer invitation of the
    same address to the same tenant replaces an open older one."""
    email, name = operations.validate_email(email), name.strip()
    if not name:
        raise InvalidInput(_l("Ange personens namn."), "name")
    if (offer.role is Role.SUPPLIER) != (offer.supplier_id is not None):
        raise InvalidInput(
            _l("En leverantörsanvändare måste kopplas till en leverantör."), "supplier"
        )
    _refuse_what_the_tenant_already_knows(session, email, offer)
    now = utcnow()
    for older in open_invitations(session, offer.tenant.id):
        if older.email == email:
            older.revoked_at = now
    token, token_hash = new_token()
    invitation = Invitation(
        token_hash=token_hash, email=email, name=name, tenant=offer.tenant,
        tenant_id=offer.tenant.id, role=offer.role, supplier_id=offer.supplier_id,
        invited_by_id=invited_by, created_at=now, expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    session.add(invitation)
    session.flush()
    return SentInvitation(invitation, token)


def external_url(endpoint: str, **values: object) -> str:
    """An absolute link for an e-mail: HANSYN_BASE_URL and the path, never the request's Host
    header (which a client chooses, and would let anyone send a reset link to their own site)."""
    base = current_app.config.get("BASE_URL")
    if base:
        return f"{base}{url_for(endpoint, **values, _external=False)}"
    return url_for(endpoint, **values, _external=True)


def mail_invitation(
    sent: SentInvitation,
    *,
    inviter: str,
    role_name: LazyString | str,
    supplier_name: str | None = None,
    locale: str | None = None,
) -> None:
    """Send the invitation's link in `locale`, or, when nobody knows the language of an address
    that may have no account (`locale` None), in Swedish and then in English in one message.
    Raises MailNotSentError when the SMTP server refuses."""
    invitation = sent.invitation
    context = {
        "invitation": invitation, "tenant": invitation.tenant.name, "inviter": inviter,
        "role": role_name, "supplier_name": supplier_name, "days": INVITATION_DAYS,
        "link": external_url("account.invitation", token=sent.token),
    }

    def written_in(language: str) -> Mail:
        return localized_mail(
            invitation.email, language, _l("Inbjudan till Hänsyn"), "mail/invitation.txt",
            **context,
        )

    if locale is not None:
        send_mail(written_in(locale))
        return
    swedish, english = written_in("sv"), written_in("en")
    send_mail(Mail(
        invitation.email,
        f"{swedish.subject} / {english.subject}",
        f"{swedish.body.rstrip()}\n\n-- In English --\n\n{english.body}",
    ))


def find_open_invitation(session: Session, token: str) -> Invitation | None:
    invitation = session.scalar(
        select(Invitation).where(Invitation.token_hash == hash_token(token))
    )
    if invitation is None or not invitation.is_open(utcnow()) or not invitation.tenant.active:
        return None
    return invitation


def account_for(session: Session, invitation: Invitation) -> User | None:
    return session.scalar(select(User).where(User.email == invitation.email))


def accept(session: Session, invitation: Invitation, user: User) -> Membership:
    """`user` (signed in, with the invitation's address) accepts: the role is granted now."""
    if user.email != invitation.email or not user.active:
        raise InvalidInput(_l("Inbjudan gäller en annan e-postadress."), "email")
    membership = operations.grant_membership(
        session, user, invitation.tenant, invitation.role, invitation.supplier_id
    )
    invitation.accepted_at, invitation.accepted_by_id = utcnow(), user.id
    session.flush()
    return membership


def accept_with_new_account(
    session: Session, invitation: Invitation, name: str, password: str, profile: str
) -> User:
    """Nobody has the invitation's address yet: its holder creates the account and accepts. The
    link came to that mailbox, so the address is proven; the password is the person's own."""
    user = operations.create_user(session, invitation.email, name, password, profile=profile)
    accept(session, invitation, user)
    return user


def revoke(invitation: Invitation) -> None:
    invitation.revoked_at = utcnow()
