"""The engagement letter (bilingual, through the letter engine) and the e-mail that go
with an engagement's move. Connected to `engagement_moved` in handlers."""
from __future__ import annotations

from flask import current_app

from portal import i18n, regions
from portal.accounts.models import User
from portal.extensions import db
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


def issue(engagement: Engagement, action: str, actor):
    user = db.session.get(User, engagement.user_id)
    to, person = recipient(engagement, user)
    last = engagement.events[-1] if engagement.events else None
    reason = last.reason if last else ""
    context = {
        "engagement": engagement, "outcome": engagement.status,
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
                                 user=user, subject=engagement)


def after_move(engagement: Engagement, action: str, actor) -> None:
    if action in workflow.LETTERS:
        issue(engagement, action, actor)
    tell(engagement, "engagement", action)


def tell(engagement: Engagement, lifecycle: str, action: str, **values) -> None:
    """The engagement's message of this event (notifications.messages), after the commit."""
    entry = messages.message(lifecycle, action)
    user = db.session.get(User, engagement.user_id)
    notify.later(user, entry.subject, *entry.render(reference=engagement.reference, **values),
                 endpoint="reserve.engagement", engagement_id=engagement.id,
                 link_label=entry.link_label)
