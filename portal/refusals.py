"""The one refusal type of all domains: a translated message for the user, maybe a field."""
from __future__ import annotations


class Refusal(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
