"""The one refusal type of every domain: a rule said no, in words the user reads.

Services raise a Refusal (or a subclass naming the rule) with a translated `message`
and, when one form field is to blame, its name in `field`; every view shows it with show(),
which rolls back and puts the message next to that field when there is one. A rule that
checks a whole form collects every problem into one refusal (Refusal.of_all): its
`problems` lists them all, so the form shows every error at once rather than one per
submission.
"""
from __future__ import annotations

from flask import flash

from portal.extensions import db


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


def show(refusal: Refusal, form=None, *, fields: dict | None = None,
         section: str | None = None) -> None:
    """Show a refusal, the one way every view does: the request's work rolled back, each
    problem next to its field when `form` has that field, every other one flashed on top of
    the page, or with `section` on top of that section of a long page (its template shows
    the flashes of category "refusal-<section>"). `fields` maps a rule's field name to the
    form's own, and None to the field that a problem naming no field belongs next to."""
    db.session.rollback()
    names = fields or {}
    for problem in refusal.problems:
        name = names.get(problem.field, problem.field)
        if form is not None and name is not None and name in form:
            if problem.message not in form[name].errors:
                form[name].errors = [*form[name].errors, problem.message]
        else:
            flash(problem.message, f"refusal-{section}" if section else "error")
