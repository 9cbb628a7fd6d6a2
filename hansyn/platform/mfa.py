"""Time-based one-time codes (TOTP, RFC 6238) as a second factor, with recovery codes.

A user enrols on the account page: a random 160-bit secret is shown as a QR code for an
authenticator app, and becomes active only once a code from the app is typed back. Then every
login (with a password or through the municipality's identity provider) asks for a code, or for
one of ten single-use recovery codes (stored as SHA-256, shown once). Codes are checked with a
window of one 30-second step either side, and a step once used is never accepted again (replay).
Wrong codes count as failed logins of the account, so the login throttle limits guessing exactly as
it limits passwords.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp
import segno
from sqlalchemy import DateTime, ForeignKey, Integer, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hansyn.db import ControlBase
from hansyn.platform import operations
from hansyn.platform.models import LoginAttempt, User, utcnow
from hansyn.platform.tokens import hash_token

ISSUER = "Hänsyn"
RECOVERY_CODES = 10
#: Steps of 30 s accepted either side of now (clocks of phones drift).
VALID_WINDOW = 1


class TotpCredential(ControlBase):
    __tablename__ = "totp_credential"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    secret: Mapped[str] = mapped_column(String(64))
    #: None while enrolling: the secret works only once a code from it was typed back.
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The last 30-second step a code was accepted for; older and equal steps are refused.
    last_step: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RecoveryCode(ControlBase):
    __tablename__ = "totp_recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def credential(session: Session, user_id: int) -> TotpCredential | None:
    return session.scalar(select(TotpCredential).where(TotpCredential.user_id == user_id))


def has_totp(session: Session, user_id: int) -> bool:
    found = credential(session, user_id)
    return found is not None and found.confirmed_at is not None


def start_enrolment(session: Session, user: User) -> TotpCredential:
    """The secret to show: the one being enrolled (shown again until confirmed, so reopening
    the page does not invalidate what the app already scanned), or a new one."""
    found = credential(session, user.id)
    if found is None:
        found = TotpCredential(user_id=user.id, secret=pyotp.random_base32(32))
        session.add(found)
        session.flush()
    return found


def provisioning_uri(found: TotpCredential, email: str) -> str:
    return pyotp.TOTP(found.secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_code(uri: str) -> str:
    """The enrolment QR code as an SVG data URI (an <img>: no script, allowed by the CSP)."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, border=2))


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    step = totp.timecode(now)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step + offset), code):
            return step + offset
    return None


def _accept_code(found: TotpCredential, code: str) -> bool:
    step = _matching_step(found.secret, code, utcnow())
    if step is None or (found.last_step is not None and step <= found.last_step):
        return False
    found.last_step = step
    return True


def new_recovery_codes(session: Session, user_id: int) -> list[str]:
    """Ten fresh single-use codes (the old ones stop working); shown once."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(user_id=user_id, code_hash=hash_token(c)) for c in codes)
    session.flush()
    return codes


def _recovery_code() -> str:
    raw = secrets.token_hex(5)
    return f"{raw[:5]}-{raw[5:]}"


def _normalised_recovery(code: str) -> str:
    cleaned = "".join(code.split()).lower().replace("-", "")
    return f"{cleaned[:5]}-{cleaned[5:]}" if len(cleaned) == 10 else cleaned


def confirm(session: Session, user: User, code: str) -> list[str] | None:
    """Activate the enrolling secret with a code from the app; the recovery codes, or None."""
    found = credential(session, user.id)
    if found is None or found.confirmed_at is not None or not _accept_code(found, code):
        return None
    found.confirmed_at = utcnow()
    return new_recovery_codes(session, user.id)


def disable(session: Session, user_id: int) -> None:
    session.execute(delete(TotpCredential).where(TotpCredential.user_id == user_id))
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    throttled: bool = False
    used_recovery_code: bool = False


def verify(
    session: Session, user: User, code: str, *, remote_addr: str | None,
    throttle: operations.Throttle,
) -> CodeCheck:
    """A login's second step: a TOTP code or an unused recovery code, throttled and recorded
    like a password (failures are login attempts of the account)."""
    if operations.is_throttled(session, user.email, remote_addr, throttle):
        _record(session, user, remote_addr, ok=False, throttled=True)
        return CodeCheck(False, throttled=True)
    found = credential(session, user.id)
    ok = found is not None and found.confirmed_at is not None and _accept_code(found, code)
    recovery = False
    if not ok:
        recovery = ok = _use_recovery_code(session, user.id, code)
    _record(session, user, remote_addr, ok=ok)
    return CodeCheck(ok, used_recovery_code=recovery)


def _use_recovery_code(session: Session, user_id: int, code: str) -> bool:
    row = session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.code_hash == hash_token(_normalised_recovery(code)),
            RecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        return False
    row.used_at = utcnow()
    return True


def unused_recovery_codes(session: Session, user_id: int) -> int:
    return len(session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))).all())


def _record(session: Session, user: User, remote_addr: str | None, *, ok: bool,
            throttled: bool = False) -> None:
    session.add(LoginAttempt(email=user.email, user_id=user.id, remote_addr=remote_addr,
                             succeeded=ok, throttled=throttled))
    session.flush()
