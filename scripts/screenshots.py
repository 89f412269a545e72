"""`make screenshots`: the main pages of the demo, at phone and desktop size, as PNG files in
docs/screenshots/. Runs the portal on a throw-away SQLite database with the demo data,
served from a thread, and the system Chromium (/usr/bin/chromium)."""
from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from datetime import time as dt_time
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyotp  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from werkzeug.serving import WSGIRequestHandler, make_server  # noqa: E402

from portal import create_app  # noqa: E402
from portal.accounts import second_factor  # noqa: E402
from portal.accounts.models import User  # noqa: E402
from portal.accounts.passwords import hash_password  # noqa: E402
from portal.applications.intakes.models import SelectionDay  # noqa: E402
from portal.applications.models import Application, Intake  # noqa: E402
from portal.demo import run_seeds  # noqa: E402
from portal.employers.models import Agreement  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import utcnow  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PASSWORD = "dienstjaar-demo-2026"  # noqa: S105 (the demo accounts' printed password)
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


def _portal(tmp: Path):
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'screenshots.sqlite3'}",
        "MAIL_DIR": str(tmp / "mail"), "MAIL_URL": None, "REDIS_URL": None,
        "JOBS_INLINE": True, "LETTER_RUN_DIR": str(tmp / "runs"),
        "RATELIMIT_ENABLED": False,
    })
    with app.app_context():
        upgrade()
        run_seeds()
        # Two demo candidates may log in here: one with an offer, one just submitted.
        for reference in ("DJ-DEMO-0013", "DJ-DEMO-0002"):
            application = db.session.scalar(
                db.select(Application).where(Application.reference == reference))
            db.session.get(User, application.user_id).password_hash = hash_password(PASSWORD)
        db.session.commit()
        ids = {r: db.session.scalar(db.select(Application.id).where(
            Application.reference == r)) for r in ("DJ-DEMO-0013", "DJ-DEMO-0002",
                                                   "DJ-DEMO-0008")}
        users = {r: db.session.scalar(db.select(User.email).join(
            Application, Application.user_id == User.id).where(Application.id == ids[r]))
            for r in ("DJ-DEMO-0013", "DJ-DEMO-0002")}
        intake_id = db.session.scalar(db.select(Application.intake_id).where(
            Application.id == ids["DJ-DEMO-0013"]))
        ids["agreement"] = db.session.scalar(db.select(Agreement.id).order_by(Agreement.id))
        _promises_scene(ids, users, intake_id)
    return app, ids, users, intake_id


# Demo candidates of the pages a letter sends them to: another selection day (convoked),
# a review of the decision (rejected), the first day (offer accepted).
PROMISES = {"reschedule": "DJ-DEMO-0006", "review-request": "DJ-DEMO-0015",
            "first-day": "DJ-DEMO-0014"}


def _promises_scene(ids: dict, users: dict, intake_id: int) -> None:
    """Another selection day to move to, the first day set on the intake, a recent
    rejection; the three candidates may log in."""
    intake = db.session.get(Intake, intake_id)
    intake.first_day_time = dt_time(8, 30)
    intake.first_day_place = "Kwartier Luitenant-Generaal Baron Jacques, Aarlen"
    intake.first_day_bring = "Identiteitskaart\nBankkaart of rekeningnummer\nSportkledij"
    intake.first_day_pay = "Soldij volgens je graad, elke maand gestort."
    intake.first_day_lodging = "Een bed op de kazerne van maandag tot vrijdag."
    intake.first_day_travel = "Gratis trein met je militaire kaart."
    first = db.session.scalar(db.select(SelectionDay).where(SelectionDay.intake_id == intake_id))
    db.session.add(SelectionDay(intake_id=intake_id, day=first.day + timedelta(days=7),
                                place=first.place, capacity=40))
    for name, reference in PROMISES.items():
        application = db.session.scalar(
            db.select(Application).where(Application.reference == reference))
        user = db.session.get(User, application.user_id)
        user.password_hash = hash_password(PASSWORD)
        ids[name], users[name] = application.id, user.email
        if name == "review-request":
            application.decided_at = utcnow() - timedelta(days=2)
    db.session.commit()


def _log_in(app, page, email: str) -> None:
    """Log in as the demo user; staff give a code of the demo two-step key (the next unused
    step, as two logins of the same account may fall within one 30-second step)."""
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: not url.split("?")[0].endswith("/login"))
    if page.url.split("?")[0].endswith("/login/code"):
        with app.app_context():
            user = db.session.scalar(db.select(User).where(User.email == email))
            totp = pyotp.TOTP(second_factor.secret(user))
            step = max(totp.timecode(time.time()), (user.totp_last_step or -1) + 1)
        page.locator("#code").fill(totp.generate_otp(step))
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(lambda url: "/login" not in url)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app, ids, users, intake_id = _portal(Path(tmp))
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        tours = [
            (None, "nl", [("home", "/"), ("sign-up", "/sign-up")]),
            (users["DJ-DEMO-0002"], "fr", [
                ("apply", "/apply"), ("sessions", f"/apply/{intake_id}/sessions"),
                ("status", f"/my-application/{ids['DJ-DEMO-0002']}")]),
            (users["DJ-DEMO-0013"], "nl", [
                ("offer", f"/my-application/{ids['DJ-DEMO-0013']}/offer")]),
            ("recruiter@example.org", "fr", [
                ("review-queue", f"/review/intakes/{intake_id}"),
                ("review-application", f"/review/applications/{ids['DJ-DEMO-0008']}"),
                ("dashboard", f"/review/intakes/{intake_id}/dashboard")]),
            ("admin@example.org", "de", [
                ("staff-home", "/staff"), ("letter-runs", "/admin/letter-runs"),
                ("audit-log", "/admin/audit")]),
            # A reservist's Reserve and training year; an employer's agreements.
            ("jan.desmet@example.org", "nl", [
                ("reserve-home", "/reserve"), ("reserve-pillars", "/reserve/pillars"),
                ("reserve-year", "/reserve/year")]),
            ("employer@example.org", "nl", [
                ("employer-home", "/employer/"),
                ("employer-agreement", f"/employer/agreements/{ids['agreement']}")]),
            (users["reschedule"], "nl", [
                ("reschedule", f"/my-application/{ids['reschedule']}/selection-day")]),
            (users["review-request"], "fr", [
                ("review-request", f"/my-application/{ids['review-request']}/review-request")]),
            (users["first-day"], "nl", [
                ("first-day", f"/my-application/{ids['first-day']}/first-day")]),
        ]
        # `python scripts/screenshots.py reschedule first-day`: only the pages named.
        only = set(sys.argv[1:])
        if only:
            tours = [(email, language, [shot for shot in shots if shot[0] in only])
                     for email, language, shots in tours]
            tours = [tour for tour in tours if tour[2]]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                         args=CHROMIUM_ARGS)
            for size, viewport in SIZES.items():
                for email, language, shots in tours:
                    context = browser.new_context(
                        base_url=base, viewport=viewport, is_mobile=size == "phone",
                        locale={"nl": "nl-BE", "fr": "fr-BE", "de": "de-BE"}[language])
                    context.add_cookies([{"name": "lang", "value": language, "url": base}])
                    page = context.new_page()
                    if email:
                        _log_in(app, page, email)
                        page.goto(f"/?lang={language}")
                    for name, path in shots:
                        page.goto(path)
                        page.wait_for_load_state("networkidle")
                        target = OUT / f"{name}-{size}.png"
                        page.screenshot(path=str(target), full_page=False)
                        print(target.relative_to(ROOT))
                    context.close()
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
