"""Sending e-mail through a real SMTP server on 127.0.0.1, with and without TLS and login."""

from __future__ import annotations

import logging
import ssl
import stat
from email import message_from_bytes
from email.policy import default

import pytest
import trustme
from aiosmtpd.smtp import AuthResult, LoginPassword
from flask_babel import lazy_gettext as _l

from hansyn.platform.config import ConfigurationError, load_config
from hansyn.platform.mail import Mail, MailNotSentError, localized_mail, send_mail
from tests.fixtures.mail import SmtpServer, body, free_port
from tests.fixtures.platform import unique


@pytest.fixture
def configure(app, monkeypatch):
    """Point the session's app at other SMTP settings for one test."""

    def apply(settings: dict[str, object]) -> None:
        for key in ("SMTP_HOST", "SMTP_PORT", "SMTP_SECURITY", "SMTP_USER", "SMTP_PASSWORD",
                    "SMTP_CA_FILE", "MAIL_SENDER"):
            monkeypatch.setitem(app.config, key, settings.get(key))

    return apply


def test_a_message_reaches_the_smtp_server_with_its_headers(app, mailbox):
    to = f"{unique('mottagare')}@example.se"
    with app.test_request_context():
        send_mail(Mail(to, "Välkommen till Hänsyn", "Hej Åsa!\nLänk: https://x.example/a"))
    message = mailbox.last_to(to)
    assert message["Subject"] == "Välkommen till Hänsyn"
    assert message["From"] == "Hänsyn <hansyn@kommun.example>"
    assert message["Message-ID"].endswith("@kommun.example>")
    assert message["Auto-Submitted"] == "auto-generated"
    assert body(message) == "Hej Åsa!\nLänk: https://x.example/a\n"


@pytest.mark.parametrize(
    ("locale", "subject", "text"),
    [
        ("sv", "Provmeddelande", "Det här är ett provmeddelande från Hänsyn."),
        ("en", "Test message", "This is a test message from Hänsyn."),
        (None, "Provmeddelande", "Det här är ett provmeddelande från Hänsyn."),
    ],
)
def test_a_message_is_written_in_the_recipients_language(app, mailbox, locale, subject, text):
    to = f"{unique('sprak')}@example.se"
    with app.test_request_context():
        send_mail(localized_mail(to, locale, _l("Provmeddelande"), "mail/test.txt"))
    message = mailbox.last_to(to)
    assert message["Subject"] == subject
    assert text in body(message)


# With implicit TLS aiosmtpd cannot tell that the connection is encrypted, and warns.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_and_login(app, configure, tmp_path, security):
    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("localhost").configure_cert(server_context)
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    logins: list[tuple[bytes, bytes]] = []

    def authenticate(_server, _session, _envelope, _mechanism, data):
        assert isinstance(data, LoginPassword)
        logins.append((data.login, data.password))
        return AuthResult(success=data.password == b"hemligt-smtp")

    options = (
        {"tls_context": server_context, "require_starttls": True}
        if security == "starttls"
        # aiosmtpd offers AUTH only after STARTTLS unless told that implicit TLS is enough.
        else {"ssl_context": server_context, "auth_require_tls": False}
    )
    server = SmtpServer(authenticator=authenticate, auth_required=True, **options)
    server.controller.hostname = "localhost"
    server.controller.start()
    try:
        configure(
            server.settings(
                SMTP_HOST="localhost", SMTP_SECURITY=security, SMTP_USER="hansyn",
                SMTP_PASSWORD="hemligt-smtp", SMTP_CA_FILE=str(ca_file),
            )
        )
        with app.test_request_context():
            send_mail(Mail("a@example.se", "Krypterat", "Hej"))
            assert server.mailbox.last_to("a@example.se")["Subject"] == "Krypterat"
            assert logins == [(b"hansyn", b"hemligt-smtp")]
            configure(server.settings(SMTP_HOST="localhost", SMTP_SECURITY=security))
            # Without the private CA the server's certificate is not trusted: nothing is sent.
            with pytest.raises(MailNotSentError):
                send_mail(Mail("b@example.se", "Okrypterat", "Hej"))
    finally:
        server.controller.stop()
    assert server.mailbox.to("b@example.se") == []


def test_without_smtp_the_message_is_written_to_the_outbox(app, configure, caplog):
    configure({"MAIL_SENDER": "Hänsyn <hansyn@kommun.example>"})
    to = f"{unique('utkorg')}@example.se"
    with app.test_request_context(), caplog.at_level(logging.WARNING):
        send_mail(Mail(to, "Till utkorgen", "Länken: https://x.example/b"))
    [record] = [r for r in caplog.records if "outbox" in r.getMessage()]
    assert to not in record.getMessage()  # no personal data in the log
    path = app.config["INSTANCE_PATH"] / "outbox"
    [written] = [p for p in path.glob("*.eml") if to in p.read_text()]
    assert str(written) in record.getMessage()
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    message = message_from_bytes(written.read_bytes(), policy=default)
    assert message["Subject"] == "Till utkorgen"
    assert "https://x.example/b" in message.get_body(("plain",)).get_content()


def test_an_unreachable_server_raises_mail_not_sent(app, configure, caplog):
    configure({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": free_port(), "SMTP_SECURITY": "none",
               "MAIL_SENDER": "hansyn@kommun.example"})
    with app.test_request_context(), pytest.raises(MailNotSentError):
        send_mail(Mail("nobody@example.se", "Hej", "Hej"))
    assert "nobody@example.se" not in caplog.text


def test_smtp_settings_are_checked_when_the_app_starts(monkeypatch):
    monkeypatch.setenv("HANSYN_SMTP_HOST", "smtp.kommun.example")
    monkeypatch.delenv("HANSYN_SMTP_SENDER", raising=False)
    with pytest.raises(ConfigurationError, match="HANSYN_SMTP_SENDER"):
        load_config({"SECRET_KEY": "x" * 40})
    monkeypatch.setenv("HANSYN_SMTP_SENDER", "hansyn@kommun.example")
    monkeypatch.setenv("HANSYN_SMTP_SECURITY", "tls-please")
    with pytest.raises(ConfigurationError, match="HANSYN_SMTP_SECURITY"):
        load_config({"SECRET_KEY": "x" * 40})
    monkeypatch.setenv("HANSYN_SMTP_SECURITY", "SSL")
    monkeypatch.setenv("HANSYN_SMTP_PORT", "2465")
    config = load_config({"SECRET_KEY": "x" * 40})
    assert (config["SMTP_HOST"], config["SMTP_SECURITY"], config["SMTP_PORT"]) == (
        "smtp.kommun.example", "ssl", "2465"
    )


def test_the_mail_test_command_sends_a_message(app, mailbox):
    to = f"{unique('prov')}@example.se"
    result = app.test_cli_runner().invoke(args=["mail", "test", to])
    assert result.exit_code == 0, result.output
    assert mailbox.last_to(to)["Subject"] == "Provmeddelande"
