"""The candidate's answers as a recruiter reads them: each step with the form's own labels."""
from __future__ import annotations

import json

from flask_babel import gettext as _

from portal.applications import candidate_forms as forms
from portal.applications.candidate_services import STEPS
from portal.applications.models import Application
from portal.applications.vocab import COMPONENT_LABELS

STEP_FORMS = {
    "personal": forms.PersonalForm,
    "contact": forms.ContactForm,
    "education": forms.EducationForm,
    "preferences": forms.PreferencesForm,
    "motivation": forms.MotivationForm,
    "health": forms.HealthForm,
    "consent": forms.ConsentForm,
}
# Kept for checks, never shown.
HIDDEN = {"nn_hash", "national_number"}


def _choice_labels(field) -> dict[str, str]:
    labels = {}
    for choice in getattr(field, "choices", None) or []:
        if isinstance(choice, tuple):
            labels[str(choice[0])] = str(choice[1])
        elif hasattr(choice, "value"):
            labels[str(choice.value)] = str(choice.label)
    return labels


def _display(field, value) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(_display(field, v) for v in value)
    if value is None:
        return ""
    labels = _choice_labels(field) if field is not None else {}
    if str(value) in labels:
        return labels[str(value)]
    if str(value) in COMPONENT_LABELS:
        return str(COMPONENT_LABELS[str(value)])
    return str(value)


def sections(application: Application) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(step title, [(label, value), ...]), ...] in the order the candidate filled them in."""
    try:
        stored = json.loads(application.answers or "{}")
    except ValueError:
        return []
    if not isinstance(stored, dict):
        return []
    result = []
    for step, title in STEPS.items():
        data = stored.get(step)
        if not isinstance(data, dict):
            continue
        form = STEP_FORMS[step](meta={"csrf": False}, formdata=None)
        rows = []
        for key, value in data.items():
            if key in HIDDEN:
                continue
            field = form._fields.get(key)
            label = str(field.label.text) if field is not None else key.replace("_", " ")
            rows.append((label, _display(field, value)))
        result.append((str(title), rows))
    return result
