"""Letters on the web: download an issued letter; staff start and follow letter runs."""
from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from portal import audit
from portal.extensions import db
from portal.letters.models import Letter
from portal.letters.services import readable_by
from portal.security import STAFF, Role, login_required, private_file

bp = Blueprint("letters", __name__, url_prefix="/letters")


@bp.get("/<string(length=22):public_id>.pdf")
@login_required
def download(public_id: str):
    """The stored bytes, exactly as issued. A letter not theirs to read is a 404."""
    letter = db.session.scalar(db.select(Letter).where(Letter.public_id == public_id))
    if letter is None or not readable_by(letter, current_user):
        abort(404)
    if Role(current_user.role) in STAFF and letter.user_id != current_user.id:
        audit.record(current_user, "letter.viewed", letter, reference=letter.reference)
        db.session.commit()
    return private_file(letter.pdf, "application/pdf", f"{letter.reference}.pdf",
                        etag=letter.sha256)

