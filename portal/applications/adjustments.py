"""Reasonable adjustments on the selection day: a convoked candidate asks for what they need
(step-free access, an interpreter, large print, extra time...), until the day before; the
request is encrypted at rest like the health answers and shown only on the list of that
selection day, to the staff who run it (recruiters, medical staff, administrators), each
look audited. It goes with the health answers once the tests are past."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import SelectMultipleField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal import audit, clock
from portal.applications import health, selection
from portal.applications.intakes.models import SelectionDay
from portal.applications.models import Application, Convocation, Status
from portal.applications.questions import options
from portal.extensions import db
from portal.models import TimestampMixin
from portal.security import Role, role_required

KINDS = {
    "mobility": _l("Moving around: step-free access, a wheelchair, a place to sit"),
    "hearing": _l("Hearing: a sign-language interpreter, instructions in writing"),
    "sight": _l("Sight: large print, someone to read out the questions"),
    "reading": _l("Reading and writing (e.g. dyslexia): extra time for the computer tests"),
    "other": _l("Something else: say what below"),
}
STAFF = (Role.RECRUITER, Role.MEDICAL_STAFF, Role.ADMIN)
MAX_DETAILS = 1000  # characters of the free text


class Adjustment(TimestampMixin, db.Model):
    """One application's request (asking again replaces it)."""

    __tablename__ = "selection_adjustments"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    kinds: Mapped[str] = mapped_column(String(100), default="")  # codes, comma-separated
    details: Mapped[str] = mapped_column(Text, default="")  # encrypted (health.encrypt_text)

    @property
    def kind_list(self) -> list[str]:
        return [k for k in self.kinds.split(",") if k in KINDS]

    @property
    def details_text(self) -> str:
        return health.decrypt_text(self.details) if self.details else ""


class AdjustmentForm(FlaskForm):
    kinds = SelectMultipleField(_l("What would help you on the selection day?"),
                                choices=options(KINDS.items()), option_widget=CheckboxInput(),
                                widget=ListWidget(prefix_label=False))
    details = TextAreaField(_l("Tell us more (optional)"), validators=[
        Optional(), Length(max=MAX_DETAILS, message=_l("Write at most %(num)d characters.",
                                                       num=MAX_DETAILS))])


def of(application: Application) -> Adjustment | None:
    return db.session.scalar(db.select(Adjustment).where(
        Adjustment.application_id == application.id))


def last_day_to_ask(application: Application) -> date | None:
    """The day before the selection day the candidate is convoked to (None: not convoked)."""
    convocation = selection.convocation_of(application)
    if convocation is None or application.status != Status.TESTS_SCHEDULED:
        return None
    return date.fromordinal(convocation.selection_day.day.toordinal() - 1)


def can_ask(application: Application, today: date) -> bool:
    last = last_day_to_ask(application)
    return last is not None and today <= last


def ask(application: Application, kinds: list[str], details: str) -> Adjustment | None:
    """Store the request (flush, no commit); nothing chosen and nothing written withdraws it."""
    item = of(application)
    details = (details or "").strip()
    kinds = [k for k in kinds if k in KINDS]
    if not kinds and not details:
        if item is not None:
            db.session.delete(item)
        return None
    if item is None:
        item = Adjustment(application_id=application.id)
        db.session.add(item)
    item.kinds = ",".join(kinds)
    item.details = health.encrypt_text(details) if details else ""
    db.session.flush()
    return item


def of_day(day: SelectionDay) -> list[tuple[Application, Adjustment]]:
    """The requests of the candidates convoked on this day, by reference."""
    return list(db.session.execute(
        db.select(Application, Adjustment)
        .join(Convocation, Convocation.application_id == Application.id)
        .join(Adjustment, Adjustment.application_id == Application.id)
        .where(Convocation.selection_day_id == day.id)
        .order_by(Application.reference)))


def count_of_days(days) -> dict[int, int]:
    ids = [d.id for d in days]
    if not ids:
        return {}
    return dict(db.session.execute(
        db.select(Convocation.selection_day_id, db.func.count())
        .join(Adjustment, Adjustment.application_id == Convocation.application_id)
        .where(Convocation.selection_day_id.in_(ids))
        .group_by(Convocation.selection_day_id)).all())


def delete_of(application_ids) -> int:
    return db.session.execute(
        db.delete(Adjustment).where(Adjustment.application_id.in_(list(application_ids)))
        .execution_options(synchronize_session=False)).rowcount


def export(application: Application) -> dict | None:
    item = of(application)
    if item is None:
        return None
    return {"kinds": [str(KINDS[k]) for k in item.kind_list], "details": item.details_text}


bp = Blueprint("adjustments", __name__)


@bp.route("/my-application/<int:application_id>/adjustments", methods=["GET", "POST"])
@role_required(Role.CITIZEN)
def request_adjustment(application_id: int):
    application = db.session.scalar(db.select(Application).where(
        Application.id == application_id, Application.user_id == current_user.id))
    if application is None:
        abort(404)
    back = url_for("applications.status", application_id=application.id)
    if not can_ask(application, clock.today()):
        flash(_("Adjustments are asked for once you are convoked, until the day before your "
                "selection day. Call or write to us if it is later."), "error")
        return redirect(back)
    item = of(application)
    form = AdjustmentForm()
    if item is not None and not form.is_submitted():
        form.kinds.data = item.kind_list
        form.details.data = item.details_text
    if form.validate_on_submit():
        kept = ask(application, form.kinds.data or [], form.details.data)
        db.session.commit()
        flash(_("Your request is recorded: the staff of your selection day will see it.")
              if kept else _("You asked for no adjustment."), "success")
        return redirect(back)
    return render_template(
        "applications/candidate/adjustments.html", application=application, form=form,
        last_day=last_day_to_ask(application), asked=item is not None,
    ), 400 if form.errors else 200


@bp.get("/selection-days/<int:day_id>/adjustments")
@role_required(*STAFF)
def day_adjustments(day_id: int):
    day = db.get_or_404(SelectionDay, day_id)
    rows = of_day(day)
    audit.record(current_user, "selection_day.adjustments_viewed", day, shown=len(rows))
    db.session.commit()
    return render_template("applications/review/adjustments.html", day=day, rows=rows,
                           kinds=KINDS)
