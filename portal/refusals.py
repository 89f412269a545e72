"""The one refusal type of every domain: a rule said no, in words the user reads.

Services raise a Refusal (or a subclass naming the rule) with a translated `message`
and, when one form field is to blame, its name in `field`; views roll back and show the
message, next to that field when there is one. Nothing else about a refusal differs
between domains, so views handle them all the same way. A rule that checks a whole form
collects every problem into one refusal (Refusal.of_all): its `problems` lists them all,
so the form shows every error at once rather than one per submission.
"""
from __future__ import annotations


class Refusal(Exception):
    """A request the rules refuse. `message` is translated, for the user; `field`, when
    given, names the form field the message belongs next to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.problems: list[Refusal] = [self]

    @classmethod
    def of_all(cls, problems: list[Refusal]) -> Refusal:
        """One refusal for several problems: the first one's message, all in `problems`."""
        refusal = cls(problems[0].message, problems[0].field)
        refusal.problems = list(problems)
        return refusal
