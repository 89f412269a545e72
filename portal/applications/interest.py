"""The short interest questionnaire: how interested a young person is (0 to 10), the fields
that draw them, a driving licence, the languages they speak. Two minutes, before any
application; what it says fills in the same questions of their first application (they can
change them there). The answers are theirs: exported with their data, erased with their
account, never shown to recruiters as such."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import BooleanField, RadioField, SelectMultipleField
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from portal.applications.questions import FUNCTIONS, REQUIRED, options
from portal.extensions import db
from portal.models import TimestampMixin
from portal.security import Role, role_required

# The languages asked about: the country's three and English.
LANGUAGES = [("nl", _l("Dutch")), ("fr", _l("French")), ("de", _l("German")),
             ("en", _l("English"))]
# The scale's ends, as the question shows them.
SCALE = range(0, 11)


class Interest(TimestampMixin, db.Model):
    """One person's answers (one row per account; answering again replaces them)."""

    __tablename__ = "interests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    level: Mapped[int]
    functions: Mapped[str] = mapped_column(String(200), default="")  # codes, comma-separated
    driving_licence: Mapped[bool] = mapped_column(default=False)
    languages: Mapped[str] = mapped_column(String(40), default="")

    @property
    def function_list(self) -> list[str]:
        return [f for f in self.functions.split(",") if f]

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


def _checkboxes(label, choices) -> SelectMultipleField:
    return SelectMultipleField(label, choices=options(choices), option_widget=CheckboxInput(),
                               widget=ListWidget(prefix_label=False))


class InterestForm(FlaskForm):
    level = RadioField(
        _l("How interested are you in a year with Defence? %(low)d is not at all, %(high)d "
           "is very.", low=SCALE[0], high=SCALE[-1]),
        choices=options((str(n), str(n)) for n in SCALE), validators=[InputRequired(REQUIRED)])
    functions = _checkboxes(_l("Which fields draw you?"), FUNCTIONS)
    driving_licence = BooleanField(_l("I have a driving licence B"))
    languages = _checkboxes(_l("Languages you speak"), LANGUAGES)


def of(user) -> Interest | None:
    return db.session.scalar(db.select(Interest).where(Interest.user_id == user.id))


def prefill(user, step: str) -> dict:
    """What the questionnaire says for a step of a first application (empty: nothing)."""
    answers = of(user)
    if answers is None:
        return {}
    if step == "education" and answers.driving_licence:
        return {"driving_licence": True}
    if step == "preferences" and answers.function_list:
        return {"functions": answers.function_list}
    return {}


def export(user) -> dict | None:
    answers = of(user)
    if answers is None:
        return None
    labels = dict(FUNCTIONS)
    languages = dict(LANGUAGES)
    return {"interest": {
        "level": answers.level,
        "functions": [str(labels.get(f, f)) for f in answers.function_list],
        "driving_licence": answers.driving_licence,
        "languages": [str(languages.get(code, code)) for code in answers.language_list],
        "updated_at": answers.updated_at,
    }}


def erase(user) -> int:
    return db.session.execute(db.delete(Interest).where(Interest.user_id == user.id)).rowcount


bp = Blueprint("interest", __name__)


@bp.route("/account/interest", methods=["GET", "POST"])
@role_required(Role.CITIZEN)
def questionnaire():
    answers = of(current_user)
    form = InterestForm()
    if answers is not None and not form.is_submitted():
        form.level.data = str(answers.level)
        form.functions.data = answers.function_list
        form.driving_licence.data = answers.driving_licence
        form.languages.data = answers.language_list
    if form.validate_on_submit():
        if answers is None:
            answers = Interest(user_id=current_user.id)
            db.session.add(answers)
        answers.level = int(form.level.data)
        answers.functions = ",".join(form.functions.data or [])
        answers.driving_licence = bool(form.driving_licence.data)
        answers.languages = ",".join(form.languages.data or [])
        db.session.commit()
        flash(_("Thank you. Your answers will fill in the same questions of your application; "
                "you can change them there."), "success")
        return redirect(url_for("applications.intakes_open"))
    return render_template("applications/candidate/interest.html", form=form,
                           answered=answers is not None), 400 if form.errors else 200
