"""E-mails of the Reserve: a notice in the recipient's language, in the platform's mail
outbox of the transaction that caused it (portal.outbox), sent once that commits."""
from __future__ import annotations

from flask_babel import format_date

from portal import mail, outbox


class LongDate:
    """A date written out in the language of the message it is put in ("12 maart 2027"),
    for the lazy texts of a notice: formatted when the notice is rendered."""

    def __init__(self, day):
        self.day = day

    def __str__(self) -> str:
        return format_date(self.day, "long")


def later(user, subject, *lines, endpoint: str | None = None, link_label=None,
          **values) -> None:
    """Queue an e-mail to `user` for after the commit; `endpoint`/`values` build its link.
    The texts are lazy strings, rendered in the recipient's language."""
    link = mail.external_url(endpoint, **values) if endpoint else None
    outbox.later(user.email, "notice", user.language, subject,
                 name=user.first_name or user.email, lines=tuple(lines), link=link,
                 link_label=link_label)
