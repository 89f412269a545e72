"""Forms of the candidate and reservist: the end-of-year choice, the reserve application,
proofs, swap requests."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from portal.dateranges import DateField, DateRange, horizon, today
from portal.numbers import IntegerField, record_id
from portal.reserve import vocab

UNIT_SLOTS = 3  # units a candidate can rank
UNAVAILABLE_SLOTS = 2  # periods they cannot serve


class ChoiceForm(FlaskForm):
    option = RadioField(
        _l("What would you like to do after your service year?"),
        choices=vocab.options([("career", _l("A career in Defence")),
                               ("reserve", _l("Join the Reserve")),
                               ("leave", _l("Leave Defence"))]),
        validators=[InputRequired(_l("Choose one of the options."))],
    )


class MultiCheckbox(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ApplyForm(FlaskForm):
    pillar = RadioField(_l("Pillar"), choices=vocab.options(vocab.PILLAR_LABELS.items()),
                        validators=[InputRequired(_l("Choose a pillar."))])
    rank_category = SelectField(_l("Rank category"),
                                choices=vocab.options(vocab.RANK_LABELS.items()))
    days_per_year = IntegerField(
        _l("Days per year you can give"),
        validators=[InputRequired(_l("Give the days per year.")),
                    NumberRange(min=0, max=365, message=_l("Give a number of days."))])
    commitment_months = IntegerField(
        _l("Commitment period (months)"),
        validators=[InputRequired(_l("Give the commitment period.")),
                    NumberRange(min=0, max=240, message=_l("Give a number of months."))])
    availability = RadioField(_l("Availability"), default="part_time",
                              choices=vocab.options(vocab.AVAILABILITY_LABELS.items()))
    # Checked by the service (units of the chosen pillar), which names the problem.
    unit_1 = SelectField(_l("First choice of unit"), coerce=record_id, default=0,
                         validate_choice=False)
    unit_2 = SelectField(_l("Second choice of unit"), coerce=record_id, default=0,
                         validate_choice=False)
    unit_3 = SelectField(_l("Third choice of unit"), coerce=record_id, default=0,
                         validate_choice=False)
    preferred_province = SelectField(
        _l("Province (territorial reserve)"),
        choices=vocab.options([("", "—"), *vocab.PROVINCE_LABELS.items()]),
        validate_choice=False)
    skills = MultiCheckbox(_l("Your expertise"), coerce=record_id)
    expertise_text = TextAreaField(_l("Other expertise, in your own words"),
                                   validators=[Length(max=2000)])
    # An end before its start is named by the service, with the form's other problems.
    unavailable_1_from = DateField(_l("Cannot serve from"),
                                   validators=[Optional(), DateRange(today, horizon)])
    unavailable_1_to = DateField(_l("until"), validators=[
        Optional(), DateRange(today, horizon)])
    unavailable_2_from = DateField(_l("Cannot serve from"),
                                   validators=[Optional(), DateRange(today, horizon)])
    unavailable_2_to = DateField(_l("until"), validators=[
        Optional(), DateRange(today, horizon)])
    street = StringField(_l("Street and number"), validators=[
        InputRequired(_l("Give your street and number.")), Length(max=160)])
    postcode = StringField(_l("Postcode"), validators=[
        InputRequired(_l("Give your postcode.")),
        Regexp(r"^[1-9][0-9]{3}$", message=_l("Enter a Belgian postcode of 4 digits."))])
    motivation = TextAreaField(_l("Why the Reserve? (optional)"), validators=[Length(max=2000)])

    def set_choices(self, units, skills, language: str) -> None:
        unit_choices = vocab.options([(0, "—")] + [
            (u.id, f"{u.name} · {vocab.PILLAR_LABELS[u.pillar]} · "
                   f"{vocab.PROVINCE_LABELS.get(u.province, '')}") for u in units])
        for i in range(1, UNIT_SLOTS + 1):
            getattr(self, f"unit_{i}").choices = unit_choices
        self.skills.choices = vocab.options((s.id, s.name(language)) for s in skills)


class UploadForm(FlaskForm):
    file = FileField(_l("Certificate or diploma (PDF, JPEG or PNG)"))


class SwapForm(FlaskForm):
    reason = TextAreaField(_l("Why do you need to swap this period?"),
                           validators=[InputRequired(_l("Tell the unit why you need to swap "
                                                        "this period.")), Length(max=1000)])
