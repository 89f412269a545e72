"""What each notification says: the moves a candidate must know about, and reminders."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

# The life-cycle action -> the kind of message it sends.
KIND_OF_ACTION = {
    "submit": "submitted",
    "schedule_tests": "convocation",
    "select": "offer",
    "waitlist": "waitlisted",
    "reject": "rejected",
    "expire_offer": "offer_lapsed",
    "start_service": "service_started",
}

SUBJECTS = {
    "submitted": _l("We received your application"),
    "convocation": _l("You are invited to the selection days"),
    "convocation_changed": _l("Your convocation to the selection days has changed"),
    "offer": _l("You are offered a place: answer before the deadline"),
    "waitlisted": _l("You are on the waiting list"),
    "rejected": _l("The decision on your application"),
    "offer_lapsed": _l("Your offer has lapsed"),
    "offer_reminder": _l("Reminder: answer your offer before the deadline"),
    "service_started": _l("Your service year has started"),
}
KINDS = tuple(SUBJECTS)
