"""Handing out and resolving pseudonyms; a supplier only ever resolves its own."""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hansyn.db import Databases
from hansyn.tenants.matches.models import CandidatePseudonym

PREFIX = "K-"
#: Six hex digits: 16.7 million values per tenant. A pseudonym opens nothing by itself — it is
#: only resolved within the supplier it was given to — so its length guards against collisions,
#: not against guessing.
HEX_DIGITS = 6
_ATTEMPTS = 20
_RACE_RETRIES = 3


def new_pseudonym() -> str:
    return PREFIX + secrets.token_hex(HEX_DIGITS // 2).upper()


def known_pseudonyms(
    session: Session, supplier_id: int, candidate_ids: Collection[int]
) -> dict[int, str]:
    """The pseudonyms the supplier already has for these candidates (reads only; through
    Core, as plain rows: it runs on every ranked list)."""
    if not candidate_ids:
        return {}
    rows = session.connection().execute(
        select(CandidatePseudonym.candidate_id, CandidatePseudonym.pseudonym).where(
            CandidatePseudonym.supplier_id == supplier_id,
            CandidatePseudonym.candidate_id.in_(candidate_ids),
        )
    )
    return {int(row.candidate_id): str(row.pseudonym) for row in rows}


def ensure_pseudonyms(
    databases: Databases, slug: str, supplier_id: int, candidate_ids: Collection[int]
) -> dict[int, str]:
    """`pseudonyms_for` in a short write transaction of its own, committed at once.

    Pseudonyms are drawn when a supplier first *sees* a candidate — on a GET, whose transaction
    only reads. Upgrading a SQLite read transaction to a writer fails outright when another
    process wrote meanwhile, so the page keeps reading and the drawing happens here. Two requests
    drawing for the same candidate at once collide on a unique key; the loser reads the winner's.
    """
    for attempt in range(_RACE_RETRIES):
        try:
            with databases.tenant_session(slug, write=True) as session:
                return pseudonyms_for(session, supplier_id, candidate_ids)
        except IntegrityError:
            if attempt == _RACE_RETRIES - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def pseudonyms_for(
    session: Session, supplier_id: int, candidate_ids: Iterable[int]
) -> dict[int, str]:
    """The supplier's pseudonym of each candidate, drawing new ones for those it has not seen."""
    wanted = set(candidate_ids)
    found = known_pseudonyms(session, supplier_id, wanted)
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
