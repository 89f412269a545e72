"""Load test: the candidate journey and the recruiter's work, headless and bounded.

Run through `benchmarks/load.py` (which seeds the database, starts gunicorn and passes
the fixtures in LOAD_FIXTURES); by hand:

    LOAD_FIXTURES=fixtures.json locust -f benchmarks/locustfile.py --headless \\
        -u 100 -r 10 -t 60s --host http://127.0.0.1:8000

Every virtual user waits 1 to 3 s (`--think`) between two pages (a person reads and
types far longer), so 100 users are 100 people at work, not 100 scripts firing back to
back.

Each request is named after its step ("candidate: submit", "recruiter: queue"), so the
statistics come per step. Pages count as failures on any status >= 400 and when the
expected result is missing (e.g. a submit that did not land on the status page).
"""
from __future__ import annotations

import json
import os
import random
import re
import time
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pyotp
from locust import HttpUser, between, events, task

FIXTURES = json.loads(Path(os.environ["LOAD_FIXTURES"]).read_text())
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_VERSION = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')
_APP_ID = re.compile(r"/my-application/(\d+)/")
_LINK = re.compile(r"https?://\S+/verify-email/\S+")
# Seconds between two pages of one user, "low,high" (load.py --think).
THINK = between(*(float(x) for x in os.environ.get("LOAD_THINK", "1,3").split(",")))
_codes = list(FIXTURES["invitations"])
_recruiters = list(FIXTURES["recruiters"])
random.Random(1).shuffle(_codes)
_queue_ids = {"submitted": list(FIXTURES["submitted_ids"]),
              "tests_passed": list(FIXTURES["tests_passed_ids"])}


def _token(html: str) -> str:
    found = _CSRF.search(html)
    return found.group(1) if found else ""


def _version(html: str) -> str:
    found = _VERSION.search(html)
    return (found.group(1) or found.group(2)) if found else "1"


def _verification_link(email: str, since: float, timeout: float = 30.0) -> str | None:
    """The link of the verification e-mail gunicorn wrote to MAIL_DIR for `email`. The
    queue worker that sends it runs at nice 10: on a machine busy with other work (the test
    suite's other process) it may take a while."""
    directory = Path(FIXTURES["mail_dir"])
    parser = BytesParser(policy=policy.default)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(directory.glob("*.eml"), reverse=True):
            if int(path.name.split("-", 1)[0]) < since * 1e9:
                break
            message = parser.parsebytes(path.read_bytes())
            if message["To"] == email:
                text = message.get_body(preferencelist=("plain",)).get_content()
                found = _LINK.search(text)
                if found:
                    return found.group(0)
        time.sleep(0.1)
    return None


