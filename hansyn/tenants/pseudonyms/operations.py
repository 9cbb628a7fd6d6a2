"""Handing out and resolving pseudonyms; a supplier only ever resolves its own."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from hansyn.tenants.pseudonyms.models import CandidatePseudonym

PREFIX = "K-"
#: Six hex digits: 16.7 million values per tenant. A pseudonym opens nothing by itself — it is
#: only resolved within the supplier it was given to — so its length guards against collisions,
#: not against guessing.
HEX_DIGITS = 6
_ATTEMPTS = 20


def new_pseudonym() -> str:
    return PREFIX + secrets.token_hex(HEX_DIGITS // 2).upper()


def pseudonyms_for(
    session: Session, supplier_id: int, candidate_ids: Iterable[int]
) -> dict[int, str]:
    """The supplier's pseudonym of each candidate, drawing new ones for those it has not seen."""
    wanted = set(candidate_ids)
    if not wanted:
        return {}
    rows = session.scalars(
        select(CandidatePseudonym).where(
            CandidatePseudonym.supplier_id == supplier_id,
            CandidatePseudonym.candidate_id.in_(wanted),
        )
    )
    found = {row.candidate_id: row.pseudonym for row in rows}
    for candidate_id in sorted(wanted - found.keys()):
        found[candidate_id] = _create(session, supplier_id, candidate_id)
    return found


def _create(session: Session, supplier_id: int, candidate_id: int) -> str:
    for _attempt in range(_ATTEMPTS):
        pseudonym = new_pseudonym()
        taken = session.scalar(
            select(CandidatePseudonym.id).where(CandidatePseudonym.pseudonym == pseudonym)
        )
        if taken is None:
            session.add(
                CandidatePseudonym(
                    candidate_id=candidate_id, supplier_id=supplier_id, pseudonym=pseudonym
                )
            )
            session.flush()
            return pseudonym
    raise RuntimeError("no free pseudonym found")  # pragma: no cover - 20 collisions in a row


def candidate_of(session: Session, supplier_id: int, pseudonym: str) -> int | None:
    """The candidate behind one of this supplier's pseudonyms; None for anyone else's."""
    return session.scalar(
        select(CandidatePseudonym.candidate_id).where(
            CandidatePseudonym.supplier_id == supplier_id,
            CandidatePseudonym.pseudonym == pseudonym.strip().upper(),
        )
    )
