"""One person's whole way through the portal, across every domain, through the real pages:
a register extract, the printed invitation, sign-up with its code, an application, two
recruiters, the offer accepted, and every letter downloadable exactly as archived."""
from __future__ import annotations

import hashlib
import io
import re
from datetime import date, timedelta

from portal.accounts.models import User
from portal.applications.intakes.models import SelectionDay
from portal.applications.models import Application, Status
from portal.extensions import db
from portal.invitations.models import Cohort, Person
from portal.invitations.sample import csv_bytes
from portal.letters.models import Letter
from tests.support import factories
from tests.support import review as review
from tests.support.candidate import born_aged, fill, start, step_data
from tests.support.client import csrf_token, post_form, version_on
from tests.support.client import post_form as post
from tests.support.factories import national_number
from tests.support.letters import pdf_text
from tests.support.mail import last_mail_to, links_in, path_of

PASSWORD = "een lange en ongewone wachtzin"
CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]\b")
# "Your personal invitation code", as each language section of the letter prints it.
CODE_LABEL = {"nl": "Jouw persoonlijke uitnodigingscode", "fr": "Ton code d'invitation personnel",
              "de": "Dein persönlicher Einladungscode"}


def _flat(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def _invitation_of(person: Person) -> tuple[Letter, str]:
    letter = db.session.scalar(db.select(Letter).where(
        Letter.kind == "invitation", Letter.person_id == person.id))
    assert letter is not None, f"no invitation letter for {person.full_name}"
    return letter, _flat(letter.pdf)


def _import_register_extract(app, admin, birth: date) -> Cohort:
    browser = app.test_client()
    review.login(browser, admin)
    response = post_form(browser, "/admin/cohorts", {
        "name": f"Born {birth.year}", "born_from": date(birth.year - 1, 1, 1).isoformat(),
        "born_to": date(birth.year, 12, 31).isoformat(),
        "expires_on": (date.today() + timedelta(days=180)).isoformat()})
    assert response.status_code == 302, response.get_data(as_text=True)
    cohort = db.session.scalar(db.select(Cohort))
    eupen_birth = birth - timedelta(days=1)
    extract = csv_bytes([
        [national_number(birth, 11), "Peeters", "Lotte Maria", f"{birth:%d/%m/%Y}",
         "Veldstraat", "12", "", "9000", "Gent", ""],
        [national_number(eupen_birth, 12), "Schmitz", "Anna", f"{eupen_birth:%d/%m/%Y}",
         "Kirchstraße", "3", "", "4700", "Eupen", ""],
    ])
    token = csrf_token(browser, f"/admin/cohorts/{cohort.id}")
    response = browser.post(f"/admin/cohorts/{cohort.id}/imports",
                            data={"csrf_token": token, "file": (io.BytesIO(extract), "rr.csv")},
                            content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    report = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 rows read: 2 new persons, 0 already imported, 0 rows rejected." in report
    return cohort


def _sign_up_with_the_letter(app, code: str, birth: date) -> tuple:
    browser = app.test_client()
    response = post_form(browser, "/start", {"code": code, "birth_date": birth.isoformat()})
    assert response.headers["Location"].endswith("/start/account")
    page = browser.get("/start/account").get_data(as_text=True)
    assert 'value="Lotte"' in page and 'value="Peeters"' in page
    assert re.search(r'<option[^>]*selected[^>]*value="nl"', page), "register language not set"
    response = post_form(browser, "/start/account", {
        "first_name": "Lotte", "last_name": "Peeters", "email": "lotte.peeters@example.be",
        "language": "nl", "password": PASSWORD, "confirm": PASSWORD})
    assert "/sign-up/check-email" in response.headers["Location"]

    mail = last_mail_to("lotte.peeters@example.be")
    [link] = [u for u in links_in(mail) if "/verify-email/" in u]
    assert browser.get(path_of(link)).headers["Location"].endswith("/login")
    response = post_form(browser, "/login",
                         {"email": "lotte.peeters@example.be", "password": PASSWORD})
    assert response.status_code == 302 and "/login" not in response.headers["Location"]
    user = db.session.scalar(db.select(User).where(User.email == "lotte.peeters@example.be"))
    assert user.email_verified_at is not None and user.person is not None
    return browser, user


def _apply(browser, intake, session) -> int:
    assert post(browser, f"/apply/{intake.id}/sessions",
                {"session_id": session.id}).status_code == 302
    application_id = start(browser, intake)
    steps = step_data(intake)
    steps["personal"] = {"first_name": "Lotte", "last_name": "Peeters",
                         "nationality": "belgian", "language": "nl"}
    steps["contact"].update(email="lotte.peeters@example.be", street="Veldstraat",
                            house_number="12", postcode="9000", municipality="Gent")
    fill(browser, application_id, steps)
    check = f"/my-application/{application_id}/check"
    response = post(browser, f"/my-application/{application_id}/submit",
                    {"version": version_on(browser, check)}, page=check)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return application_id


def _two_recruiters_select(app, intake, application_id: int) -> None:
    first, second = (factories.user("recruiter", language="en") for _ in range(2))
    db.session.commit()
    browser = app.test_client()
    review.login(browser, first)
    day = (date.today() + timedelta(days=21)).isoformat()
    response = post_form(browser, f"/review/intakes/{intake.id}/selection-days",
                         {"day": day, "place": "Kwartier Peutie, Vilvoorde", "capacity": "5"})
    assert response.status_code == 302, response.get_data(as_text=True)
    selection_day = db.session.scalar(db.select(SelectionDay))
    review.through_tests(browser, application_id, selection_day.id, [72, 80, 65, 90])
    # The vetting authority's screening: asked for by a recruiter, its favourable outcome
    # recorded by a security officer; selection waits for it.
    assert review.post(browser, f"/review/applications/{application_id}/security-screening",
                       application_id).status_code == 302
    officer = factories.user("security_officer", language="en")
    db.session.commit()
    review.login(browser, officer)
    queue = browser.get("/security-screening/").get_data(as_text=True)
    found = re.search(r'href="/security-screening/(\d+)"', queue)
    assert found, queue
    url = f"/security-screening/{found.group(1)}"
    assert post_form(browser, f"{url}/outcome", {"outcome": "favourable"},
                     page=url).status_code == 302
    review.login(browser, first)
    assert review.propose(browser, application_id, "select",
                          component="air").status_code == 302
    review.login(browser, second)
    assert review.confirm(browser, application_id).status_code == 302


def test_from_register_extract_to_an_accepted_place(app, tmp_path, monkeypatch):
    intake = factories.intake()
    session = factories.info_session(intake)
    admin = factories.user("admin", language="en")
    db.session.commit()
    birth = born_aged(19, intake.start_date)

    # 1. The administrator creates the cohort and uploads the register extract.
    cohort = _import_register_extract(app, admin, birth)
    gent, eupen = (db.session.scalar(db.select(Person).where(Person.postcode == pc))
                   for pc in ("9000", "4700"))

    # 2. The letter run prints and archives one invitation each, in the region's languages.
    monkeypatch.setitem(app.config, "LETTER_WORKERS", 1)
    result = app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "manifest.csv").is_file()
    letter, text = _invitation_of(gent)
    assert letter.languages.split(",")[0] == "nl"
    assert 0 <= text.index(CODE_LABEL["nl"]) < text.index(CODE_LABEL["fr"])
    codes = set(CODE.findall(text))
    assert len(codes) == 1, codes
    [code] = codes
    eupen_letter, eupen_text = _invitation_of(eupen)
    assert eupen_letter.languages.split(",")[0] == "de"
    assert 0 <= eupen_text.index(CODE_LABEL["de"]) < min(
        eupen_text.index(CODE_LABEL["fr"]), eupen_text.index(CODE_LABEL["nl"]))
    assert set(CODE.findall(eupen_text)).isdisjoint(codes)

    # 3. Lotte signs up with the code from her letter, confirms her address and logs in.
    candidate, user = _sign_up_with_the_letter(app, code, birth)
    assert user.person.id == gent.id

    # 4. She books an information session, fills in the application and submits it.
    application_id = _apply(candidate, intake, session)
    ack = db.session.scalar(db.select(Letter).where(Letter.kind == "acknowledgement"))
    ack_text = _flat(ack.pdf)
    assert ack.languages == "nl,fr" and ack.user_id == user.id
    assert 0 <= ack_text.index("We hebben je kandidatuur") < ack_text.index(
        "Nous avons bien reçu ta candidature")

    # 5. Two recruiters take her through screening and tests, and select her (four eyes).
    _two_recruiters_select(app, intake, application_id)
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    assert (application.status, application.component) == (Status.SELECTED, "air")
    decision = db.session.scalar(db.select(Letter).where(Letter.kind == "decision"))
    assert decision is not None and decision.subject_id == str(application_id)
    assert application.reference in _flat(decision.pdf)

    # 6. She accepts the offer; her page shows it, with every letter as it was archived.
    status_url = f"/my-application/{application_id}"
    assert "/offer" in candidate.get(status_url).get_data(as_text=True)
    offer = f"{status_url}/offer"
    response = post(candidate, offer, {"version": version_on(candidate, offer),
                                       "answer": "accept"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Bedankt: je hebt het aanbod aanvaard." in page
    assert "Plaats aanvaard" in page
    db.session.expire_all()
    assert db.session.get(Application, application_id).status == Status.OFFER_ACCEPTED

    linked = re.findall(r'href="/letters/([\w-]{22})\.pdf"', page)
    letters = {x.public_id: x for x in db.session.scalars(db.select(Letter).where(
        (Letter.user_id == user.id) | (Letter.person_id == gent.id)))}
    assert sorted(linked) == sorted(letters)
    assert sorted(x.kind for x in letters.values()) == [
        "acknowledgement", "convocation", "decision", "invitation"]
    for letter_id in linked:
        download = candidate.get(f"/letters/{letter_id}.pdf")
        assert download.status_code == 200 and download.mimetype == "application/pdf"
        assert hashlib.sha256(download.data).hexdigest() == letters[letter_id].sha256
    # Anna's letter is not Lotte's to read.
    assert candidate.get(f"/letters/{eupen_letter.public_id}.pdf").status_code == 404
