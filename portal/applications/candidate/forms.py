"""The candidate's one-button forms: submit, withdraw, answer an offer, book a session."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired


class VersionForm(FlaskForm):
    """Submit, withdraw, accept, decline: a button and the version the page showed."""

    version = IntegerField(validators=[InputRequired()])


class BookingForm(FlaskForm):
    session_id = IntegerField(validators=[InputRequired()])
