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
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from flask import after_this_request, current_app, flash, render_template
from flask_babel import gettext as _

from portal import i18n

log = logging.getLogger(__name__)


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


def build(to: str, template: str, language: str, subject, **context) -> EmailMessage:
    """Render emails/<template>.txt and .html under the recipient's language.

    `subject` is a lazy string (or a callable) so that it is translated in that language too.
    """
    language = i18n.valid(language) or i18n.DEFAULT
    with i18n.locale(language):
        subject_text = str(subject() if callable(subject) else subject)
        context = {"subject": subject_text, "language": language, **context}
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
    # After add_alternative, which moves Content-* headers into the first part.
    message["Content-Language"] = language
    return message


def send(to: str, template: str, language: str, subject, **context) -> EmailMessage:
    """Build and deliver one e-mail; raises OSError / smtplib.SMTPException on failure."""
    message = build(to, template, language, subject, **context)
    url = current_app.config.get("MAIL_URL")
    if url:
        _send_smtp(parse_mail_url(url), message)
    else:
        _write_file(message)
    log.info("mail sent to %s: %s", to, message["Subject"])
    return message


def send_to_user(user, template: str, subject, **context) -> EmailMessage:
    """An e-mail to a portal user, in the language of their account."""
    return send(user.email, template, user.language, subject, user=user, **context)


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


def after_response(send, *args) -> None:
    """Run `send(*args)` once the response has gone out, in an app context of its own.

    The visitor gets the same page at the same speed whatever happens to the mail (an
    unknown address sends nothing, a mail outage shows nothing): what an answer's
    timing or wording would otherwise tell about who has an account."""
    app = current_app._get_current_object()

    def run() -> None:
        with app.app_context():
            try:
                send(*args)
            except Exception:  # logged, never shown: see above
                log.exception("could not send e-mail after the response")

    @after_this_request
    def attach(response):
        response.call_on_close(run)
        return response
