"""The one refusal type of all domains: a rule says no, with a message for the user."""
from __future__ import annotations


class Refusal(Exception):  # noqa: N818
    """Raised by a service when a rule refuses the action. `message` is translated, for
    the user; `field` names the form field it belongs to, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
