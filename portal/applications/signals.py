"""Signals of the application life cycle, for the rooms and domains that act on its moves.

Connect a receiver by naming (signal, receiver) in your DOMAIN's signals (portal.domains).
Receivers run inside the transaction of the move, after it is recorded and audited and
before the caller commits: what they write commits or rolls back with the move, and an
exception in one refuses the move as a whole. They run in no set order: each must be
complete on its own (a receiver that needs another's result computes it itself).
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

application_moved = _signals.signal("application-moved", doc="""
An application changed status through workflow.transition().

*sender*: the Application, already in its new status (flushed).
Keyword arguments:
- `event`: the ApplicationEvent just recorded;
- `action`: the action taken ("submit", "select", "decline_offer", ...);
- `from_status`, `to_status`: the statuses before and after (Status values);
- `actor`: the User who acted, or None when the portal itself moved it;
- `decision`: the confirmed four-eyes Decision of a select or reject, else None.
""")

convocation_changed = _signals.signal("convocation-changed", doc="""
The selection day a candidate is convoked to changed its date, hours, second day, night
or place (staff edited it): the convocation they hold is out of date.

*sender*: the Application (convoked, its tests still to come).
Keyword arguments:
- `selection_day`: the SelectionDay, already changed (flushed);
- `actor`: the User who changed it;
- `key`: what tells this change apart from the day's other changes (one message per
  candidate and change).
""")

security_screening_changed = _signals.signal("security-screening-changed", doc="""
The security screening of an application started (a recruiter sent the request to the
vetting authority) or is done (its outcome is final). Only that: what the candidate is told
says nothing of the outcome.

*sender*: the Application.
Keyword arguments:
- `stage`: "started" or "done";
- `screening`: the SecurityScreening (flushed);
- `key`: what tells this change apart (one message per screening and stage).
""")
