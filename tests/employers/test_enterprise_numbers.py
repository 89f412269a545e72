"""Enterprise and joint committee numbers: what people type, what the portal keeps."""
import pytest

from portal import i18n
from portal.employers import enterprise
from portal.employers.models import format_enterprise_number
from portal.refusals import Refusal


@pytest.mark.parametrize("typed", ["0400.000.086", "0400000086", "BE0400000086",
                                   "BE 0400 000 086", " 0400.000.086 "])
def test_an_enterprise_number_is_accepted_however_it_is_typed(app, typed):
    assert enterprise.enterprise_number(typed) == "0400000086"


def test_it_is_shown_with_dots():
    assert format_enterprise_number("0400000086") == "0400.000.086"


@pytest.mark.parametrize("typed,message", [
    ("0400000087", "does not exist"),        # wrong check digits
    ("0123456789", "does not exist"),
    ("12345", "10 digits"),
    ("2400000086", "10 digits"),             # must start with 0 or 1
    ("abc", "10 digits"),
    ("", "10 digits"),
])
def test_a_wrong_enterprise_number_is_refused_with_a_reason(app, typed, message):
    with i18n.locale("en"), pytest.raises(Refusal) as refused:
        enterprise.enterprise_number(typed)
    assert message in refused.value.message
    assert refused.value.field == "enterprise_number"


@pytest.mark.parametrize("typed,kept", [("200", "200"), ("118.03", "118.03"),
                                        (" 330.01.10 ", "330.01.10"), ("", None)])
def test_joint_committee_numbers(app, typed, kept):
    assert enterprise.joint_committee(typed) == kept


@pytest.mark.parametrize("typed", ["20", "2000", "118.3", "abc"])
def test_a_wrong_joint_committee_number_is_refused(app, typed):
    with pytest.raises(Refusal):
        enterprise.joint_committee(typed)


def test_a_committee_covers_its_sub_committees_only():
    assert enterprise.covers(["118"], "118.03")
    assert enterprise.covers(["200"], "200")
    assert not enterprise.covers(["118"], "119")
    assert not enterprise.covers(["11"], "118")
    assert not enterprise.covers(["200"], None)


@pytest.mark.parametrize("lang,words", [("nl", "ondernemingsnummer bestaat niet"),
                                        ("fr", "numéro d'entreprise n'existe pas"),
                                        ("de", "Unternehmensnummer gibt es nicht")])
def test_the_refusal_speaks_the_users_language(app, lang, words):
    with i18n.locale(lang), pytest.raises(Refusal) as refused:
        enterprise.enterprise_number("0400.000.087")
    assert words in refused.value.message
