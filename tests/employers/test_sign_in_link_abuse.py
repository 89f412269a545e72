"""Sign-in links under attack: a mailbox flooded from many addresses gets at most
SIGN_IN_LINKS_PER_HOUR links, and past that the page (and the work behind it) is the same
as for an unknown address; a link pressed twice at the same moment signs in once; an
expired or used link gets a page, in the user's language, with the way to a new one."""

from __future__ import annotations

import re
import threading

import pytest
from flask_babel import gettext
from itsdangerous.timed import TimestampSigner

from portal import i18n
from portal.accounts.models import UserSession
from portal.audit import AuditEvent
from portal.employers import signin
from portal.extensions import db
from tests.accounts.test_reset_same_work import _Work
from tests.employers.helpers import employer, hr_user
from tests.support.client import csrf_token
from tests.support.mail import outbox

ASK = "/employer/sign-in"
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


def _ask(client, email: str, address: str = "127.0.0.1"):
    token = csrf_token(client, ASK)
    response = client.post(
        ASK, data={"csrf_token": token, "email": email}, environ_base={"REMOTE_ADDR": address}
    )
    assert response.status_code == 200
    text = _TOKEN.sub("", response.get_data(as_text=True).replace(email, "X"))
    response.close()  # what waited for the response (the e-mail) runs now
    return text


def _mails_to(address: str) -> int:
    return sum(1 for m in outbox() if m["To"] == address)


def test_a_mailbox_gets_at_most_the_hourly_cap_of_links_from_any_address(app, client):
    hr_user(employer(), email="karin@bakkerij.be")
    db.session.commit()
    cap = app.config["SIGN_IN_LINKS_PER_HOUR"]
    assert cap == 5
    unknown = _ask(client, "nobody@bakkerij.be")
    answers = [_ask(client, "karin@bakkerij.be", address=f"203.0.113.{i}") for i in range(cap + 3)]
    assert _mails_to("karin@bakkerij.be") == cap
    # Past the cap the page is the one an unknown address gets: nothing to tell them apart.
    assert answers[cap:] == [unknown] * 3
    assert _mails_to("nobody@bakkerij.be") == 0


def test_the_cap_is_a_setting(app, client):
    hr_user(employer(), email="karin@bakkerij.be")
    db.session.commit()
    app.config["SIGN_IN_LINKS_PER_HOUR"] = 2
    try:
        for i in range(4):
            _ask(client, "karin@bakkerij.be", address=f"198.51.100.{i}")
    finally:
        app.config["SIGN_IN_LINKS_PER_HOUR"] = 5
    assert _mails_to("karin@bakkerij.be") == 2


def _work_of_asking(app, client, email: str, address: str) -> _Work:
    token = csrf_token(client, ASK)
    with _Work(app) as work:
        response = client.post(
            ASK, data={"csrf_token": token, "email": email}, environ_base={"REMOTE_ADDR": address}
        )
    assert response.status_code == 200
    response.close()
    return work


def test_a_known_an_unknown_and_an_over_the_cap_address_do_the_same_work(app, client):
    hr_user(employer(), email="karin@bakkerij.be")
    db.session.commit()
    db.session.remove()
    known = _work_of_asking(app, client, "karin@bakkerij.be", "192.0.2.1")
    unknown = _work_of_asking(app, client, "nobody@bakkerij.be", "192.0.2.2")
    for i in range(app.config["SIGN_IN_LINKS_PER_HOUR"] - 1):
        _work_of_asking(app, client, "karin@bakkerij.be", f"192.0.2.{10 + i}")
    over = _work_of_asking(app, client, "karin@bakkerij.be", "192.0.2.3")
    assert any(s.startswith("INSERT INTO deliveries") for s in known.statements)
    assert unknown.statements == known.statements == over.statements
    assert unknown.commits == known.commits == over.commits >= 1
    assert _mails_to("karin@bakkerij.be") == app.config["SIGN_IN_LINKS_PER_HOUR"]


def _link_for(user) -> str:
    with i18n.locale("en"):
        signin.send(user.email)
    db.session.commit()
    [message] = [m for m in outbox() if m["To"] == user.email]
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"(/employer/sign-in/[^\s]+)", body).group(1)


def test_a_link_pressed_twice_at_the_same_moment_signs_in_once(app, client, monkeypatch):
    hr = hr_user(employer(), email="karin@bakkerij.be")
    db.session.commit()
    link, user_id = _link_for(hr), hr.id
    db.session.remove()
    barrier = threading.Barrier(2)
    real_load = signin.load

    def load_then_wait(token):
        found = real_load(token)
        if found is not None and threading.current_thread() is not threading.main_thread():
            barrier.wait(timeout=30)  # both presses have read the link before either uses it
        return found

    monkeypatch.setattr(signin, "load", load_then_wait)
    codes: list[int] = []
    errors: list[BaseException] = []

    def press(csrf: str, browser) -> None:
        try:
            codes.append(browser.post(link, data={"csrf_token": csrf}).status_code)
        except BaseException as exc:  # reported below
            errors.append(exc)
            barrier.abort()

    browsers = [app.test_client(), app.test_client()]
    tokens = [_TOKEN.search(b.get(link).get_data(as_text=True)).group(1) for b in browsers]
    threads = [
        threading.Thread(target=press, args=(t, b)) for t, b in zip(tokens, browsers, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert sorted(codes) == [302, 400]
    db.session.expire_all()
    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(UserSession)
            .where(UserSession.user_id == user_id)
        )
        == 1
    )
    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "accounts.login", AuditEvent.actor_id == user_id)
        )
        == 1
    )
    signed_in = [b for b in browsers if b.get("/employer/").status_code == 200]
    assert len(signed_in) == 1


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_an_expired_or_used_link_gets_a_translated_page_with_the_way_to_a_new_one(
    app, client, monkeypatch, language
):
    hr = hr_user(employer(), email="karin@bakkerij.be", language=language)
    db.session.commit()
    client.set_cookie("lang", language)
    with app.test_request_context(), i18n.locale(language):
        message = gettext("This sign-in link has expired or was already used. Ask for a new one.")
        ask = gettext("Get a sign-in link by e-mail")
    assert "sign-in link" not in message  # really translated
    # Used: the first press signs in, the second (in another browser) is refused.
    link = _link_for(hr)
    client.post(link, data={"csrf_token": csrf_token(client, link)})
    # Expired: made SIGN_IN_LINK_MINUTES and one more ago.
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(
        TimestampSigner,
        "get_timestamp",
        lambda self: real(self) - signin.SIGN_IN_LINK_MINUTES * 60 - 60,
    )
    expired = signin._serializer().dumps({"u": hr.id, "f": signin._fingerprint(hr), "n": ""})
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real)
    for path in (link, f"/employer/sign-in/{expired}"):
        other = app.test_client()
        other.set_cookie("lang", language)
        response = other.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, path
        assert message.replace("'", "&#39;") in page
        assert f'href="{ASK}"' in page and ask in page
