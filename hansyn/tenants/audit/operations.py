"""Appending to the tenant's audit trail: the one way every domain records who did what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from hansyn.tenants.audit.models import AuditEvent


class Actor(Protocol):
    """Who acts: the current member (views) or an operator's command (user_id None)."""

    @property
    def user_id(self) -> int | None: ...

    @property
    def email(self) -> str | None: ...


@dataclass(frozen=True)
class SystemActor:
    """An actor that is not a request's member: a command, or ids passed on from a view."""

    user_id: int | None = None
    email: str | None = None


def record(
    session: Session,
    actor: Actor,
    action: str,
    subject_type: str,
    subject_id: int | None,
    purpose: str | None = None,
) -> None:
    """Append an audit row: who, which action on which subject, from which page or for what."""
    session.add(
        AuditEvent(
            user_id=actor.user_id,
            user_email=actor.email,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            purpose=purpose,
        )
    )
