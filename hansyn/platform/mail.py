"""The one way Hänsyn sends e-mail: invitations, password resets, workflow notifications.

    from hansyn.platform.mail import send_mail, localized_mail
    send_mail(localized_mail(user.email, user.locale, _l("Ämne"), "mail/x.txt", link=link))

A message is plain text in the recipient's language (`localized_mail` renders the subject and the
template under that locale). Delivery goes through the SMTP server named by the `HANSYN_SMTP_*`
settings. When `HANSYN_SMTP_HOST` is not set the message is written to the outbox folder
(`<instance>/outbox/*.eml`) and a log line names the file: nothing is lost and nothing crashes,
and a developer opens the file to follow a link. A configured server that refuses or cannot be
reached raises `MailNotSentError`; the caller decides whether the request fails (an invitation) or
not (a password reset must answer the same either way).
"""

from __future__ import annotations

import contextlib
import secrets
import smtplib
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import LazyString, force_locale

SECURITY_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


class MailNotSentError(RuntimeError):
    """The configured SMTP server refused the message or could not be reached."""


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


@dataclass(frozen=True)
class SmtpSettings:
    host: str | None
    port: int
    security: str
    user: str | None
    password: str | None
    sender: str
    timeout: float
    ca_file: str | None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSettings:
        security = config.get("SMTP_SECURITY") or "starttls"
        return cls(
            host=config.get("SMTP_HOST") or None,
            port=int(config.get("SMTP_PORT") or DEFAULT_PORTS[security]),
            security=security,
            user=config.get("SMTP_USER") or None,
            password=config.get("SMTP_PASSWORD") or None,
            sender=config.get("MAIL_SENDER") or "Hänsyn <hansyn@localhost>",
            timeout=float(config.get("SMTP_TIMEOUT") or 10),
            ca_file=config.get("SMTP_CA_FILE") or None,
        )


def localized_mail(
    to: str, locale: str | None, subject: LazyString | str, template: str, **context: Any
) -> Mail:
    """A message in the recipient's language: `subject` (a lazy text) and the plain-text template
    `template` are rendered under `locale` (Swedish when the recipient has chosen none)."""
    with force_locale(locale if locale in ("sv", "en") else "sv"):
        # The template alone, without the page context processors (there may be no request).
        body = current_app.jinja_env.get_template(template).render(**context)
        return Mail(to, str(subject), body)


def build_message(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=_domain(sender))
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.body)
    return message


def _domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return Address(addr_spec=address).domain if "@" in address else "localhost"


def send_mail(mail: Mail) -> None:
    """Deliver `mail` through SMTP, or into the outbox when no SMTP server is configured."""
    settings = SmtpSettings.from_config(current_app.config)
    message = build_message(mail, settings.sender)
    if settings.host is None:
        path = write_to_outbox(Path(current_app.config["INSTANCE_PATH"]) / "outbox", message)
        current_app.logger.warning(
            "HANSYN_SMTP_HOST is not set: e-mail written to %s instead of being sent", path
        )
        return
    try:
        _deliver(settings, message)
    except (OSError, smtplib.SMTPException) as error:
        # The reason, never the address or the content: logs hold no personal data.
        current_app.logger.error("e-mail not sent: %s", type(error).__name__)
        raise MailNotSentError(str(type(error).__name__)) from error


def send_mail_in_background(mail: Mail) -> None:
    """Send `mail` from a thread of its own: the answer does not wait for the SMTP server, and
    takes as long whether a message is sent or not (a password reset must not reveal by its
    timing that an address has an account). A failure is logged, as by `send_mail`."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def deliver() -> None:
        # A failure is logged by send_mail, without the address.
        with app.app_context(), contextlib.suppress(MailNotSentError):
            send_mail(mail)

    threading.Thread(target=deliver, name="hansyn-mail", daemon=True).start()


def _tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=settings.ca_file)


def _deliver(settings: SmtpSettings, message: EmailMessage) -> None:
    assert settings.host is not None  # noqa: S101 - checked by the caller
    smtp: smtplib.SMTP
    if settings.security == "ssl":
        smtp = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=_tls_context(settings)
        )
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with smtp:
        if settings.security == "starttls":
            smtp.starttls(context=_tls_context(settings))
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        smtp.send_message(message)


def write_to_outbox(folder: Path, message: EmailMessage) -> Path:
    """Keep an unsent message as an .eml file only its owner may read (it may hold a link that
    signs someone in)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = folder / f"{stamp}-{secrets.token_hex(4)}.eml"
    path.touch(mode=0o600)
    path.write_bytes(bytes(message))
    return path