class Candidate(HttpUser):
    """Invitation letter in hand: code, account, e-mail link, session, steps, submit."""

    weight = 3
    wait_time = THINK

    def _post(self, url: str, page_html: str, data: dict, name: str):
        self.wait()
        return self.client.post(url, data={"csrf_token": _token(page_html), **data}, name=name)

    def _get(self, url: str, name: str):
        self.wait()
        return self.client.get(url, name=name)

    @task
    def journey(self):
        if not _codes:
            self.stop()
            return
        invite = _codes.pop()
        self.client.cookies.clear()
        intake = FIXTURES["intake_id"]
        page = self.client.get("/start", name="candidate: start page").text
        answer = self._post("/start", page, {"code": invite["code"],
                                             "birth_date": invite["birth_date"]},
                            "candidate: enter code")
        email = f"load-{invite['code'].replace('-', '').lower()}@example.be"
        started = time.time()
        self._post("/start/account", answer.text, {
            "first_name": invite["first_name"], "last_name": invite["last_name"],
            "email": email, "language": "nl", "password": FIXTURES["password"],
            "confirm": FIXTURES["password"]}, "candidate: create account")
        link = _verification_link(email, started)
        if link is None:
            events.request.fire(request_type="MAIL", name="candidate: verification e-mail",
                                response_time=0, response_length=0,
                                exception=RuntimeError("no verification e-mail"))
            return
        self._get("/" + link.split("://", 1)[1].split("/", 1)[1], "candidate: confirm e-mail")
        login = self._get("/login", "candidate: login page").text
        self._post("/login", login, {"email": email, "password": FIXTURES["password"]},
                   "candidate: log in")
        sessions = self._get(f"/apply/{intake}/sessions", "candidate: sessions").text
        self._post(f"/apply/{intake}/sessions", sessions,
                   {"session_id": random.choice(FIXTURES["session_ids"])}, "candidate: book")
        apply = self._get("/apply", "candidate: apply page").text
        started_app = self._post(f"/apply/{intake}/start", apply, {}, "candidate: start")
        found = _APP_ID.search(started_app.url or "") or _APP_ID.search(started_app.text)
        if not found:
            events.request.fire(request_type="FLOW", name="candidate: start", response_time=0,
                                response_length=0, exception=RuntimeError("no application"))
            return
        app_id = found.group(1)
        for step, data in FIXTURES["steps"].items():
            data = dict(data)
            if step == "personal":
                data.update(national_number=invite["national_number"],
                            birth_date=invite["birth_date"], first_name=invite["first_name"],
                            last_name=invite["last_name"])
            if step == "contact":
                data["email"] = email
            url = f"/my-application/{app_id}/step/{step}"
            html = self._get(url, "candidate: step page").text
            self.wait()
            with self.client.post(url, data={"csrf_token": _token(html),
                                             "version": _version(html), **data},
                                  name="candidate: save step", catch_response=True) as r:
                if f"/step/{step}" in r.url:
                    r.failure(f"step {step} not accepted")
        check = self._get(f"/my-application/{app_id}/check", "candidate: check").text
        self.wait()
        with self.client.post(f"/my-application/{app_id}/submit",
                              data={"csrf_token": _token(check), "version": _version(check)},
                              name="candidate: submit", catch_response=True) as r:
            if not r.url.rstrip("/").endswith(f"/my-application/{app_id}"):
                r.failure("not submitted")
        self._get(f"/my-application/{app_id}", "candidate: status")


class Recruiter(HttpUser):
    """Works through the queue: filters, opens applications, moves them on."""

    weight = 1
    wait_time = THINK

    def on_start(self):
        if not _recruiters:
            self.stop()
            return
        account = _recruiters.pop()
        page = self.client.get("/login", name="recruiter: login page").text
        code_page = self.client.post("/login", data={
            "csrf_token": _token(page), "email": account["email"],
            "password": FIXTURES["password"]}, name="recruiter: log in")
        self.wait()
        code = pyotp.TOTP(account["totp_secret"]).now()
        with self.client.post("/login/code", data={"csrf_token": _token(code_page.text),
                                                   "code": code},
                              name="recruiter: two-step code", catch_response=True) as r:
            if "/login" in r.url or "/two-step" in r.url:
                r.failure("two-step verification not passed")

    def _staff_page(self, response) -> None:
        """A staff page that sent the recruiter back to a login step is a failure."""
        if "/login" in response.url or "/two-step" in response.url:
            response.failure("sent back to the login")

    @task(4)
    def queue(self):
        query = random.choice(["", "?status=submitted", "?component=land&language=fr",
                               "?sort=-score", "?q=pee", "?flagged=1",
                               f"?page={random.randint(1, 400)}"])
        with self.client.get(f"/review/intakes/{FIXTURES['queue_intake_id']}{query}",
                             name="recruiter: queue", catch_response=True) as r:
            self._staff_page(r)

    @task(2)
    def screen(self):
        self._move("submitted", "screening", "recruiter: start screening")

    @task(1)
    def waitlist(self):
        self._move("tests_passed", "waitlist", "recruiter: waitlist (decision)")

    def _move(self, status: str, action: str, name: str):
        if not _queue_ids[status]:
            return
        app_id = _queue_ids[status].pop()
        with self.client.get(f"/review/applications/{app_id}", name="recruiter: application",
                             catch_response=True) as r:
            self._staff_page(r)
            html = r.text
        self.wait()
        with self.client.post(f"/review/applications/{app_id}/{action}",
                              data={"csrf_token": _token(html), "version": _version(html)},
                              name=name, catch_response=True) as r:
            self._staff_page(r)
