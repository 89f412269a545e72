"""Proofs of expertise under attack: a file is judged by its first bytes, not its name or the
type the browser claims; the size limit holds to the byte; no file name writes outside the
proof folder or reaches a header raw; a proof is served as an attachment that is never
sniffed or run; and only its owner and the staff who decide (recruiters, administrators)
read it."""

from __future__ import annotations

import uuid
from io import BytesIO
from pathlib import Path

import pytest

from portal.extensions import db
from portal.reserve import proofs
from portal.reserve.models import EngagementStatus, Proof
from tests.employers.helpers import employer, hr_user, signed_agreement
from tests.support import factories
from tests.support import reserve as helpers
from tests.support.client import login, post_form
from tests.support.reserve import PDF

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _upload(client, engagement, name: str, data: bytes, content_type: str | None = None):
    page = f"/reserve/engagements/{engagement.id}"
    upload = (BytesIO(data), name, content_type) if content_type else (BytesIO(data), name)
    return post_form(
        client,
        f"{page}/proofs",
        {"file": upload},
        page=page,
        content_type="multipart/form-data",
        follow_redirects=True,
    )


@pytest.fixture
def reservist(app, client):
    user = factories.user(language="en")
    engagement = helpers.engagement(user, pillar="specialised")
    db.session.commit()
    login(client, user)
    return user, engagement


def _stored() -> list[Proof]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Proof).order_by(Proof.id)))


# What the name or the browser claims is not what the file is: each is refused.
REFUSED = [
    ("diploma.pdf", HTML, "application/pdf"),  # a web page named as a PDF
    ("badge.png", SVG, "image/png"),  # a scripted SVG named as a PNG
    ("photo.jpg", b"<?php system($_GET['c']); ?>", "image/jpeg"),  # a script as a photo
    ("diploma.pdf", PNG, "application/pdf"),  # a PNG named as a PDF
    ("diploma.html", PDF, "text/html"),  # a real PDF under a name a browser would run
    ("diploma.pdf.html", PDF, "application/pdf"),  # a double ending
    ("diploma.svg", PNG, "image/svg+xml"),  # a real PNG named as an SVG
    ("diploma", PDF, "application/pdf"),  # no ending at all
    ("diploma.pdf\x00.html", PDF, "application/pdf"),  # a NUL hiding the real ending
    ("diploma.pdf", b"", "application/pdf"),  # nothing
]


@pytest.mark.parametrize(("name", "data", "claimed"), REFUSED)
def test_a_file_that_is_not_what_it_claims_is_refused(client, reservist, name, data, claimed):
    _user, engagement = reservist
    response = _upload(client, engagement, name, data, claimed)
    assert response.status_code == 200
    assert _stored() == []


