"""Security headers on every page; a CSP that forbids inline scripts."""


def test_pages_carry_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_hold_no_inline_script(client):
    assert "<script>" not in client.get("/").get_data(as_text=True)


def test_pages_showing_personal_data_to_anonymous_visitors_are_never_cached(client):
    """/start/account shows a register extract's name and /sign-up/check-email an
    address: a shared computer's browser or a proxy must not keep them."""
    from datetime import date

    from portal.extensions import db
    from portal.invitations import services
    from tests.support import factories
    from tests.support.client import post_form

    cohort = factories.cohort(born_from=date(2008, 1, 1), born_to=date(2008, 12, 31))
    person = factories.person(cohort, birth_date=date(2008, 5, 17))
    _invitation, code = services.issue_invitation(person, cohort, actor=None)
    db.session.commit()
    post_form(client, "/start", {"code": code, "birth_date": "2008-05-17"})
    assert client.get("/start/account").headers["Cache-Control"] == "no-store"

    post_form(client, "/sign-up", {"first_name": "A", "last_name": "B",
                                   "email": "a.b@example.be", "language": "nl",
                                   "password": "een lange zin als wachtwoord",
                                   "confirm": "een lange zin als wachtwoord"})
    assert client.get("/sign-up/check-email").headers["Cache-Control"] == "no-store"
