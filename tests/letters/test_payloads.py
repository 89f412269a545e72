"""Every field that reaches a letter is tried with HTML, CSS and URL payloads while a canary
HTTP server on the loopback counts fetches: it must count none, and the payload must print
as text. Covers the full render (acknowledgement), a letter run (invitation), the readable data
export, the Reserve's engagement letter and the employer agreement letter."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from portal.employers import effects
from portal.employers import services as employers
from portal.extensions import db
from portal.letters import services
from portal.letters.models import Letter
from portal.letters.services import NotPrintable
from portal.privacy import services as privacy
from portal.reserve import letters as reserve_letters
from portal.reserve.models import EngagementEvent, EngagementStatus
from tests.employers import helpers as eh
from tests.support import factories
from tests.support import reserve as rs
from tests.support.letters import pdf_text


class _Canary(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # http.server's name
        _Canary.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def canary():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Canary.hits = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def payloads(base: str) -> list[str]:
    return [
        f'<img src="{base}/img">',
        f'<link rel="stylesheet" href="{base}/css">',
        f"<style>@import url({base}/import); body {{ background: url({base}/bg) }}</style>",
        f'<div style="background-image:url({base}/inline)">x</div>',
        f"@font-face {{ font-family: x; src: url({base}/font) }}",
        f'<svg><image href="{base}/svg"/></svg>',
        f'<object data="{base}/object"></object><iframe src="{base}/frame"></iframe>',
        f"url({base}/bare)",
        f'"><img src={base}/attr>',
        f"</span></div><img src='{base}/break'>",
        f"file:///etc/passwd {base}/text",
    ]


FIELDS = ("first_names", "last_name", "street", "house_number", "box", "municipality")


def test_payloads_in_every_letter_field_fetch_nothing_and_print_as_text(app, canary,
                                                                         tmp_path):
    cohort = factories.cohort()
    people = []
    for i, payload in enumerate(payloads(canary)):
        field = FIELDS[i % len(FIELDS)]
        limit = {"house_number": 12, "box": 12}.get(field, 100)
        people.append((factories.person(cohort, **{field: payload[:limit]}), field))
    db.session.commit()

    # The full render of a single letter. A payload too wide for the envelope window is
    # refused by the address rule, by name, before anything is laid out; one too wide for
    # its line elsewhere by the measured rule of both paths.
    refused = set()
    for person, _field in people:
        try:
            letter = services.issue(
                "acknowledgement", recipient=services.Recipient.from_person(person),
                actor=None, person=person, context={
                    "application_reference": person.last_name[:40],
                    "intake_name": person.street, "submitted_on": cohort.expires_on,
                    "answer_days": 14, "start_date": cohort.expires_on})
        except NotPrintable:
            refused.add(person.id)
            continue
        assert letter.page_count >= 1
    # A letter run: the variable-data path draws the personal texts itself.
    result = app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(tmp_path)])
    run_letters = db.session.scalars(db.select(Letter).where(Letter.kind == "invitation")).all()
    # Those that fit are lettered; the others fail alone, by name, in the run's report.
    assert len(run_letters) >= len(people) - len(refused) > 0, result.output
    # The readable export of a citizen whose names carry payloads.
    citizen = factories.user("citizen", first_name=payloads(canary)[0],
                             last_name=payloads(canary)[2][:100], person=people[1][0])
    db.session.commit()
    pdf = privacy.export_pdf(citizen, citizen)
    assert pdf.startswith(b"%PDF")

    assert _Canary.hits == []
    text = pdf_text(run_letters[0].pdf)
    assert "<" in text or "url(" in text  # printed as text, not interpreted


def test_payloads_in_reserve_and_employer_letters_fetch_nothing(app, canary):
    """The engagement letter (names, address, unit, the recruiter's reason) and the
    employer agreement letter (enterprise, signatory, reservist) with payloads in every
    field they print. In the envelope window (names, street, enterprise) a payload with a
    long URL is refused by the address rule, so those fields get short markup."""
    texts = payloads(canary)
    citizen = factories.user("citizen", first_name="<b>An</b>",
                             last_name="<style>*{color:red}</style>Peeters")
    unit = rs.unit(name=texts[2][:100], place=texts[3][:100])
    engagement = rs.engagement(citizen, status=EngagementStatus.REJECTED, unit=unit,
                               street='<img src="x"> Kerkstraat 1', postcode="1000")
    db.session.add(EngagementEvent(engagement_id=engagement.id, action="reject",
                                   from_status="screening", to_status="rejected",
                                   reason=" ".join(texts)))
    db.session.flush()
    db.session.refresh(engagement)
    reserve_letter = reserve_letters.issue(engagement, None)

    company = employers.employer_for(eh.NUMBERS[1], "<u>Bakkerij</u> NV")
    agreement = eh.proposed_agreement(company, reservist=citizen)
    agreement.signed_name, agreement.signed_function = "<i>Els</i> Maes", texts[6][:200]
    agreement_letter = effects.issue_letter(agreement, None, "sign")
    db.session.commit()

    assert _Canary.hits == []
    # Printed as text, not interpreted.
    reserve_text = pdf_text(reserve_letter.pdf)
    assert "url(" in reserve_text and "<b>An</b>" in reserve_text.replace("\n", " ")
    agreement_text = pdf_text(agreement_letter.pdf).replace("\n", " ")
    assert "<u>Bakkerij</u>" in agreement_text and "<i>Els</i>" in agreement_text
