"""Password hashing with argon2id (RFC 9106). Tests use a cheap profile to stay fast."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

PROFILES = {
    # RFC 9106's second recommended option: 64 MiB, 3 passes, 4 lanes.
    "strong": PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4),
    "fast": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
}


def _hasher(profile: str) -> PasswordHasher:
    return PROFILES.get(profile, PROFILES["strong"])


def hash_password(password: str, profile: str = "strong") -> str:
    return _hasher(profile).hash(password)


def verify_password(password_hash: str | None, password: str, profile: str = "strong") -> bool:
    """Verify in constant work even for unknown users (`password_hash=None`)."""
    hasher = _hasher(profile)
    try:
        return hasher.verify(password_hash or _dummy_hash(profile), password) and bool(
            password_hash
        )
    except (VerificationError, InvalidHashError):
        return False


_DUMMY_HASHES: dict[str, str] = {}


def _dummy_hash(profile: str) -> str:
    if profile not in _DUMMY_HASHES:
        _DUMMY_HASHES[profile] = _hasher(profile).hash("not-a-real-password")
    return _DUMMY_HASHES[profile]
