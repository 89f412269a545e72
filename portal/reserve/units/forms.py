"""Forms of the unit pages (periods, assignments, attendance) and of the admin pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.dateranges import DateField, DateRange, field, horizon, later, today
from portal.numbers import IntegerField, record_id
from portal.reserve import vocab
from portal.reserve.models import PeriodKind
from portal.reserve.training import LONGEST_PERIOD_DAYS


class MultiCheckbox(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PeriodForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=vocab.options(
        (k, label) for k, label in vocab.KIND_LABELS.items() if k != PeriodKind.CALL_UP))
    starts_on = DateField(_l("First day"), validators=[InputRequired(_l("Give the first day.")),
                                                       DateRange(today, horizon)])
    # From the first day, for as long as a period may last.
    ends_on = DateField(_l("Last day"), validators=[
        InputRequired(_l("Give the last day.")),
        DateRange(later(today, field("starts_on")),
                  field("starts_on", LONGEST_PERIOD_DAYS - 1))])
    place = StringField(_l("Place"), validators=[InputRequired(_l("Give the place.")),
                                                 Length(max=120)])
    capacity = IntegerField(_l("Capacity (reservists)"), validators=[
        InputRequired(_l("Give the capacity.")),
        NumberRange(min=1, max=5000, message=_l("The capacity must be at least 1."))])
    notes = TextAreaField(_l("Notes for the reservists"), validators=[Length(max=1000)])


class AssignForm(FlaskForm):
    # Any id a database integer holds (a forged larger one is a 400, not a 500).
    engagement_id = SelectField(_l("Reservist"), coerce=record_id, validate_choice=False)


class AttendanceForm(FlaskForm):
    served_days = IntegerField(_l("Days served"), validators=[Optional()])


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Your answer"), validators=[Length(max=1000)])


class UnitForm(FlaskForm):
    code = StringField(_l("Code"), validators=[InputRequired(_l("Give the code.")),
                                               Length(max=20)])
    name = StringField(_l("Name"), validators=[InputRequired(_l("Give the name.")),
                                               Length(max=120)])
    pillar = SelectField(_l("Pillar"), choices=vocab.options(vocab.PILLAR_LABELS.items()))
    province = SelectField(_l("Province"), choices=vocab.options(vocab.PROVINCE_LABELS.items()))
    place = StringField(_l("Garrison"), validators=[Length(max=120)])
    places = IntegerField(_l("Reservists needed"), default=0, validators=[
        InputRequired(_l("Give the number of reservists needed.")),
        NumberRange(min=0, message=_l("Places cannot be negative."))])
    active = BooleanField(_l("Open to applications"), default=True)
    skills = MultiCheckbox(_l("Skills needed"), coerce=record_id)
    members = MultiCheckbox(_l("Unit staff"), coerce=record_id)


class SkillForm(FlaskForm):
    code = StringField(_l("Code"), validators=[InputRequired(_l("Give the code.")),
                                               Length(max=40)])
    name_nl = StringField(_l("Name in Dutch"), validators=[
        InputRequired(_l("Give the name in Dutch.")), Length(max=120)])
    name_fr = StringField(_l("Name in French"), validators=[
        InputRequired(_l("Give the name in French.")), Length(max=120)])
    name_de = StringField(_l("Name in German"), validators=[
        InputRequired(_l("Give the name in German.")), Length(max=120)])