@pytest.mark.parametrize(
    ("name", "data", "served_as"),
    [
        ("DIPLOMA.PDF", PDF, "application/pdf"),
        ("badge.png", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
    ],
)
def test_a_real_file_is_kept_and_served_as_what_its_bytes_say(
    client, reservist, name, data, served_as
):
    _user, engagement = reservist
    # The browser claims it is a web page: the bytes decide.
    _upload(client, engagement, name, data, "text/html")
    [proof] = _stored()
    response = client.get(f"/reserve/proofs/{proof.id}")
    assert response.status_code == 200 and response.data == data
    assert response.mimetype == served_as


def test_the_size_limit_holds_to_the_byte(app, client, reservist):
    _user, engagement = reservist
    limit = 2048
    app.config["RESERVE_PROOF_MAX_BYTES"] = limit
    try:
        over = _upload(client, engagement, "big.pdf", PDF + b"0" * (limit + 1 - len(PDF)))
        assert "The file is too large" in over.get_data(as_text=True)
        assert _stored() == []
        _upload(client, engagement, "exact.pdf", PDF + b"0" * (limit - len(PDF)))
    finally:
        app.config["RESERVE_PROOF_MAX_BYTES"] = 5 * 1024 * 1024
    [proof] = _stored()
    assert proof.size == limit


TRAVERSALS = [
    "../../../../../../tmp/{tag}.pdf",
    "..\\..\\..\\..\\tmp\\{tag}.pdf",
    "/tmp/{tag}.pdf",
    "....//....//tmp/{tag}.pdf",
    "%2e%2e%2f%2e%2e%2ftmp%2f{tag}.pdf",
    "~/{tag}.pdf",
]


@pytest.mark.parametrize("template", TRAVERSALS)
def test_no_file_name_writes_outside_the_proof_folder(app, client, reservist, template):
    _user, engagement = reservist
    tag = f"proof-escape-{uuid.uuid4().hex}"
    folder = Path(app.config["RESERVE_PROOF_DIR"]).resolve()
    root = folder.parent
    before = {p for p in root.rglob("*") if p.is_file()}
    _upload(client, engagement, template.format(tag=tag), PDF)
    after = {p for p in root.rglob("*") if p.is_file()}
    assert not Path(f"/tmp/{tag}.pdf").exists()
    assert not (Path.home() / f"{tag}.pdf").exists()
    new = after - before
    assert all(p.resolve().parent == folder for p in new), new
    for proof in _stored():
        assert "/" not in proof.filename and "\\" not in proof.filename
        assert ".." not in proof.filename.replace("....", "")[:2]
        assert proofs.path_of(proof).resolve().parent == folder
        assert tag not in proof.stored_name  # the stored name is the portal's own


def test_a_file_name_cannot_break_the_download_header(client, reservist):
    _user, engagement = reservist
    _upload(client, engagement, "cert; filename*=UTF-8''evil.html; x=é.pdf", PDF)
    [proof] = _stored()
    assert proof.filename.endswith(".pdf") and ";" not in proof.filename
    response = client.get(f"/reserve/proofs/{proof.id}")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "evil.html" not in disposition.replace("_evil.html_", "")
    assert disposition.count("filename=") == 1 and "filename*=UTF-8''evil" not in disposition


def test_a_proof_is_an_attachment_never_sniffed_cached_or_run(client, reservist):
    user, engagement = reservist
    # A PDF that also holds a web page: a browser that sniffed it would run the script.
    _upload(client, engagement, "diploma.pdf", PDF + HTML)
    [proof] = _stored()
    response = client.get(f"/reserve/proofs/{proof.id}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/pdf"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "no-store" in response.headers["Cache-Control"]


def _readers():
    """Who may and may not read one reservist's proof: (who, expected status)."""
    own_unit_staff = factories.user(role="unit_staff")
    unit = helpers.unit(staff=[own_unit_staff])
    other_unit_staff = factories.user(role="unit_staff")
    helpers.unit(staff=[other_unit_staff])
    owner = factories.user(language="en")
    engagement = helpers.engagement(owner, status=EngagementStatus.ACTIVE, unit=unit)
    proof = proofs.save(engagement, owner, "cert.pdf", PDF)
    # The reservist's own employer, with a signed agreement about them.
    company = employer()
    hr = hr_user(company)
    signed_agreement(company, hr=hr, reservist=owner)
    other_candidate = factories.user()
    helpers.engagement(other_candidate, status=EngagementStatus.ACTIVE, unit=unit)
    db.session.commit()
    return proof, [
        (owner, 200),
        (factories.user(role="recruiter"), 200),
        (factories.user(role="admin"), 200),
        (other_candidate, 404),
        (factories.user(), 404),
        (own_unit_staff, 404),
        (other_unit_staff, 404),
        (hr, 404),
        (factories.user(role="medical_staff"), 404),
    ]


def test_only_the_owner_and_the_deciding_staff_read_a_proof(app, client):
    proof, readers = _readers()
    db.session.commit()
    for user, expected in readers:
        login(client, user)
        response = client.get(f"/reserve/proofs/{proof.id}")
        assert response.status_code == expected, (user.role, user.email)
        if expected == 200:
            assert response.data == PDF
        else:
            assert PDF not in response.data
    client.get("/")
    with client.session_transaction() as session:
        session.clear()
    anonymous = client.get(f"/reserve/proofs/{proof.id}")
    assert anonymous.status_code == 302 and "/login" in anonymous.location
    # Nor through someone else's engagement: uploading there is refused as well.
    other = next(u for u, e in readers if e == 404 and u.role == "citizen")
    login(client, other)
    page = f"/reserve/engagements/{proof.engagement_id}/proofs"
    assert client.post(page, data={"file": (BytesIO(PDF), "x.pdf")}).status_code in (400, 404)


def test_a_staff_member_reading_a_proof_is_audited(app, client):
    from portal.audit import AuditEvent

    proof, readers = _readers()
    recruiter = next(u for u, e in readers if u.role == "recruiter")
    login(client, recruiter)
    assert client.get(f"/reserve/proofs/{proof.id}").status_code == 200
    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "reserve.proof_viewed", AuditEvent.actor_id == recruiter.id)
        )
        == 1
    )
