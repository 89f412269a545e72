"""One optional question about a person's background, for equal opportunities: whether a
parent or carer completed higher education. Those who answer "no" are the first of their
family to go this far; the intake dashboard counts them as "first generation" so that
Defence can see whether the service year reaches young people from every background.

It is a question about education, not about origin: no special category of personal data
(art. 9 GDPR) is asked. Answering is voluntary and rests on the person's consent: they can
change or remove the answer at any time. It is never shown to recruiters or to anyone who
decides on an application; it appears only in the dashboard's counts, where no group of
fewer than DASHBOARD_MIN_CELL people is shown. It is exported with the person's data and
erased with their account.
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import RadioField
from wtforms.validators import InputRequired

from portal.applications.questions import REQUIRED, options
from portal.extensions import db
from portal.models import TimestampMixin
from portal.security import Role, role_required

# The answers, as stored; "no" makes the person the first generation in higher education.
ANSWERS = [
    ("yes", _l("Yes")),
    ("no", _l("No")),
    ("unknown", _l("I don't know")),
    ("not_said", _l("I prefer not to say")),
]
# How the dashboard groups them: "yes" first generation, "no" not, "" unknown or not said.
GROUPS = {"no": "yes", "yes": "no"}
LABELS = {"yes": _l("First generation in higher education"),
          "no": _l("A parent completed higher education")}


class BackgroundAnswer(TimestampMixin, db.Model):
    """One person's answer (one row per account; answering again replaces it)."""

    __tablename__ = "background_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    parents_higher_education: Mapped[str] = mapped_column(String(10))


class BackgroundForm(FlaskForm):
    parents_higher_education = RadioField(
        _l("Did one of your parents or the people who raised you complete higher education "
           "(a bachelor's degree or more)?"),
        choices=options(ANSWERS), validators=[InputRequired(REQUIRED)])


def of(user) -> BackgroundAnswer | None:
    return db.session.scalar(db.select(BackgroundAnswer).where(BackgroundAnswer.user_id == user.id))


def group(answer: str | None) -> str:
    """The dashboard's value for an answer: "yes" first generation, "no" not, "" unknown."""
    return GROUPS.get(answer or "", "")


def export(user) -> dict | None:
    answer = of(user)
    if answer is None:
        return None
    return {"background": {
        "parents_higher_education": str(dict(ANSWERS)[answer.parents_higher_education]),
        "updated_at": answer.updated_at,
    }}


def erase(user) -> int:
    return db.session.execute(
        db.delete(BackgroundAnswer).where(BackgroundAnswer.user_id == user.id)).rowcount


bp = Blueprint("background", __name__)


@bp.route("/account/background", methods=["GET", "POST"])
@role_required(Role.CITIZEN)
def question():
    answer = of(current_user)
    if request.method == "POST" and request.form.get("remove"):
        form = FlaskForm()
        if form.validate_on_submit():
            if answer is not None:
                db.session.delete(answer)
                db.session.commit()
            flash(_("Your answer is removed. It is no longer counted anywhere."), "success")
            return redirect(url_for("background.question"))
    form = BackgroundForm()
    if answer is not None and not form.is_submitted():
        form.parents_higher_education.data = answer.parents_higher_education
    if form.validate_on_submit():
        if answer is None:
            answer = BackgroundAnswer(user_id=current_user.id)
            db.session.add(answer)
        answer.parents_higher_education = form.parents_higher_education.data
        db.session.commit()
        flash(_("Thank you. Your answer is saved; you can change or remove it here at any "
                "time."), "success")
        return redirect(url_for("applications.mine"))
    return render_template("applications/candidate/background.html", form=form,
                           answered=answer is not None,
                           minimum=current_app.config["DASHBOARD_MIN_CELL"]), \
        400 if form.errors else 200
