"""Single-use tokens sent in e-mailed links (invitations, password resets).

The token is 32 random bytes; only its SHA-256 is stored, so a copy of the database opens nothing.
A fast hash is enough here (unlike passwords): the token is random, not chosen by a person, so there
is nothing to guess from the hash.
"""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """A token for the link, and the hash to store."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
