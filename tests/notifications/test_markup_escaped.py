"""Text that a citizen, an employer or a staff member typed reaches e-mails only as text:
markup in it is escaped in every HTML part, whichever message carries it."""
from __future__ import annotations

from portal.extensions import db
from portal.reserve import training
from portal.reserve.models import EngagementStatus
from tests.support import factories
from tests.support import reserve as helpers
from tests.support.mail import html_of, last_mail_to, text_of

MARKUP = "<b>x</b><a href=//evil>"
ESCAPED = "&lt;b&gt;x&lt;/b&gt;&lt;a href=//evil&gt;"


def assert_only_escaped(message) -> None:
    html = html_of(message)
    assert "<b>x</b>" not in html and "href=//evil" not in html.replace(ESCAPED, ""), html
    assert ESCAPED in html, html


def test_a_training_periods_place_is_escaped_in_the_reservists_email(app):
    staff = factories.user(role="unit_staff")
    unit = helpers.unit(staff=[staff])
    engagement = helpers.engagement(status=EngagementStatus.ACTIVE, unit=unit)
    period = helpers.period(unit, place=MARKUP)
    training.assign(period, engagement, staff)
    db.session.commit()
    mail = last_mail_to(db.session.get(type(staff), engagement.user_id).email)
    assert MARKUP in text_of(mail)  # the text part shows it as typed
    assert_only_escaped(mail)
