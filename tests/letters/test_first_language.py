"""The first language of a letter: register language, else a letter language the person
chose, else the postcode region; never the English of someone's portal."""
from __future__ import annotations

import pytest

from portal.applications import correspondence as review_letters
from portal.extensions import db
from portal.letters.services import Recipient, letter_languages
from tests.support import factories
from tests.support import review as h


@pytest.mark.parametrize(("postcode", "register", "expected"), [
    ("9000", None, ("nl", "fr")),        # Flanders
    ("5000", None, ("fr", "nl")),        # Wallonia
    ("1000", None, ("fr", "nl")),        # Brussels
    ("4700", None, ("de", "fr", "nl")),  # German-speaking area
    ("1000", "nl", ("nl", "fr")),        # register override
    ("4700", "fr", ("fr", "nl")),
])
def test_register_language_else_the_region(app, postcode, register, expected):
    assert letter_languages(postcode, register) == expected
    recipient = Recipient.structured(first_names="A", last_name="B", street="S",
                                     house_number="1", box="", postcode=postcode,
                                     municipality="M", register_language=register)
    assert recipient.languages() == expected


def test_english_portal_user_in_namur_gets_a_french_first_letter(app):
    intake = factories.intake()
    user = factories.user("citizen", language="en", password=None)
    # "nl" only stood in for English when the application was started.
    application = h.application(intake, user=user, language="nl", postcode="5000")
    db.session.commit()
    assert review_letters.languages(application, None) == ("fr", "nl")


def test_a_letter_language_chosen_by_the_candidate_is_kept(app):
    intake = factories.intake()
    application = h.application(intake, language="fr", postcode="2000")
    assert review_letters.languages(application, None) == ("fr", "nl")
