"""The engagement letter (bilingual, through the letter engine) and the e-mail that go
with an engagement's move. Connected to `engagement_moved` in handlers."""
from __future__ import annotations

from flask import current_app

from portal import i18n, regions
from portal.accounts.models import User
from portal.extensions import db
from portal.letters import pending
from portal.letters import services as letter_services
from portal.notifications import messages
from portal.reserve import notify, vocab, workflow
from portal.reserve.models import Engagement, Pillar, RankCategory


def recipient(engagement: Engagement, user: User):
    """The reservist as printed in the window: the register's address when known."""
    person = getattr(user, "person", None)
    if person is not None:
        return letter_services.Recipient.from_person(person), person
    town = " ".join(filter(None, [engagement.postcode,
                                  getattr(regions.lookup(engagement.postcode), "municipality",
                                          "")]))
    lines = tuple(line for line in (engagement.street, town) if line)
    return letter_services.Recipient(
        name=engagement.full_name or user.full_name, address_lines=lines,
        postcode=engagement.postcode, first_name=engagement.first_name or None,
        register_language=engagement.language), None


def languages(engagement: Engagement, person) -> tuple[str, ...]:
    """Always French and Dutch; the reservist's own language first (German adds itself)."""
    chosen = (getattr(person, "register_language", None) or engagement.language)
    return regions.REGISTER_LANGUAGES.get(chosen, regions.REGISTER_LANGUAGES["nl"])


def issue(engagement: Engagement, actor, *, reference: str | None = None,
          outcome: str | None = None, reason: str | None = None):
    """Render, archive and audit the engagement's letter (flushes). `outcome` and `reason`:
    the status and reason of the move it announces, when the engagement moved on since."""
    user = db.session.get(User, engagement.user_id)
    to, person = recipient(engagement, user)
    if reason is None:
        last = engagement.events[-1] if engagement.events else None
        reason = last.reason if last else ""
    context = {
        "engagement": engagement, "outcome": outcome or engagement.status,
        "pillar_label": vocab.PILLAR_LABELS[Pillar(engagement.pillar)],
        "rank_label": vocab.RANK_LABELS[RankCategory(engagement.rank_category)],
        "unit": engagement.unit,
        # A reason is a code of the translated list; an older free text prints as written.
        "reason_text": vocab.REJECTION_REASONS.get(reason, reason),
        "ground_text": vocab.REJECTION_GROUNDS.get(reason),
        "portal_address": current_app.config["BASE_URL"],
        "review_days": current_app.config["REVIEW_REQUEST_DAYS"],
        "contact_address": i18n.in_language(current_app.config["CONTACT_ADDRESS"]),
    }
    return letter_services.issue("reserve", recipient=to, context=context, actor=actor,
                                 languages=languages(engagement, person), person=person,
                                 user=user, subject=engagement, reference=reference)


def issue_later(engagement: Engagement, actor):
    """The engagement's letter, rendered once the move's transaction commits
    (letters.pending): the move answers at once. Its reference is fixed now, and what
    would stop it from printing (a name too long for its line) refuses the move now."""
    user = db.session.get(User, engagement.user_id)
    to, person = recipient(engagement, user)
    last = engagement.events[-1] if engagement.events else None
    return pending.later_printable(
        "reserve", make, subject=engagement, recipient=to,
        languages=languages(engagement, person), user=user, person=person, actor=actor,
        params={"outcome": str(engagement.status), "reason": last.reason if last else ""})


def make(row) -> None:
    """Issue a pending engagement letter (letters.pending calls it after the commit). An
    engagement erased meanwhile gets no letter."""
    engagement = db.session.get(Engagement, int(row.subject_id))
    if engagement is None:
        return
    given = pending.params(row)
    actor = db.session.get(User, row.actor_id) if row.actor_id else None
    issue(engagement, actor, reference=row.reference, outcome=given.get("outcome"),
          reason=given.get("reason"))


def after_move(engagement: Engagement, action: str, actor) -> None:
    if action in workflow.LETTERS:
        issue_later(engagement, actor)
    tell(engagement, "engagement", action)


def tell(engagement: Engagement, lifecycle: str, action: str, **values) -> None:
    """The engagement's message of this event (notifications.messages), after the commit."""
    entry = messages.message(lifecycle, action)
    user = db.session.get(User, engagement.user_id)
    notify.later(user, entry.subject, *entry.render(reference=engagement.reference, **values),
                 endpoint="reserve.engagement", engagement_id=engagement.id,
                 link_label=entry.link_label)
