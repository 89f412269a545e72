"""The refusals of the application life cycle: each is a portal.refusals.Refusal."""
from __future__ import annotations

from portal.refusals import Refusal


class TransitionError(Refusal):
    """A move the life cycle does not allow; `message` is shown to the user."""


class QuotaError(TransitionError):
    """No free place: refused like any other move the life cycle does not allow."""
