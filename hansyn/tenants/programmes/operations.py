"""Editing the programme catalogue: add, rename, deactivate; delete only what nothing uses."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hansyn.db import TenantBase
from hansyn.errors import InvalidInput
from hansyn.tenants.audit.operations import Actor, record
from hansyn.tenants.localities import fold
from hansyn.tenants.programmes.models import Programme


def list_programmes(session: Session) -> list[Programme]:
    return list(session.scalars(select(Programme).order_by(Programme.sort_order, Programme.name)))


def _code_for(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:40] or "program"


def _check_name(session: Session, name: str, programme: Programme | None) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput(_l("Ange programmets namn."), "name")
    if len(name) > 200:
        raise InvalidInput(_l("Högst %(max)d tecken.", max=200), "name")
    query = select(Programme.id).where(func.lower(Programme.name) == name.lower())
    if programme is not None:
        query = query.where(Programme.id != programme.id)
    if session.scalar(query) is not None:
        raise InvalidInput(_l("Det finns redan ett program med det namnet."), "name")
    return name


def _audit(session: Session, actor: Actor, action: str, programme_id: int) -> None:
    record(session, actor, action, "programme", programme_id, "programmes")


def add_programme(session: Session, name: str, actor: Actor) -> Programme:
    name = _check_name(session, name, None)
    code, suffix = _code_for(name), 1
    while session.scalar(select(Programme.id).where(Programme.code == code)) is not None:
        suffix += 1
        code = f"{_code_for(name)[:36]}-{suffix}"
    last = session.scalar(select(func.max(Programme.sort_order))) or 0
    programme = Programme(code=code, name=name, active=True, sort_order=last + 10)
    session.add(programme)
    session.flush()
    _audit(session, actor, "create", programme.id)
    return programme


def rename_programme(session: Session, programme: Programme, name: str, actor: Actor) -> None:
    programme.name = _check_name(session, name, programme)
    session.flush()
    _audit(session, actor, "update", programme.id)


def set_active(session: Session, programme: Programme, active: bool, actor: Actor) -> None:
    programme.active = active
    session.flush()
    _audit(session, actor, "activate" if active else "deactivate", programme.id)


def uses(session: Session, programme: Programme) -> int:
    """How many rows of any tenant table point at this programme."""
    total = 0
    for table in TenantBase.metadata.tables.values():
        for fk in table.foreign_keys:
            if fk.column.table.name == "programme" and fk.parent.table is table:
                total += (
                    session.scalar(
                        select(func.count()).select_from(table).where(fk.parent == programme.id)
                    )
                    or 0
                )
    return total


def delete_programme(session: Session, programme: Programme, actor: Actor) -> None:
    if uses(session, programme):
        raise InvalidInput(
            _l("Programmet används och kan inte tas bort. Inaktivera det i stället."), "programme"
        )
    programme_id = programme.id
    session.delete(programme)
    session.flush()
    _audit(session, actor, "delete", programme_id)
