"""Outgoing e-mail: multipart (text and HTML) in the recipient's language.

With MAIL_URL (smtp://user:pass@host:port, smtps://..., ?starttls=1) messages go out
through smtplib; without it each message is written as an .eml file under MAIL_DIR.
Logs name the recipient and subject only: links in e-mails carry tokens.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app, flash, render_template
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString
from markupsafe import Markup

from portal import i18n
from portal.keyring import InvalidToken, KeyRing

log = logging.getLogger(__name__)
# Waits between attempts to send a queued message grow from one minute to at most an hour;
# a message is never dropped.
MAX_WAIT = timedelta(hours=1)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    ssl: bool
    starttls: bool
    username: str | None
    password: str | None


def parse_mail_url(url: str) -> SmtpSettings:
    """smtp://user:pass@host:port, smtps://host (implicit TLS), ?starttls=1 for STARTTLS."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ValueError("MAIL_URL must look like smtp://user:pass@host:port or smtps://...")
    implicit_tls = parts.scheme == "smtps"
    query = parse_qs(parts.query)
    starttls = query.get("starttls", ["0"])[0].lower() in {"1", "true", "yes", "on"}
    return SmtpSettings(
        host=parts.hostname,
        port=parts.port or (465 if implicit_tls else 25),
        ssl=implicit_tls,
        starttls=starttls and not implicit_tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def external_url(endpoint: str, **values) -> str:
    """An absolute link on BASE_URL (never on the Host header a request happened to carry)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


@dataclass(frozen=True)
class Attachment:
    """A file sent with an e-mail, e.g. a calendar entry (text/calendar)."""

    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"
    params: tuple[tuple[str, str], ...] = ()


def build(to: str, template: str, language: str, subject, *,
          attachments: tuple[Attachment, ...] = (), **context) -> EmailMessage:
    """Render emails/<template>.txt and .html under the recipient's language.

    `subject` is a lazy string (or a callable) so that it is translated in that language too.
    `attachments` go after the two parts (the message becomes multipart/mixed).
    """
    language = i18n.valid(language) or i18n.DEFAULT
    with i18n.locale(language):
        subject_text = str(subject() if callable(subject) else subject)
        context = {"subject": subject_text, "language": language, **plain(context)}
        text = render_template(f"emails/{template}.txt", **context)
        html = render_template(f"emails/{template}.html", **context)
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = subject_text
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=_sender_domain())
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for attachment in attachments:
        maintype, _slash, subtype = attachment.mimetype.partition("/")
        message.add_attachment(attachment.content, maintype=maintype, subtype=subtype,
                               filename=attachment.filename, params=dict(attachment.params))
    # After add_alternative, which moves Content-* headers into the first part.
    message["Content-Language"] = language
    return message


def plain(value):
    """`value` with every translated text made a plain string, in the current locale.

    Flask-Babel's lazy strings tell Jinja they are markup already (`__html__`), so a lazy
    string with an interpolated value would reach the HTML part unescaped: whatever
    someone typed (a period's place, a reason) could then inject markup. As plain strings
    they are escaped like any other value. Only `Markup` built on purpose stays markup.
    """
    if isinstance(value, Markup):
        return value
    if isinstance(value, LazyString) or hasattr(value, "__html__"):
        return str(value)
    if type(value) is dict:
        return {key: plain(item) for key, item in value.items()}
    if type(value) in (list, tuple):
        return type(value)(plain(item) for item in value)
    return value


class MailQueued(OSError):
    """The mail server could not take a message now; it waits in the outbox, which sends
    it later. Callers may tell the user it is delayed, and must not send it again."""


def transmit(message: EmailMessage) -> None:
    """Hand one built message to the mail server (MAIL_URL), or write it as a file."""
    url = current_app.config.get("MAIL_URL")
    if url:
        _send_smtp(parse_mail_url(url), message)
    else:
        _write_file(message)
    log.info("mail sent to %s: %s", message["To"], message["Subject"])


def _sender_domain() -> str:
    sender = current_app.config["MAIL_FROM"]
    return sender.rsplit("@", 1)[-1].strip(" >") or "localhost"


def _send_smtp(settings: SmtpSettings, message: EmailMessage) -> None:
    context = ssl.create_default_context()
    if settings.ssl:
        smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=30, context=context)
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=30)
    with smtp:
        if settings.starttls:
            smtp.starttls(context=context)
        if settings.username:
            smtp.login(settings.username, settings.password or "")
        smtp.send_message(message)


def _write_file(message: EmailMessage) -> Path:
    directory = Path(current_app.config["MAIL_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    # Names sort in the order the messages were written.
    path = directory / f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
    path.write_bytes(message.as_bytes())
    return path


def deliver(send, *args) -> bool:
    """Send an e-mail after the commit; a mail outage must not lose what was saved.

    For views: on failure the visitor reads a translated message and the view goes on.
    """
    try:
        send(*args)
        return True
    except (OSError, smtplib.SMTPException):
        log.exception("could not send e-mail")
        flash(_("We could not send the e-mail just now. Try again in a few minutes."), "error")
        return False


# The outbox's messages are stored sealed under this ring: their links sign people in.
KEYS = KeyRing("OUTBOX_KEYS")


def seal(message: EmailMessage) -> bytes:
    """The message as stored in the outbox: a Fernet token of its bytes."""
    return KEYS.encrypt(message.as_bytes().decode("utf-8", "surrogateescape")).encode("ascii")


def unseal(stored: bytes) -> bytes:
    """The message bytes of an outbox row (rows written before sealing are clear text)."""
    stored = bytes(stored)
    try:
        return KEYS.decrypt(stored.decode("ascii")).encode("utf-8", "surrogateescape")
    except (InvalidToken, UnicodeDecodeError):
        if stored.startswith(b"gAAAAA"):
            raise  # sealed under a key no longer in OUTBOX_KEYS: say so, send nothing
        return stored


def wait_before(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** min(attempts - 1, 10)), MAX_WAIT)
