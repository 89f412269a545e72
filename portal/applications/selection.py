"""Where an application stands in selection: its convocation and its test results.

Read by the life cycle's guards, the candidate's status page, the letters and the
review pages alike, so it depends on nothing but the models.
"""
from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _

from portal import clock
from portal.applications.models import Application, Convocation, ResultKind, TestResult
from portal.extensions import db
from portal.refusals import Refusal


def convocation_of(application: Application) -> Convocation | None:
    return db.session.scalar(
        db.select(Convocation).where(Convocation.application_id == application.id))


def check_day_reached(application: Application, field: str = "kind") -> None:
    """Results of the selection tests are recorded from the selection day the candidate is
    convoked to, never before it."""
    convocation = convocation_of(application)
    if convocation is not None and convocation.selection_day.day > clock.today():
        raise Refusal(_("Results can be recorded from the selection day on: %(date)s.",
                        date=format_date(convocation.selection_day.day, "long")), field)


def results_by_kind(application: Application) -> dict[str, TestResult]:
    results = db.session.scalars(
        db.select(TestResult).where(TestResult.application_id == application.id))
    return {r.kind: r for r in results}


def medical_status(results: dict[str, TestResult]) -> str:
    """"fit", "unfit" or "pending": all that staff other than medical staff learn."""
    medical = results.get(ResultKind.MEDICAL)
    if medical is None:
        return "pending"
    return "fit" if medical.passed else "unfit"
