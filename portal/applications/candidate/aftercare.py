"""What the letters promise the candidate, reached from the page of their application:
another selection day, a review of a decision, the first day's information (a page and a
calendar event) and messages to the recruitment team (routes on the candidate blueprint).
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_time, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from portal import clock, refusals
from portal.applications import adjustments, appeals, conversation, first_day, selection
from portal.applications.candidate import forms
from portal.applications.candidate import services as service
from portal.applications.intakes import reschedule
from portal.applications.models import Application
from portal.applications.vocab import STATUS_LABELS
from portal.extensions import db
from portal.refusals import Refusal
from portal.reserve import vocab as reserve_vocab
from portal.reserve.models import Engagement
from portal.security import Role, role_required


def _today() -> date:
    return clock.today()


def _own(application_id: int) -> Application:
    return service.for_candidate(current_user.id, application_id) or abort(404)


def review_of(subject) -> dict:
    """The Jinja global `review_of`: a candidate page's review part (the Reserve's
    engagement page uses it)."""
    return appeals.on_page(subject, _today())


def _back(application: Application, anchor: str | None = None):
    return redirect(url_for("applications.status", application_id=application.id,
                            _anchor=anchor))


def _day_label(day, left: int) -> str:
    when = ", ".join(
        _("%(date)s from %(start)s to %(end)s", date=_date(d), start=_time(start),
          end=_time(end)) for d, start, end in day.days)
    places = _("full") if left <= 0 else ngettext("%(num)d place left", "%(num)d places left",
                                                  left)
    return f"{when} · {day.place} · {places}"


def _date(value) -> str:
    return format_date(value, "full")


def _time(value) -> str:
    return format_time(value, "short", rebase=False) if value else ""


@role_required(Role.CITIZEN)
def selection_day(application_id: int):
    application = _own(application_id)
    today = _today()
    if not reschedule.can_move(application, today):
        if request.method == "POST":
            flash(_("It is too late to choose another selection day. Send us a message "
                    "instead."), "error")
        return _back(application)
    days = reschedule.other_days(application, today)
    form = forms.RescheduleForm(data={"version": application.version}
                                if request.method == "GET" else None)
    # Every later day is a choice (a day that filled up since the page was shown is refused
    # with its reason); the page offers those with places left.
    form.selection_day.choices = [SelectChoice(day.id, _day_label(day, left))
                                  for day, left in days]
    refused = False
    if form.validate_on_submit():
        try:
            day = reschedule.move(application, form.selection_day.data, current_user, today,
                                  form.version.data)
            db.session.commit()
        except Refusal as error:
            refusals.show(error, form)
            refused = True
        else:
            flash(_("Your selection day is now %(date)s at %(place)s. Your new convocation "
                    "letter replaces the earlier one.", date=_date(day.day), place=day.place),
                  "success")
            return _back(application)
    return render_template(
        "applications/candidate/selection_day.html", application=application, form=form,
        current=selection.convocation_of(application).selection_day, days=days,
        open_ids={day.id for day, left in days if left > 0},
        deadline=reschedule.last_day_to_move(application)), \
        400 if form.errors or refused else 200


@role_required(Role.CITIZEN)
def review_request(application_id: int):
    application = _own(application_id)
    return _review_request(application, url_for("applications.status",
                                                application_id=application.id),
                           STATUS_LABELS.get(application.status, application.status))


@role_required(Role.CITIZEN)
def reserve_review_request(engagement_id: int):
    engagement = db.session.scalar(db.select(Engagement).where(
        Engagement.id == engagement_id, Engagement.user_id == current_user.id)) or abort(404)
    return _review_request(engagement, url_for("reserve.engagement",
                                               engagement_id=engagement.id),
                           reserve_vocab.STATUS_LABELS.get(engagement.status,
                                                           engagement.status))


def _review_request(subject, back: str, contested: str):
    """Ask for a review of the decision on an Application or a reserve Engagement."""
    existing = appeals.current(subject)
    form = forms.ReviewRequestForm()
    refused = False
    if request.method == "POST":
        if existing is not None:
            flash(_("You already asked for a review of this decision."), "info")
            return redirect(f"{back}#review")
        if form.validate_on_submit():
            try:
                appeals.ask(subject, form.reason.data, current_user, _today())
                db.session.commit()
            except IntegrityError:  # a second tab at the same moment: the first counts
                db.session.rollback()
                flash(_("You already asked for a review of this decision."), "info")
                return redirect(f"{back}#review")
            except Refusal as error:
                refusals.show(error, form)
                refused = True
            else:
                flash(_("Your request for a review is sent. A staff member who did not take "
                        "the decision will answer it; you will get a letter and an e-mail."),
                      "success")
                return redirect(f"{back}#review")
    elif existing is None and not appeals.can_ask(subject, _today()):
        return redirect(back)
    return render_template(
        "applications/candidate/review_request.html", back=back, form=form,
        existing=existing, deadline=appeals.deadline(subject), contested=contested), \
        400 if form.errors or refused else 200


@role_required(Role.CITIZEN)
def write_message(application_id: int):
    application = _own(application_id)
    form = forms.MessageForm()
    refused = False
    if form.validate_on_submit():
        try:
            conversation.write(application, form.body.data, current_user)
            db.session.commit()
        except Refusal as error:
            refusals.show(error, form)
            refused = True
        else:
            flash(_("Your message is sent to the recruitment team. You will get an e-mail "
                    "when they answer."), "success")
            return _back(application, "messages")
    return render_template("applications/candidate/messages.html", application=application,
                           form=form, thread=conversation.thread(application)), \
        400 if form.errors or refused else 200


@role_required(Role.CITIZEN)
def first_day_page(application_id: int):
    application = _own(application_id)
    if application.status not in first_day.SHOWN_IN:
        return _back(application)
    return render_template("applications/candidate/first_day.html", application=application,
                           intake=application.intake, **first_day.context(application.intake))


@role_required(Role.CITIZEN)
def first_day_ics(application_id: int):
    application = _own(application_id)
    if application.status not in first_day.SHOWN_IN or not first_day.is_set(application.intake):
        abort(404)
    return Response(first_day.ics(application), mimetype="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="first-day.ics"'})


def on_status_page(application: Application) -> dict:
    """What the page of the application shows of the above: the links and their deadlines,
    the review request and the thread of messages."""
    today = _today()
    return {
        "can_move": reschedule.can_move(application, today),
        "move_deadline": reschedule.last_day_to_move(application),
        **appeals.on_page(application, today),
        "thread": conversation.thread(application),
        "message_form": forms.MessageForm(),
        "first_day_shown": application.status in first_day.SHOWN_IN,
        "can_ask_adjustment": adjustments.can_ask(application, today),
        "adjustment_last_day": adjustments.last_day_to_ask(application),
        "adjustment": adjustments.of(application),
    }


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/my-application/<int:application_id>/selection-day",
                    view_func=selection_day, methods=["GET", "POST"])
    bp.add_url_rule("/my-application/<int:application_id>/review-request",
                    view_func=review_request, methods=["GET", "POST"])
    bp.add_url_rule("/my-reserve-application/<int:engagement_id>/review-request",
                    view_func=reserve_review_request, methods=["GET", "POST"])
    bp.add_url_rule("/my-application/<int:application_id>/messages",
                    view_func=write_message, methods=["GET", "POST"])
    bp.add_url_rule("/my-application/<int:application_id>/first-day", view_func=first_day_page)
    bp.add_url_rule("/my-application/<int:application_id>/first-day.ics",
                    view_func=first_day_ics)
