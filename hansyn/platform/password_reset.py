"""Forgotten passwords: a single-use link, valid for `RESET_MINUTES`, sent by e-mail.

Whoever asks gets the same answer whether the address has an account or not; only an active
account's request carries a token and sends an e-mail. Requests are throttled per address asked
for and per client, and recorded (`PasswordReset`), whether or not they found an account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from hansyn.platform import operations
from hansyn.platform.invitations import external_url
from hansyn.platform.mail import Mail, localized_mail
from hansyn.platform.models import PasswordReset, User, utcnow
from hansyn.platform.tokens import hash_token, new_token

RESET_MINUTES = 60
#: Requests per e-mail address and per client address within `WINDOW`.
PER_ADDRESS = 3
PER_CLIENT = 10
WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class ResetRequest:
    throttled: bool
    #: The active account asked for and the token of its link; None when there is none.
    user: User | None = None
    token: str | None = None


def _recent(session: Session, condition: ColumnElement[bool]) -> int:
    query = select(func.count(PasswordReset.id)).where(
        condition, PasswordReset.created_at >= utcnow() - WINDOW
    )
    return session.scalar(query) or 0


def _throttled(session: Session, email: str, remote_addr: str | None) -> bool:
    client = (
        PasswordReset.remote_addr.is_(None)
        if remote_addr is None
        else PasswordReset.remote_addr == remote_addr
    )
    return (
        _recent(session, PasswordReset.email == email) >= PER_ADDRESS
        or _recent(session, client) >= PER_CLIENT
    )


def request_reset(session: Session, email: str, remote_addr: str | None) -> ResetRequest:
    email = operations.normalise_email(email)[:254]
    if _throttled(session, email, remote_addr):
        return ResetRequest(throttled=True)
    user = session.scalar(select(User).where(User.email == email, User.active.is_(True)))
    row = PasswordReset(email=email, remote_addr=remote_addr, created_at=utcnow())
    token = None
    if user is not None:
        token, row.token_hash = new_token()
        row.user_id, row.expires_at = user.id, row.created_at + timedelta(minutes=RESET_MINUTES)
    session.add(row)
    session.flush()
    return ResetRequest(throttled=False, user=user, token=token)


def reset_mail(user: User, token: str, fallback_locale: str | None) -> Mail:
    """The message with the link, in the user's language (else the language of the page)."""
    return localized_mail(
        user.email, user.locale or fallback_locale, _l("Nytt lösenord till Hänsyn"),
        "mail/password_reset.txt", name=user.name, minutes=RESET_MINUTES,
        link=external_url("account.reset_password", token=token),
    )


def find_open_reset(session: Session, token: str) -> PasswordReset | None:
    query = select(PasswordReset).where(PasswordReset.token_hash == hash_token(token))
    reset = session.scalar(query)
    if reset is None or not reset.is_open(utcnow()) or reset.user is None or not reset.user.active:
        return None
    return reset


def complete_reset(session: Session, reset: PasswordReset, password: str, profile: str) -> User:
    """Set the new password; this link and every other open link of the account stop working,
    and so does every session the account had."""
    user = reset.user
    assert user is not None  # noqa: S101 - find_open_reset returns only resets with a user
    operations.set_password(user, password, profile)
    now = utcnow()
    for other in session.scalars(
        select(PasswordReset).where(
            PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)
        )
    ):
        other.used_at = now
    session.flush()
    return user
