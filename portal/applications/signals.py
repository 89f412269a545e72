"""What the application life cycle announces; other domains subscribe in their init_app."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent by workflow.transition() inside the transaction, after the move is recorded.
# sender: the Application; kwargs: event, action, from_status, to_status, actor, decision.
application_moved = _signals.signal("application-moved")
