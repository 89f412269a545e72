"""The words of the applications domain: labels of components, statuses, actions,
letters and tests, and the reasons of a rejection. Every page, form and letter takes
its wording from here."""
from __future__ import annotations

from datetime import date

from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l

from portal.applications.models import Component, ResultKind, Status

COMPONENT_LABELS = {
    Component.LAND: _l("Land component"),
    Component.AIR: _l("Air component"),
    Component.NAVY: _l("Naval component"),
    Component.MEDICAL: _l("Medical component"),
    Component.CYBER: _l("Cyber command"),
}

STATUS_LABELS = {
    Status.DRAFT: _l("Draft"),
    Status.SUBMITTED: _l("Submitted"),
    Status.SCREENING: _l("Screening"),
    Status.TESTS_SCHEDULED: _l("Tests scheduled"),
    Status.TESTS_PASSED: _l("Tests passed"),
    Status.TESTS_FAILED: _l("Tests failed"),
    Status.SELECTED: _l("Selected"),
    Status.WAITLISTED: _l("Waitlisted"),
    Status.REJECTED: _l("Rejected"),
    Status.OFFER_ACCEPTED: _l("Offer accepted"),
    Status.OFFER_DECLINED: _l("Offer declined"),
    Status.IN_SERVICE: _l("In service"),
    Status.COMPLETED: _l("Completed"),
    Status.CAREER: _l("Career"),
    Status.RESERVE: _l("Reserve"),
    Status.LEFT: _l("Left"),
    Status.WITHDRAWN: _l("Withdrawn"),
}

ACTION_LABELS = {
    "submit": _l("Submitted"),
    "start_screening": _l("Screening started"),
    "schedule_tests": _l("Tests scheduled"),
    "pass_tests": _l("Tests passed"),
    "fail_tests": _l("Tests failed"),
    "select": _l("Selected"),
    "waitlist": _l("Waitlisted"),
    "reject": _l("Rejected"),
    "accept_offer": _l("Offer accepted"),
    "decline_offer": _l("Offer declined"),
    "expire_offer": _l("Offer expired"),
    "start_service": _l("Service started"),
    "complete": _l("Service completed"),
    "leave": _l("Left"),
    "choose_career": _l("Chose a career"),
    "choose_reserve": _l("Chose the Reserve"),
    "withdraw": _l("Withdrawn"),
    "reopen": _l("Reopened after a review"),
}

LETTER_LABELS = {
    "acknowledgement": _l("Acknowledgement"),
    "convocation": _l("Convocation"),
    "decision": _l("Decision"),
    "review_answer": _l("Answer to a review request"),
}

# Structured reasons for a rejection: code -> text the candidate reads in the letter.
REJECTION_REASONS = {
    "tests_failed": _l("You did not pass one or more of the selection tests."),
    "medical": _l("The medical examination found you unfit for service at this time."),
    "eligibility": _l("Your application does not meet the conditions of this intake "
                      "(age, nationality or residence)."),
    "incomplete": _l("Your application was incomplete or could not be verified."),
    "no_show": _l("You did not attend the selection tests you were convoked to."),
    "ranking": _l("Other candidates ranked higher for the places available."),
    # Recorded by two security officers (vetting/), never chosen by a recruiter.
    "security": _l("The security screening of your application did not allow your "
                   "admission to military service."),
}
# The reasons a recruiter may give: the security ground is the security officers' alone.
RECRUITER_REJECTION_REASONS = {code: text for code, text in REJECTION_REASONS.items()
                               if code != "security"}

RESULT_LABELS = {
    ResultKind.MEDICAL: _l("Medical examination"),
    ResultKind.PSYCHOTECHNICAL: _l("Psychotechnical tests"),
    ResultKind.SPORTS: _l("Sports test"),
    ResultKind.INTERVIEW: _l("Interview"),
}

# What recruiters and administrators see of the medical test: never the answers or reasons.
MEDICAL_STATUS_LABELS = {
    "pending": _l("Medical test pending"),
    "fit": _l("Medically fit"),
    "unfit": _l("Medically unfit"),
}

# The rule each reason applies: the legal ground the decision letter names with it.
REJECTION_GROUNDS = {
    "tests_failed": _l("the selection standards of the intake: every selection test must be "
                       "passed"),
    "medical": _l("the medical fitness standards for military service"),
    "eligibility": _l("the conditions of admission of the intake: age, nationality and "
                      "residence"),
    "incomplete": _l("the conditions of admission of the intake: a complete application whose "
                     "data can be verified"),
    "no_show": _l("the selection procedure of the intake: taking part in the selection tests "
                  "you were convoked to"),
    "ranking": _l("the number of places of the intake, given in the order of the selection "
                  "tests' scores"),
    "security": _l("the security conditions of admission to military service, assessed by "
                   "the vetting authority"),
}

# What recruiters and administrators see of the security screening: never the vetting
# authority's reasons or the security officers' notes. An unfavourable outcome not yet
# confirmed by a second security officer still reads as in progress.
SECURITY_STATUS_LABELS = {
    "none": _l("Not requested"),
    "requested": _l("Security screening in progress"),
    "awaiting_confirmation": _l("Security screening in progress"),
    "favourable": _l("Security screening favourable"),
    "unfavourable": _l("Security screening unfavourable"),
    "withdrawn": _l("Security screening withdrawn"),
}
# What security officers see.
SECURITY_STATE_LABELS = {
    "requested": _l("Waiting for the vetting authority's outcome"),
    "awaiting_confirmation": _l("Unfavourable: waiting for a second security officer"),
    "favourable": _l("Favourable"),
    "unfavourable": _l("Unfavourable, confirmed"),
    "withdrawn": _l("Withdrawn"),
}
# What the candidate sees: whether it runs or is over, nothing more.
SECURITY_CANDIDATE_LABELS = {
    "in_progress": _l("In progress"),
    "done": _l("Done"),
}
# Reasons the portal records itself on a move, as they are stored, and the words shown.
SYSTEM_REASONS = {
    "waitlist: place freed": _l("A place became free: moved up from the waitlist"),
    "offer deadline passed": _l("The offer deadline passed without an answer"),
    "service year started": _l("The intake's start date came"),
    "present on the first day": _l("Present on the first day"),
    "review overturned": _l("The decision was overturned after a review"),
    "year-end choice deadline passed": _l("No choice was made by the deadline after the "
                                          "service year"),
    "service year ended": _l("The service year ended"),
}
# A convocation records its day as "selection day YYYY-MM-DD".
SELECTION_DAY_REASON = "selection day "


def selection_day_reason(day: date) -> str:
    return f"{SELECTION_DAY_REASON}{day.isoformat()}"


def reason_text(reason: str) -> str:
    """A recorded reason in the reader's words: the portal's own reasons by their label, a
    selection day by its date in the reader's form, a rejection reason by its text (with the
    recruiter's note after it), and what a person typed as they typed it."""
    if not reason:
        return ""
    if reason in SYSTEM_REASONS:
        return str(SYSTEM_REASONS[reason])
    if reason.startswith(SELECTION_DAY_REASON):
        try:
            day = date.fromisoformat(reason.removeprefix(SELECTION_DAY_REASON))
        except ValueError:
            return reason
        return gettext("Selection day of %(date)s", date=format_date(day, "long"))
    code, _sep, note = reason.partition(": ")
    if code in REJECTION_REASONS:
        return f"{REJECTION_REASONS[code]}: {note}" if note else str(REJECTION_REASONS[code])
    return reason
