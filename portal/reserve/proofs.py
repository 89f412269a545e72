"""Proofs of expertise: only PDF, JPEG or PNG (judged by their first bytes, not by their
name), size-limited, stored under instance/ outside the web root, served as attachments."""
from __future__ import annotations

import hashlib
import re
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from portal import audit
from portal.extensions import db
from portal.refusals import Refusal
from portal.reserve.models import Engagement, Proof

# Kind -> (magic bytes, content type, file name endings that claim it)
KINDS = {
    "pdf": (b"%PDF-", "application/pdf", (".pdf",)),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
}
MAX_PROOFS = 10


def directory() -> Path:
    path = Path(current_app.config["RESERVE_PROOF_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def sniff(head: bytes) -> str | None:
    for kind, (magic, _type, _ends) in KINDS.items():
        if head.startswith(magic):
            return kind
    return None


def clean_name(filename: str) -> str:
    name = Path(filename or "").name
    name = re.sub(r"[^A-Za-z0-9._ -]+", "_", name).strip(" .") or "proof"
    return name[-120:]


def save(engagement: Engagement, user, filename: str, data: bytes) -> Proof:
    """Check and keep one uploaded proof. Flushes; nothing is written when refused."""
    if engagement.user_id != user.id:
        raise Refusal(_("You are not allowed to take this action."))
    limit = current_app.config["RESERVE_PROOF_MAX_BYTES"]
    if not data:
        raise Refusal(_("Choose a file to upload."), field="file")
    if len(data) > limit:
        raise Refusal(_("The file is too large: at most %(mb)d MB.", mb=limit // (1024 * 1024)),
                      field="file")
    kind = sniff(data[:16])
    name = clean_name(filename)
    if kind is None or not name.lower().endswith(KINDS[kind][2]):
        raise Refusal(_("Only PDF, JPEG or PNG files are accepted, and the file must really "
                        "be what its name says."), field="file")
    if len(engagement.proofs) >= MAX_PROOFS:
        raise Refusal(_("You can upload at most %(n)d files.", n=MAX_PROOFS), field="file")
    stored = f"{secrets.token_hex(16)}.bin"
    (directory() / stored).write_bytes(data)
    proof = Proof(engagement_id=engagement.id, user_id=user.id, filename=name,
                  content_type=KINDS[kind][1], size=len(data),
                  sha256=hashlib.sha256(data).hexdigest(), stored_name=stored)
    db.session.add(proof)
    db.session.flush()
    audit.record(user, "reserve.proof_uploaded", proof, engagement=engagement.reference,
                 size=len(data), content_type=proof.content_type)
    return proof


def path_of(proof: Proof) -> Path:
    return directory() / proof.stored_name


def readable_by(proof: Proof, user) -> bool:
    """The owner and recruiters/administrators; nobody else (they get a 404)."""
    return proof.user_id == user.id or user.role in ("recruiter", "admin")
