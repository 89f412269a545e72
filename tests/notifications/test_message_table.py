"""The one table of messages (notifications.messages.EVENTS): every status change of every
life cycle has an entry, and every entry's message exists in Dutch, French and German."""
from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal import i18n
from portal.applications import workflow as applications
from portal.employers import workflow as agreements
from portal.notifications import messages
from portal.reserve import training
from portal.reserve import workflow as engagements

# Each life cycle's transitions table: (from_status, action) -> ...
LIFE_CYCLES = {
    "application": applications.TRANSITIONS,
    "engagement": engagements.TRANSITIONS,
    "assignment": training.MOVES,
    "agreement": agreements.TRANSITIONS,
}
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


@pytest.mark.parametrize("lifecycle", sorted(LIFE_CYCLES))
def test_every_status_change_has_an_entry_in_the_table(lifecycle):
    actions = sorted({action for (_from, action) in LIFE_CYCLES[lifecycle]})
    missing = [action for action in actions if (lifecycle, action) not in messages.EVENTS]
    assert missing == [], f"{lifecycle}: no message for {missing} in notifications.messages"


def test_a_reserve_application_and_a_booking_are_events_of_the_table_too():
    for event in [("engagement", "apply"), ("booking", "book"), ("booking", "book_online"),
                  ("booking", "cancel")]:
        assert event in messages.EVENTS


def _catalogue(language: str) -> dict:
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as f:
        return {m.id: m for m in read_po(f) if m.id}


def _texts(entry: messages.Message):
    return [text for text in (entry.subject, *entry.lines, entry.link_label) if text]


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_every_message_of_the_table_is_translated(app, language):
    catalogue = _catalogue(language)
    gaps = []
    for event, entry in messages.EVENTS.items():
        for text in _texts(entry):
            with i18n.locale("en"):  # no English catalogue: the message id itself
                msgid = str(text)
            found = catalogue.get(msgid)
            if found is None or not found.string or found.fuzzy:
                gaps.append((event, msgid))
            else:
                with i18n.locale(language):
                    assert str(text) == found.string  # and the compiled catalogue has it
    assert gaps == [], f"untranslated in {language}: {gaps}"


def test_every_entry_names_its_channels_and_a_sender_that_uses_the_table():
    kinds = [entry.kind for entry in messages.EVENTS.values()]
    assert len(kinds) == len(set(kinds)), "each message has a kind of its own"
    for event, entry in messages.EVENTS.items():
        assert entry.channels and set(entry.channels) <= {"email", "sms"}, event
        source = inspect.getsource(importlib.import_module(entry.sent_by))
        assert "messages" in source, f"{entry.sent_by} does not read the table ({event})"
