"""What follows a move of the life cycle: the receivers of signals.application_moved.

Connected by the applications domain's DOMAIN (SUBSCRIPTIONS). Each is complete on its own (they run
in no set order) and works inside the transaction of the move.
"""
from __future__ import annotations

from portal.applications import correspondence, waitlist
from portal.applications.models import Status
from portal.applications.signals import application_moved, convocation_changed

# The letter each move issues (templates/letters/<kind>.html, declared in LETTER_KINDS).
LETTERS = {
    "submit": "acknowledgement",
    "schedule_tests": "convocation",
    "select": "decision",
    "waitlist": "decision",
    "reject": "decision",
}

# A candidate holding a place who lets it go: the place goes to the waitlist.
PLACE_LEFT_FROM = (Status.SELECTED, Status.OFFER_ACCEPTED)
PLACE_LEFT_TO = (Status.WITHDRAWN, Status.OFFER_DECLINED)


def issue_letter(application, *, action, actor, decision, **_kw) -> None:
    """The letter of the move, if it has one: acknowledgement, convocation, decision. It
    is rendered after the commit (on the job queue when there is one)."""
    kind = LETTERS.get(action)
    if kind is not None:
        correspondence.issue_later(kind, application, actor, decision)


def reissue_convocation(application, *, actor, **_kw) -> None:
    """The candidate's selection day changed: a new convocation with its new date, hours
    and place (rendered after the commit, like every letter of a move)."""
    correspondence.issue_later("convocation", application, actor, changed=True)


def rerank_waitlist(application, *, from_status, to_status, **_kw) -> None:
    """Number the waitlist again when someone joins or leaves it."""
    if Status.WAITLISTED in (from_status, to_status):
        waitlist.rerank(application.intake_id, application.component)


def offer_freed_place(application, *, from_status, to_status, actor, **_kw) -> None:
    """A selected candidate withdrew, declined or let the offer lapse: offer the place to
    the next on the waitlist of that component."""
    if from_status in PLACE_LEFT_FROM and to_status in PLACE_LEFT_TO:
        waitlist.on_place_freed(application.intake, application.component, actor)


# (signal, receiver), connected by the domain's contract (portal.domains).
SUBSCRIPTIONS = (
    (application_moved, issue_letter),
    (application_moved, rerank_waitlist),
    (application_moved, offer_freed_place),
    (convocation_changed, reissue_convocation),
)
