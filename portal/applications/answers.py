"""A candidate's stored answers, and the same answers in words: (question, answer) rows
under each step, as the candidate checks them before sending and as the recruiter reads
them. Questions and their choices come from questions.py, so both see the same words."""
from __future__ import annotations

import json
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from portal.applications import health as health_data
from portal.applications.models import Application, Component
from portal.applications.questions import STEP_FORMS, STEPS
from portal.applications.vocab import COMPONENT_LABELS

# Dates are stored as ISO strings.
DATE_FIELDS = ("birth_date", "earliest_start")
# Special-category data: kept apart from the other steps, encrypted (health.py).
HEALTH_STEP = "health"


def stored(application: Application, health: bool = False) -> dict:
    """{step: {field: value}}; an empty dict when nothing (readable) is stored.

    `health`: with the health step's answers, decrypted. Only the candidate's own pages
    and export (own()) and medical staff ask for them; by default they stay out.
    """
    try:
        data = json.loads(application.answers or "{}")
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    data.pop(HEALTH_STEP, None)
    if health and application.health_answers:
        data[HEALTH_STEP] = health_data.decrypt_answers(application.health_answers)
    return data


def own(application: Application) -> dict:
    """All the candidate's answers, the health step included: for the candidate only."""
    return stored(application, health=True)


def store(application: Application, data: dict) -> None:
    """Write the steps' answers back, the health step encrypted in its own column (left as
    it is when `data` has no health step: stored() without it cannot erase it)."""
    data = dict(data)
    if HEALTH_STEP in data:
        health = data.pop(HEALTH_STEP)
        application.health_answers = health_data.encrypt_answers(health) if health else None
    application.answers = json.dumps(data, sort_keys=True)


def form_data(data: dict) -> dict:
    """Saved answers back into form values (dates are stored as ISO strings)."""
    out = dict(data)
    for key in DATE_FIELDS:
        if isinstance(out.get(key), str) and out[key]:
            try:
                out[key] = date.fromisoformat(out[key])
            except ValueError:
                out[key] = None
    return out


def _display_form(step: str, data: dict, person_known: bool):
    form = STEP_FORMS[step](formdata=None, data=form_data(data), meta={"csrf": False})
    if step == "personal" and person_known:
        # The register gave the birth date and the number: the candidate was not asked.
        del form.birth_date
        del form.national_number
    if step == "preferences":
        form.set_components([c.value for c in Component])
    return form


def _words(field, value, saved: dict) -> str:
    if field.name == "national_number":
        return _("Saved") if saved.get("nn_hash") else ""
    if field.type in ("RadioField", "SelectField"):
        labels = {c.value: c.label for c in field.choices}
        if value in COMPONENT_LABELS and value not in labels:
            return str(COMPONENT_LABELS[value])
        return str(labels.get(value, "")) if value else ""
    if field.type == "SelectMultipleField":
        return ", ".join(str(c.label) for c in field.choices if c.value in (value or []))
    if field.type == "BooleanField":
        return _("Yes") if value else _("No")
    if isinstance(value, date):
        return format_date(value, "long")
    return "" if value is None else str(value)


def summary(application: Application, person_known: bool,
            health: bool = False) -> dict[str, list[tuple[str, str]]]:
    """Each completed step's answers as (question, answer in words), in the form's order.

    `person_known`: the candidate signed up with an invitation, so the register gave the
    birth date and national register number (not asked, not shown). `health`: with the
    health step (the candidate's own check, medical staff), or without (recruiters).
    """
    saved = stored(application, health=health)
    out: dict[str, list[tuple[str, str]]] = {}
    for step in STEPS:
        data = saved.get(step)
        if not isinstance(data, dict):
            continue
        form = _display_form(step, data, person_known)
        rows = []
        for field in form:
            if field.name in ("csrf_token", "version"):
                continue
            rows.append((str(field.label.text), _words(field, field.data, data) or "—"))
        out[step] = rows
    return out


def sections(application: Application, person_known: bool,
             health: bool = False) -> list[tuple[str, list]]:
    """summary() with each step's title: [(title, [(question, answer), ...]), ...]."""
    return [(str(STEPS[step]), rows)
            for step, rows in summary(application, person_known, health).items()]


def health_rows(application: Application) -> list[tuple[str, str]]:
    """The health step's answers in words (medical staff); empty when none are held."""
    if not application.health_answers:
        return []
    return summary(application, False, health=True).get(HEALTH_STEP, [])
