"""A participant whose service year ended sees the career / Reserve / leave question first:
on landing after login, at the top of every page, in the menu and in the e-mails, with a
direct link and the deadline in words, until it is answered."""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import format_date

from portal import i18n
from portal.applications.models import Status
from portal.extensions import db
from portal.reserve.models import YearEndChoice
from tests.support import factories
from tests.support import review as rh
from tests.support.client import post_form
from tests.support.mail import outbox


def _year_ended(app, language="nl"):
    """A participant in service whose intake started over a year ago, closed by the daily
    command (as in production), and their account."""
    user = factories.user(language=language)
    rh.application(factories.intake(start_date=date.today() - timedelta(days=400)),
                   status=Status.IN_SERVICE, language=language, user=user)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["reserve", "close-years"])
    assert "1 service year(s) completed." in result.output
    return user, db.session.scalar(db.select(YearEndChoice))


def _long(day, language):
    with i18n.locale(language):
        return format_date(day, "long")


def _login(client, user):
    return post_form(client, "/login", {"email": user.email, "password": factories.PASSWORD},
                     page="/login")


def test_after_login_the_choice_is_the_first_page(app, client):
    user, choice = _year_ended(app)
    response = _login(client, user)
    assert response.location == "/reserve/choice"
    page = client.get("/reserve/choice").get_data(as_text=True)
    assert "Na je dienstjaar" in page and _long(choice.deadline, "nl") in page


def test_every_page_and_the_menu_lead_to_the_choice_until_it_is_made(app, client):
    user, choice = _year_ended(app)
    _login(client, user)
    deadline = _long(choice.deadline, "nl")
    for url in ("/", "/my-application", "/account"):
        page = client.get(url, follow_redirects=True).get_data(as_text=True)
        banner = page.split('class="first-task"', 1)
        assert len(banner) == 2, f"no choice at the top of {url}"
        assert 'href="/reserve/choice"' in banner[1][:600] and deadline in banner[1][:600]
        nav = page.split('aria-label="Hoofdmenu"', 1)[1].split("</nav>", 1)[0]
        assert 'href="/reserve/choice"' in nav
    # The status page no longer ends at "Service year completed" without a way on.
    status = client.get("/my-application", follow_redirects=True).get_data(as_text=True)
    assert "Dienstjaar voltooid" in status and "Mijn keuze maken" in status

    post_form(client, "/reserve/choice", {"option": "leave", "confirm": "yes"})
    db.session.expire_all()
    assert choice.status == "left"
    home = client.get("/").get_data(as_text=True)
    assert 'class="first-task"' not in home and 'href="/reserve/choice"' not in home
    post_form(client, "/logout", {}, page="/account")
    assert _login(client, user).location == "/my-application"


def test_the_reminders_link_to_the_choice_and_give_the_deadline_in_words(app):
    user, choice = _year_ended(app, language="fr")
    first = outbox()[-1]
    body = first.get_body(("plain",)).get_content()
    assert "/reserve/choice" in body and _long(choice.deadline, "fr") in body
    assert choice.deadline.isoformat() not in body
    day = choice.deadline - timedelta(days=3)
    app.test_cli_runner().invoke(args=["reserve", "remind-choices", "--today", day.isoformat()])
    reminder = outbox()[-1]
    body = reminder.get_body(("plain",)).get_content()
    assert reminder["Content-Language"] == "fr"
    assert "/reserve/choice" in body and _long(choice.deadline, "fr") in body
    assert choice.deadline.isoformat() not in body
    # A missed choice counts as leaving: the reminder says so.
    assert "partant" in body

