"""Every kind of letter carries a title of its own in its first language (readers show it
instead of the file name), never the generic one."""
from __future__ import annotations

import re

import pytest

from portal import i18n
from portal.letters import render
from tests.support import letter_specimens


@pytest.mark.parametrize("name", letter_specimens.NAMES)
def test_each_kind_has_its_own_title_in_its_first_language(app, name):
    for languages in letter_specimens.ORDERS:
        html = letter_specimens.document_html(name, languages)
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
        with i18n.locale(languages[0]):
            generic = render.document_title("no such kind", languages[0])
        assert title and title != generic, (name, languages)
        assert title == render.document_title(letter_specimens.kinds()[name]["kind"],
                                              languages[0])
