"""The audit log, read by administrators: filter, page through, export nothing else."""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional

from portal import audit, clock, dateranges, paging
from portal.accounts.models import User
from portal.audit import AuditEvent
from portal.extensions import db
from portal.navigation import StaffTask, add_staff_task
from portal.security import Role, role_required

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
FILTERS = ("action", "actor", "object_type", "object_id", "since", "until")


def first_event_day(_form=None) -> date:
    """The day of the oldest event kept (today when there is none): nothing is older."""
    first = db.session.scalar(db.select(db.func.min(AuditEvent.at)))
    return first.date() if first is not None else clock.today()


# From the oldest event to today: also keeps year 1 or 9999 from overflowing in UTC.
EVENT_DAYS = dateranges.DateRange(first_event_day, dateranges.today)


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    action = StringField(_l("Action starts with"), validators=[Optional(), Length(max=80)])
    actor = StringField(_l("Actor e-mail"), validators=[Optional(), Length(max=254)])
    object_type = StringField(_l("Object type"), validators=[Optional(), Length(max=40)])
    object_id = StringField(_l("Object number"), validators=[Optional(), Length(max=64)])
    since = dateranges.DateField(_l("From"), validators=[Optional(), EVENT_DAYS])
    until = dateranges.DateField(_l("Until"), validators=[Optional(), EVENT_DAYS])


@bp.get("")
@role_required(Role.ADMIN)
def events():
    form = AuditFilterForm(request.args)
    per_page = current_app.config["STAFF_LIST_PAGE_SIZE"]
    page = paging.Numbered(rows=[], total=0, page=1, pages=1, per_page=per_page)
    if form.validate():
        query = (
            db.select(AuditEvent, User.email)
            .outerjoin(User, User.id == AuditEvent.actor_id)
            .order_by(AuditEvent.id.desc())
        )
        if form.action.data:
            query = query.where(AuditEvent.action.startswith(form.action.data.strip()))
        if form.actor.data:
            query = query.where(User.email == form.actor.data.strip().lower())
        if form.object_type.data:
            query = query.where(AuditEvent.object_type == form.object_type.data.strip())
        if form.object_id.data:
            query = query.where(AuditEvent.object_id == form.object_id.data.strip())
        if form.since.data:
            query = query.where(AuditEvent.at >= _utc(form.since.data, time.min))
        if form.until.data:
            query = query.where(AuditEvent.at <= _utc(form.until.data, time.max))
        page = paging.numbered(query, request.args, per_page,
                               **{name: request.args.get(name, "") for name in FILTERS})
    audit.record(current_user, "audit.viewed", None,
                 filters={k: v for k, v in request.args.items() if k != "page"})
    # Rendered before the commit, which would expire every row shown: one query each.
    html = render_template("audit/events.html", form=form, page=page)
    db.session.commit()
    return html


def _utc(day, at):
    return datetime.combine(day, at, tzinfo=ZoneInfo("Europe/Brussels"))


def init_app(app) -> None:
    app.register_blueprint(bp)
    add_staff_task(app, StaffTask("audit.events", _l("Audit log"),
                                  _l("Who did what, and who looked at whose personal data."),
                                  (Role.ADMIN,), order=60))
