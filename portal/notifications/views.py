"""The citizen's choice: e-mail only, or e-mail and text messages (when SMS is configured)."""
from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from portal import audit, sms
from portal.extensions import db
from portal.notifications.models import SmsChoice
from portal.security import Role, role_required

bp = Blueprint("notifications", __name__)
PHONE = re.compile(r"^\+?[0-9 ./()-]{8,20}$")


class ChannelForm(FlaskForm):
    channel = RadioField(_l("How do we tell you what happens with your application?"),
                         choices=[SelectChoice("email", _l("By e-mail only")),
                                  SelectChoice("sms", _l("By e-mail and text message"))],
                         default="email")
    phone = TelField(_l("Mobile phone number"))

    def validate_phone(self, field):
        phone = (field.data or "").strip()
        if self.channel.data == "sms" and not phone:
            raise ValidationError(_l("Enter the mobile phone number for the text messages."))
        if phone and not PHONE.match(phone):
            raise ValidationError(_l("Enter a phone number, e.g. 0470 12 34 56."))


@bp.route("/account/messages", methods=["GET", "POST"])
@role_required(Role.CITIZEN)
def channel():
    if not sms.enabled():  # e-mail only: nothing to choose
        if request.method == "POST":
            abort(404)
        return render_template("notifications/channel.html", form=None)
    choice = db.session.get(SmsChoice, current_user.id)
    form = ChannelForm(data={"channel": "sms" if choice else "email",
                             "phone": choice.phone if choice else ""})
    if form.validate_on_submit():
        if form.channel.data == "sms":
            choice = choice or SmsChoice(user_id=current_user.id)
            choice.phone = form.phone.data.strip()
            db.session.add(choice)
        elif choice is not None:
            db.session.delete(choice)
        audit.record(current_user, "notifications.channel", ("User", current_user.id),
                     channel=form.channel.data)
        db.session.commit()
        flash(_("Your choice is saved."), "success")
        return redirect(url_for("notifications.channel"))
    return render_template("notifications/channel.html", form=form), 400 if form.errors else 200
