"""What the employers domain announces. Other rooms (letters, e-mail, later the reserve)
subscribe in their DOMAIN's signals (portal.domains); senders never import them.

- `agreement_moved`: sent by workflow.transition() inside the transaction, after the move
  is recorded and audited. sender = the Agreement; keyword arguments `event`
  (AgreementEvent), `action`, `from_status`, `to_status`, `actor` (a User or None).
- `period_answered`: sent when an employer confirms or declines a training period.
  sender = the PeriodAnswer; keyword argument `actor`.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

agreement_moved = _signals.signal("agreement-moved")
period_answered = _signals.signal("period-answered")
