"""What the portal tells people: ONE table, event -> message -> channels.

An event is a status change of a life cycle, (life cycle, action) as in its transitions
table (applications.workflow, reserve.workflow, reserve.training's assignments,
employers.workflow), or one of the few events outside them (a booking, a reminder).
Each entry says what the message says (subject; what happened, what to do, the deadline),
the label of its link back into the portal, the channels it goes by, and which module
sends it; every sender writes it through the one mail outbox (portal.outbox), after the
commit, in the recipient's language. tests/notifications/test_message_table.py walks the
table against every life cycle and every catalogue.

This module imports no domain: the domains look their messages up here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date, format_time
from flask_babel import lazy_gettext as _l

NOTIFICATIONS = "portal.notifications.outbox"  # applications: e-mail and, if chosen, SMS
RESERVE_LETTERS = "portal.reserve.letters"  # also for reserve.engagements.apply
YEAR_END = "portal.reserve.year_end"
TRAINING = "portal.reserve.training"
BOOKING = "portal.applications.intakes.booking"
EMPLOYERS = "portal.employers.effects"
EMPLOYER_CALENDAR = "portal.employers.reserve_calendar"
EMPLOYER_PERIODS = "portal.employers.periods"


class Line:
    """One sentence of a message: a translatable text and its values, put together when the
    message is written, in the recipient's language (dates and times in their words).
    Rendered as plain text, so values are escaped in the HTML part like any other."""

    def __init__(self, text, **values):
        self.text, self.values = text, values

    def __str__(self) -> str:
        text = str(self.text)
        if not self.values:
            return text
        return text % {key: _formatted(value) for key, value in self.values.items()}

    def __repr__(self) -> str:
        return f"Line({self.text!r})"


def _formatted(value):
    if isinstance(value, datetime):  # in Brussels time (BABEL_DEFAULT_TIMEZONE)
        return f"{format_date(value, 'full')}, {format_time(value, 'short')}"
    if isinstance(value, date):
        return format_date(value, "long")
    return "" if value is None else value


@dataclass(frozen=True)
class Message:
    kind: str                  # its name in the notifications outbox and in logs
    subject: object            # lazy string
    lines: tuple = ()          # what happened, what to do, the deadline (lazy strings)
    link_label: object = None  # the button back into the portal
    sent_by: str = NOTIFICATIONS
    channels: tuple[str, ...] = ("email",)
    # A move the portal makes itself whose message another module sends (with its reason).
    portal_move_told_by: str | None = None

    def render(self, **values) -> tuple[Line, ...]:
        """The lines with their values, for the e-mail (rendered later, in its language)."""
        return tuple(Line(line, **values) for line in self.lines)


EMAIL, EMAIL_SMS = ("email",), ("email", "sms")
_NOTHING_TO_DO = _l("You do not have to do anything now. We will tell you when you are "
                    "invited to the selection days.")
_OFFER_DEADLINE = _l("Answer the offer by %(date)s. If you do not answer in time, the "
                     "place goes to another candidate.")
_SEE_APPLICATION = _l("See my application")
_TRAINING_YEAR = _l("Open my training year")
_ENGAGEMENT = _l("Open my engagement")

EVENTS: dict[tuple[str, str], Message] = {
    # --- applications (applications/workflow.py), e-mail and text message ----------------
    ("application", "submit"): Message(
        "submitted", _l("We received your application"),
        (_l("We received your application %(reference)s for %(intake)s."), _NOTHING_TO_DO),
        _SEE_APPLICATION, channels=EMAIL_SMS),
    ("application", "start_screening"): Message(
        "screening", _l("Your application is being checked"),
        (_l("A recruiter is now checking your application %(reference)s."), _NOTHING_TO_DO),
        _SEE_APPLICATION, channels=EMAIL_SMS),
    ("application", "schedule_tests"): Message(
        "convocation", _l("You are invited to the selection days"),
        (_l("You are invited to the selection days on %(date)s at %(place)s."),
         _l("Bring your identity card and sports clothes. Your convocation letter is on the "
            "page of your application.")),
        _SEE_APPLICATION, channels=EMAIL_SMS),
    ("application", "pass_tests"): Message(
        "tests_passed", _l("You passed the selection tests"),
        (_l("You passed all the selection tests for %(intake)s."),
         _l("The recruiters now decide who gets the places. We will tell you the decision "
            "as soon as it is made.")),
        _SEE_APPLICATION, channels=EMAIL_SMS),
    ("application", "fail_tests"): Message(
        "tests_failed", _l("The results of your selection tests"),
        (_l("You did not pass all the selection tests for %(intake)s."),
         _l("The decision on your application follows. Its letter gives the reason and how "
            "to appeal.")),
        _SEE_APPLICATION, channels=EMAIL_SMS),
    ("application", "select"): Message(
        "offer", _l("You are offered a place: answer before the deadline"),
        (_l("Good news: you are offered a place in %(intake)s."), _OFFER_DEADLINE),
        _l("Answer the offer"), channels=EMAIL_SMS),
    ("application", "waitlist"): Message(
        "waitlisted", _l("You are on the waiting list"),
        (_l("You passed the selection, but all places are taken for now: you are on the "
            "waiting list."),
         _l("When a place becomes free, it is offered to the next candidate on the list. We "
            "will tell you at once.")),
        _SEE_APPLICATION, channels=EMAIL_SMS),
    ("application", "reject"): Message(
        "rejected", _l("The decision on your application"),
        (_l("We have decided on your application %(reference)s: we cannot offer you a place "
            "this time."),
         _l("The reason and how to appeal are in the decision letter on the page of your "
            "application.")),
        _SEE_APPLICATION, channels=EMAIL_SMS),
    ("application", "accept_offer"): Message(
        "offer_accepted", _l("You accepted your place"),
        (_l("You accepted your place in %(intake)s. Welcome to Defence!"),
         _l("Your letters and what comes next are on the page of your application.")),
        _SEE_APPLICATION, channels=EMAIL_SMS),
    ("application", "decline_offer"): Message(
        "offer_declined", _l("You declined your place"),
        (_l("We have recorded that you declined your place in %(intake)s."),
         _l("You are welcome to apply again for a later intake.")),
        _SEE_APPLICATION),
    ("application", "expire_offer"): Message(
        "offer_lapsed", _l("Your offer has lapsed"),
        (_l("The deadline to answer your offer has passed: the place goes to another "
            "candidate."),
         _l("If you think this is a mistake, contact us through the page of your "
            "application.")),
        _SEE_APPLICATION, channels=EMAIL_SMS),
    ("application", "start_service"): Message(
        "in_service", _l("Your service year has started"),
        (_l("Your service year in %(intake)s has started."),
         _l("Your application's page keeps your letters and tells you what comes next.")),
        _SEE_APPLICATION),
    ("application", "complete"): Message(
        "choice_asked", _l("Your service year is complete: what next?"),
        (_l("Congratulations on completing your service year."),
         _l("Please tell us what you would like to do next: a career in Defence, the "
            "Reserve, or leaving Defence."),
         _l("Choose before %(date)s. Without an answer by then, we count you as "
            "leaving; you can still apply to the Reserve later.")),
        _l("Make my choice"), sent_by=YEAR_END),
    ("application", "choose_career"): Message(
        "career_chosen", _l("Your choice: a career in Defence"),
        (_l("We have recorded your choice: a career in Defence."),
         _l("A recruiter will contact you about the next steps.")),
        _SEE_APPLICATION),
    ("application", "choose_reserve"): Message(
        "reserve_chosen", _l("Your choice: the Reserve"),
        (_l("We have recorded your choice: the Reserve. We received your application "
            "%(reference)s to the Reserve."),
         _l("A recruiter will look at it. We will tell you by e-mail as soon as there is "
            "news.")),
        _ENGAGEMENT, sent_by=RESERVE_LETTERS),
    ("application", "leave"): Message(
        "left", _l("You leave Defence"),
        (_l("We have recorded that you leave Defence. Thank you for your service."),
         _l("You are welcome to apply to the Reserve directly at any time.")),
        _SEE_APPLICATION, portal_move_told_by=YEAR_END),
    ("application", "withdraw"): Message(
        "withdrawn", _l("You withdrew your application"),
        (_l("We have recorded that you withdrew your application %(reference)s."),
         _l("You are welcome to apply again for a later intake.")),
        _SEE_APPLICATION),
    ("application", "reopen"): Message(
        "reopened", _l("Your application is being looked at again"),
        (_l("Your request for a review was granted: your application %(reference)s is being "
            "looked at again."),
         _l("You do not have to do anything now. We will tell you the new decision as soon "
            "as it is made.")),
        _SEE_APPLICATION),
    # --- applications: events outside the transitions -----------------------------------
    ("application", "convocation_changed"): Message(
        "convocation_changed", _l("Your convocation to the selection days has changed"),
        (_l("Your selection days have changed: they are now on %(date)s at %(place)s."),
         _l("Your new convocation letter, with the new hours, is on the page of your "
            "application. It replaces the one we sent you before.")),
        _SEE_APPLICATION, channels=EMAIL_SMS),
    # The security screening (applications/vetting): that it runs and that it is done,
    # never its outcome; a refusal that follows has its own message (reject).
    ("application", "security_screening_started"): Message(
        "security_screening_started", _l("A security screening of your application has started"),
        (_l("As part of the selection for %(intake)s, your application %(reference)s now goes "
            "through a security screening by the vetting authority."),
         _l("You do not have to do anything. We will tell you when it is done.")),
        _SEE_APPLICATION),
    ("application", "security_screening_done"): Message(
        "security_screening_done", _l("The security screening of your application is done"),
        (_l("The security screening of your application %(reference)s is done."),
         _l("The page of your application shows what happens next.")),
        _SEE_APPLICATION),
    ("application", "offer_reminder"): Message(
        "offer_reminder", _l("Reminder: answer your offer before the deadline"),
        (_l("You have not answered your offer for %(intake)s yet."), _OFFER_DEADLINE),
        _l("Answer the offer"), channels=EMAIL_SMS),
    ("booking", "book"): Message(
        "session_booked", _l("Your place in an information session"),
        (_l("You booked a place in the information session of %(starts_at)s."),
         _l("Where: %(place)s."),
         _l("The calendar entry is attached. If you cannot come, cancel your place in the "
            "portal so that someone else can have it.")),
        _l("Open my information session"), sent_by=BOOKING),
    ("booking", "book_online"): Message(
        "session_booked_online", _l("Your place in an online information session"),
        (_l("You booked a place in the online information session of %(starts_at)s."),
         _l("Join it with the link below a few minutes before it starts."),
         _l("The calendar entry is attached. If you cannot come, cancel your place in the "
            "portal so that someone else can have it.")),
        _l("Join the online session"), sent_by=BOOKING),
    ("booking", "cancel"): Message(
        "session_cancelled", _l("Your place in the information session is cancelled"),
        (_l("We have cancelled your place in the information session of %(starts_at)s."),
         _l("You can book another session in the portal.")),
        _l("Open my information session"), sent_by=BOOKING),
    # --- Reserve engagements (reserve/workflow.py) --------------------------------------
    ("engagement", "apply"): Message(
        "reserve_applied", _l("We received your application to the Reserve"),
        (_l("We received your application %(reference)s to the Reserve."),
         _l("A recruiter will look at it. We will tell you by e-mail as soon as there is "
            "news.")),
        _ENGAGEMENT, sent_by=RESERVE_LETTERS),
    ("engagement", "start_screening"): Message(
        "reserve_screening", _l("Your application to the Reserve is being screened"),
        (_l("A recruiter is now looking at your application."),),
        _ENGAGEMENT, sent_by=RESERVE_LETTERS),
    ("engagement", "approve"): Message(
        "reserve_approved", _l("You are approved for the Reserve"),
        (_l("Your engagement letter is in the portal. Your unit will plan your training "
            "year with you."),),
        _ENGAGEMENT, sent_by=RESERVE_LETTERS),
    ("engagement", "reject"): Message(
        "reserve_rejected", _l("Decision on your application to the Reserve"),
        (_l("The letter in the portal gives the reason and how to ask for a review."),),
        _ENGAGEMENT, sent_by=RESERVE_LETTERS),
    ("engagement", "activate"): Message(
        "reserve_active", _l("Your reserve engagement starts"),
        (_l("From today you are an active reservist. Your training year is in the portal."),),
        _ENGAGEMENT, sent_by=RESERVE_LETTERS),
    ("engagement", "end"): Message(
        "reserve_ended", _l("Your reserve engagement has ended"),
        (_l("Thank you for your service in the Reserve."),),
        _ENGAGEMENT, sent_by=RESERVE_LETTERS),
    ("engagement", "withdraw"): Message(
        "reserve_withdrawn", _l("You withdrew your application to the Reserve"),
        (_l("We have recorded that you withdrew. You can apply again at any time."),),
        _ENGAGEMENT, sent_by=RESERVE_LETTERS),
    # --- training-period assignments (reserve/training.py) ------------------------------
    ("assignment", "assign"): Message(
        "period_planned", _l("A training period is planned for you"),
        (_l("Your unit planned a training period for you. Please confirm it, or ask to swap "
            "it, in the portal."),),
        _TRAINING_YEAR, sent_by=TRAINING),
    ("assignment", "confirm"): Message(
        "period_confirmed", _l("You confirmed your training period"),
        (_l("We have recorded that you will take part in this training period. Your unit "
            "counts on you."),),
        _TRAINING_YEAR, sent_by=TRAINING),
    ("assignment", "request_swap"): Message(
        "swap_requested", _l("We received your swap request"),
        (_l("Your unit will answer your request to swap this training period. Until then, it "
            "stays in your training year."),),
        _TRAINING_YEAR, sent_by=TRAINING),
    ("assignment", "accept_swap"): Message(
        "swap_accepted", _l("Your swap request was accepted"),
        (_l("The unit accepted your request: you no longer take part in this period. It "
            "will plan another one with you."),),
        _TRAINING_YEAR, sent_by=TRAINING),
    ("assignment", "refuse_swap"): Message(
        "swap_refused", _l("Your swap request was refused"),
        (_l("The unit could not accept your request; the period stays planned. Please "
            "confirm it in the portal."),),
        _TRAINING_YEAR, sent_by=TRAINING),
    ("assignment", "record_attendance"): Message(
        "attendance_recorded", _l("Your attendance is recorded"),
        (_l("Your unit recorded %(days)s days served in this training period."),
         _l("Your served days and the compensatory leave they earn are in your training "
            "year.")),
        _TRAINING_YEAR, sent_by=TRAINING),
    ("assignment", "cancel"): Message(
        "period_cancelled", _l("A training period was cancelled"),
        (_l("Your unit cancelled a training period you were planned for."),),
        _TRAINING_YEAR, sent_by=TRAINING),
    # --- employer agreements (employers/workflow.py): to the reservist and the employer --
    ("agreement", "sign"): Message(
        "agreement_signed", _l("The employer agreement is signed"), sent_by=EMPLOYERS),
    ("agreement", "notify"): Message(
        "agreement_notified", _l("The public employer is notified of the leave"),
        sent_by=EMPLOYERS),
    ("agreement", "decline"): Message(
        "agreement_declined", _l("The employer agreement was declined"), sent_by=EMPLOYERS),
    ("agreement", "withdraw"): Message(
        "agreement_withdrawn", _l("The proposed employer agreement was withdrawn"),
        sent_by=EMPLOYERS),
    ("agreement", "suspend"): Message(
        "agreement_suspended", _l("The employer agreement is suspended"), sent_by=EMPLOYERS),
    ("agreement", "resume"): Message(
        "agreement_resumed", _l("The employer agreement applies again"), sent_by=EMPLOYERS),
    ("agreement", "end"): Message(
        "agreement_ended", _l("The employer agreement has ended"), sent_by=EMPLOYERS),
    # --- the employer's side of a training period -------------------------------------
    ("employer_period", "assign"): Message(
        "employee_period_announced", _l("A training period of your employee is announced"),
        sent_by=EMPLOYER_CALENDAR),
    ("employer_period", "cancel"): Message(
        "employee_period_cancelled", _l("A training period of your employee is cancelled"),
        sent_by=EMPLOYER_CALENDAR),
    ("period_answer", "answer"): Message(
        "employer_answered", _l("Your employer answered about a training period"),
        sent_by=EMPLOYER_PERIODS),
}

# Lines some messages add when they apply.
PERIOD_LINE = _l("%(kind)s, %(start)s to %(end)s, %(place)s.")
UNIT_NOTES_LINE = _l("Notes from your unit: %(notes)s")
UNIT_ANSWER_LINE = _l("Your unit's answer: %(answer)s")


def message(lifecycle: str, action: str) -> Message | None:
    return EVENTS.get((lifecycle, action))


# The notifications outbox stores a message's kind: kind -> its message.
BY_KIND = {entry.kind: entry for entry in EVENTS.values()}
KINDS = tuple(BY_KIND)
