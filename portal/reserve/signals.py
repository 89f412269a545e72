"""What the Reserve announces; its letters and e-mails (and other domains) subscribe."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent by reserve.workflow.transition() inside the transaction, after the move is recorded.
# sender: the Engagement; kwargs: event, action, from_status, to_status, actor.
engagement_moved = _signals.signal("engagement-moved")

# Sent by reserve.training when an assignment changes (assigned, confirmed, swap asked or
# answered, cancelled, attendance recorded). sender: the Assignment; kwargs: action, actor.
assignment_changed = _signals.signal("assignment-changed")

# Sent by reserve.callups for each reservist a call-up reaches. sender: the CallUpAnswer.
call_up_sent = _signals.signal("call-up-sent")
