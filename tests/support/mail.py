"""The mail outbox: every e-mail the app wrote, and what is in it."""
from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from flask import current_app

_LINK = re.compile(r"https?://\S+")


def outbox() -> list[EmailMessage]:
    """Every e-mail the app wrote to MAIL_DIR, oldest first."""
    directory = Path(current_app.config["MAIL_DIR"])
    if not directory.is_dir():
        return []
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(p.read_bytes()) for p in sorted(directory.glob("*.eml"))]


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def links_in(message: EmailMessage) -> list[str]:
    return _LINK.findall(text_of(message))


def last_mail_to(address: str) -> EmailMessage:
    found = [m for m in outbox() if m["To"] == address]
    assert found, f"no e-mail to {address}; outbox: {[m['To'] for m in outbox()]}"
    return found[-1]


def path_of(link: str) -> str:
    """The path of an absolute link on BASE_URL, to open it with the test client."""
    return "/" + link.split("://", 1)[1].split("/", 1)[1]

