"""The Reserve's subscriptions: to the application life cycle and to its own signals."""
from __future__ import annotations

from portal.applications.signals import application_moved
from portal.reserve import letters, year_end
from portal.reserve.signals import engagement_moved


def on_application_moved(application, *, to_status, actor, **_kwargs) -> None:
    """A completed service year opens the end-of-year choice; a choice made closes it."""
    year_end.follow_application(application, to_status, actor)


def on_engagement_moved(engagement, *, action, actor, **_kwargs) -> None:
    """The letter and the e-mail that go with an engagement's move."""
    letters.after_move(engagement, action, actor)


# (signal, receiver), connected by the domain's contract (portal.domains).
SUBSCRIPTIONS = (
    (application_moved, on_application_moved),
    (engagement_moved, on_engagement_moved),
)
