"""The candidate's forms: submit, withdraw, answer an offer, book a session, move to
another selection day, ask for a review, write to the recruitment team."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from portal.numbers import IntegerField, record_id


class VersionForm(FlaskForm):
    """Submit, withdraw, accept, decline: a button and the version the page showed."""

    version = IntegerField(validators=[InputRequired()])


class BookingForm(FlaskForm):
    session_id = IntegerField(validators=[InputRequired()])


class RescheduleForm(FlaskForm):
    """Move to another selection day: the day chosen and the version the page showed."""

    selection_day = RadioField(_l("Selection day"), coerce=record_id,
                               validators=[InputRequired(_l("Choose a selection day."))])
    version = IntegerField(validators=[InputRequired()])


class ReviewRequestForm(FlaskForm):
    reason = TextAreaField(_l("Why do you disagree with the decision?"),
                           validators=[DataRequired(_l("Tell us why you disagree.")),
                                       Length(max=4000)])


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Your message"),
                         validators=[DataRequired(_l("Write your message.")), Length(max=4000)])
