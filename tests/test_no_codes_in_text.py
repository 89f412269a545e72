"""Pages read in Dutch, French and German show no raw codes, no English left from the code
and no ISO dates: every status, pillar, skill and reason has its label, every date its local
form. A tour opens every page each role can reach, over a world with something in every
state, and reads the visible text."""

from __future__ import annotations

import html
import re
from datetime import date
from enum import StrEnum

import pytest

from tests.support.mail import html_of, outbox, text_of

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _codes() -> set[str]:
    """Every code the portal stores for a state or a kind, where it cannot be mistaken for a
    word of the page (codes with an underscore, and English words no page should show)."""
    from portal.applications import models as applications
    from portal.employers import models as employers
    from portal.reserve import models as reserve

    codes = set()
    for module in (applications, employers, reserve):
        for enum in vars(module).values():
            if isinstance(enum, type) and issubclass(enum, StrEnum) and enum is not StrEnum:
                codes |= {str(v) for v in enum}
    return {c for c in codes if "_" in c} | ENGLISH_CODES


# Codes (and the system's own English reasons) that are English words, not words of nl/fr/de.
ENGLISH_CODES = {
    "logistics",
    "specialised",
    "waitlisted",
    "submitted",
    "withdrawn",
    "selection day",
    "start date reached",
    "commitment period over",
    "review overturned",
    "waitlist: place freed",
    "offer deadline passed",
    "service year started",
}


# What a page may show as it is, and why.
SHOWN_AS_STORED = {
    # The audit log is evidence: it shows each record exactly as it was written.
    "/admin/audit",
}
ALLOWED = {
    # The example of the format the field reads (it takes a date as typed).
    ("/admin/intakes/<int:intake_id>/sessions", "2026-03-14"),
    # Administrators give each skill its code on this page, next to its names.
    ("/admin/reserve/skills", "logistics"),
}


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def problems_in(text: str, codes: set[str]) -> list[str]:
    found = [m.group(0) for m in ISO_DATE.finditer(text)]
    found += [c for c in codes if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text)]
    return found


def _scene(values, owner, language):
    """Things whose text came from code: a convocation recorded by a recruiter, an
    engagement with an expertise that a daily run activated."""
    from datetime import date, timedelta

    from portal.applications.review import services as review
    from portal.extensions import db
    from portal.reserve import engagements
    from portal.reserve.models import Engagement, EngagementStatus
    from tests.support import factories
    from tests.support import reserve as r
    from tests.support import review as h

    intake = factories.intake()
    application = h.application(intake, status="screening", user=owner, language=language)
    day = h.selection_day(intake)
    recruiter = factories.user("recruiter")
    review.schedule_tests(application, day, recruiter, None)
    unit = db.session.get(Engagement, values["engagement_id"]).unit
    other = r.engagement(
        owner,
        status=EngagementStatus.APPROVED,
        unit=unit,
        start_date=date.today() - timedelta(days=1),
    )
    other.end_date = date.today() + timedelta(days=300)
    other.skills = [
        r.skill(
            "logistics",
            name_nl="Logistiek en transport",
            name_fr="Logistique et transport",
            name_de="Logistik und Transport",
        )
    ]
    engagements.activate_started()
    db.session.commit()
    return {**values, "application_id": application.id, "engagement_id": other.id}


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_no_page_shows_a_code_or_an_iso_date(app, client, login_as, language):
    from portal.extensions import db
    from tests.test_access import ROLES, _world

    users, values, owner = _world()
    owner.language = language
    values = _scene(values, owner, language)
    codes = _codes()
    for user in users.values():
        user.language = language
    db.session.commit()
    found = {}
    for who in (*ROLES, "owner"):
        login_as(owner if who == "owner" else users[who])
        for rule in app.url_map.iter_rules():
            if (
                "GET" not in rule.methods
                or rule.endpoint == "static"
                or rule.rule in SHOWN_AS_STORED
            ):
                continue
            if not rule.arguments <= values.keys():
                continue  # a page for an object the scene does not have
            url = rule.build(values, append_unknown=False)[1]
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            wrong = {
                w
                for w in problems_in(visible_text(response.get_data(as_text=True)), codes)
                if (rule.rule, w) not in ALLOWED
            }
            if wrong:
                found.setdefault(rule.rule, set()).update(wrong)
    # The e-mails the scene sent the citizen (convocation, reserve engagement) too.
    mails = [m for m in outbox() if m["To"] == owner.email]
    assert mails
    for mail in mails:
        text = f"{mail['Subject']}\n{text_of(mail)}\n{visible_text(html_of(mail))}"
        wrong = problems_in(text, codes)
        if wrong:
            found.setdefault(f"e-mail {mail['Subject']}", set()).update(wrong)
    assert found == {}, "\n".join(f"{k}: {sorted(v)}" for k, v in sorted(found.items()))


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_refusals_give_their_dates_in_the_readers_form(app, language):
    """Unit staff assigning a reservist to a period they cannot serve, and staff closing an
    erasure request whose record must still be kept, read the dates as dates."""
    from datetime import date, timedelta

    from flask_babel import format_date

    from portal import i18n
    from portal.extensions import db
    from portal.privacy import services as privacy
    from portal.privacy.models import ErasureRequest
    from portal.refusals import Refusal
    from portal.reserve import training
    from portal.reserve.models import EngagementStatus, UnavailablePeriod
    from tests.support import factories
    from tests.support import reserve as r

    staff = factories.user(role="unit_staff")
    unit = r.unit(staff=[staff])
    reservist = r.engagement(status=EngagementStatus.ACTIVE, unit=unit)
    first = r.period(unit, starts_in=30, days=5)
    reservist.unavailable = [UnavailablePeriod(starts_on=first.starts_on, ends_on=first.starts_on)]
    kept_until = date.today() + timedelta(days=90)
    request = ErasureRequest(
        reference="E-DATES-1", user_id=factories.user().id, kept_until=kept_until
    )
    db.session.add(request)
    db.session.flush()
    with i18n.locale(language):
        with pytest.raises(Refusal) as refused:
            training.assign(first, reservist, staff)
        assert format_date(first.starts_on, "long") in refused.value.message
        assert not ISO_DATE.search(refused.value.message)
        with pytest.raises(privacy.Refusal) as refused:
            privacy.finish(request, factories.user(role="admin"))
        assert format_date(kept_until, "long") in str(refused.value)
        assert not ISO_DATE.search(str(refused.value))


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_the_audit_search_names_its_limits_as_dates(client, login_as, language):
    login_as("admin", language=language)
    page = client.get("/admin/audit?since=0001-01-01").get_data(as_text=True)
    message = visible_text(page.split('class="error-message"', 1)[1].split("</p>", 1)[0])
    assert str(date.today().year) in message and not ISO_DATE.search(message), message
