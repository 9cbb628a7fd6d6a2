"""Settings, read from the environment once when the app is created.

Every production setting has an environment variable (documented in README.md). Development is the
default mode so that `make run` and `hansyn run` work on a fresh machine; production mode refuses to
start without a real secret key.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEVELOPMENT = "development"
PRODUCTION = "production"
TESTING = "testing"
MODES = (DEVELOPMENT, PRODUCTION, TESTING)

#: Secret keys that must never sign a production session.
INSECURE_SECRET_KEYS = frozenset({"", "dev", "change-me", "changeme", "secret"})


class ConfigurationError(RuntimeError):
    """Raised when the environment describes a configuration the app must not run with."""


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def instance_path_from_env() -> Path:
    return Path(os.environ.get("HANSYN_INSTANCE_PATH", "instance")).resolve()


def _development_secret_key(instance_path: Path) -> str:
    """A random key kept in the instance folder: sessions outlive restarts, workers agree."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the Flask config from the environment, then apply `overrides` (tests use them)."""
    overrides = dict(overrides or {})
    mode = overrides.pop("HANSYN_ENV", None) or os.environ.get("HANSYN_ENV", DEVELOPMENT)
    if mode not in MODES:
        raise ConfigurationError(f"HANSYN_ENV must be one of {', '.join(MODES)}, not {mode!r}")
    instance_path = Path(overrides.pop("INSTANCE_PATH", None) or instance_path_from_env())
    secret_key = overrides.pop("SECRET_KEY", None) or os.environ.get("HANSYN_SECRET_KEY", "")
    if mode == PRODUCTION and (secret_key in INSECURE_SECRET_KEYS or len(secret_key) < 32):
        raise ConfigurationError(
            "HANSYN_SECRET_KEY must be set to a random value of at least 32 characters "
            "in production "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )
    if not secret_key:
        secret_key = _development_secret_key(instance_path)
    secure_cookies = _env_flag("HANSYN_SECURE_COOKIES", default=mode == PRODUCTION)
    env = os.environ
    config: dict[str, Any] = {
        "HANSYN_ENV": mode,
        "INSTANCE_PATH": instance_path,
        "SECRET_KEY": secret_key,
        "DATABASE_URL": os.environ.get("HANSYN_DATABASE_URL") or None,
        "SESSION_COOKIE_NAME": "hansyn_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "PERMANENT_SESSION_LIFETIME": int(os.environ.get("HANSYN_SESSION_SECONDS", 8 * 3600)),
        # Larger bodies get 413 before they are parsed: the largest upload is a 5 MB CSV import.
        "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "BABEL_DEFAULT_LOCALE": "sv",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm",
        "LANGUAGES": ("sv", "en"),
        "PASSWORD_HASHING": os.environ.get("HANSYN_PASSWORD_HASHING", "strong"),
        # Failed logins: per e-mail address within a minute (for clients that have been failing),
        # and per client address within ten minutes (see operations.Throttle).
        "LOGIN_FAILURES_PER_ACCOUNT": 5,
        "LOGIN_FAILURES_PER_CLIENT": _env_int("HANSYN_LOGIN_FAILURES_PER_CLIENT", 20),
        # X-Forwarded-For / -Proto are trusted only from this many proxies in front (ProxyFix).
        "PROXY_HOPS": _env_int("HANSYN_PROXY_HOPS", 0),
        "HSTS_SECONDS": _env_int(
            "HANSYN_HSTS_SECONDS", 365 * 24 * 3600 if mode == PRODUCTION else 0
        ),
        #: Scheme and host of links in e-mails (never taken from a request's Host header).
        "BASE_URL": (os.environ.get("HANSYN_BASE_URL") or "").rstrip("/") or None,
        # The JSON API: requests per token (or session, or address) and where they are counted
        # (memory:// counts per process; redis://… shares the count between workers).
        "API_RATE_LIMIT": env.get("HANSYN_API_RATE_LIMIT") or "600 per minute",
        "API_RATE_LIMIT_STORAGE": env.get("HANSYN_API_RATE_LIMIT_STORAGE") or "memory://",
        "TESTING": mode == TESTING,
        "DEMO_PASSWORD": os.environ.get("HANSYN_DEMO_PASSWORD", "hansyn-demo-2026"),
        **_mail_settings(env),
    }
    config.update(overrides)
    _check_mail_settings(config)
    if mode == PRODUCTION and not config["BASE_URL"]:
        raise ConfigurationError(
            "HANSYN_BASE_URL must be set in production: the https address people open Hänsyn at "
            "(for example https://hansyn.kommun.se), used in links sent by e-mail"
        )
    return config


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ConfigurationError(f"{name} must be a whole number, not {value!r}")
    return int(value)


def _mail_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """SMTP (hansyn/platform/mail.py). No HANSYN_SMTP_HOST: messages go to <instance>/outbox/."""
    return {
        "SMTP_HOST": env.get("HANSYN_SMTP_HOST") or None,
        "SMTP_PORT": env.get("HANSYN_SMTP_PORT") or None,
        "SMTP_SECURITY": (env.get("HANSYN_SMTP_SECURITY") or "starttls").strip().lower(),
        "SMTP_USER": env.get("HANSYN_SMTP_USER") or None,
        "SMTP_PASSWORD": env.get("HANSYN_SMTP_PASSWORD") or None,
        "SMTP_TIMEOUT": env.get("HANSYN_SMTP_TIMEOUT") or 10,
        "SMTP_CA_FILE": env.get("HANSYN_SMTP_CA_FILE") or None,
        "MAIL_SENDER": env.get("HANSYN_SMTP_SENDER") or None,
    }


def _check_mail_settings(config: dict[str, Any]) -> None:
    if config["SMTP_SECURITY"] not in ("starttls", "ssl", "none"):
        raise ConfigurationError("HANSYN_SMTP_SECURITY must be starttls, ssl or none")
    port = config["SMTP_PORT"]
    if port is not None and not str(port).isdigit():
        raise ConfigurationError("HANSYN_SMTP_PORT must be a port number")
    if config["SMTP_HOST"] and not config["MAIL_SENDER"]:
        raise ConfigurationError(
            "HANSYN_SMTP_SENDER (the From address, e.g. 'Hänsyn <hansyn@kommun.se>') "
            "must be set when HANSYN_SMTP_HOST is"
        )
