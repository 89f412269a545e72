"""Scenes the browser journeys start from, built in the database."""
from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from pathlib import Path

from babel.support import Translations

from portal.applications.models import Application, Status
from portal.extensions import db
from portal.invitations import services as invitations
from tests.support import factories
from tests.support.candidate import born_aged


def invited_person(intake, postcode: str = "5000", **fields):
    """A person of the right age from a register extract, with an invitation code."""
    cohort = factories.cohort()
    person = factories.person(cohort, postcode=postcode,
                              birth_date=born_aged(19, intake.start_date), **fields)
    _invitation, code = invitations.issue_invitation(person, cohort, actor=None)
    return person, code


def offer(application: Application, component: str = "air", days: int = 10) -> None:
    """The recruiters selected this candidate: the offer waits for an answer."""
    application.status = Status.SELECTED
    application.component = component
    application.offer_deadline = date.today() + timedelta(days=days)
    application.version += 1
    db.session.commit()


@cache
def _catalogue(language: str) -> Translations:
    return Translations.load(str(Path(__file__).resolve().parents[2] / "translations"),
                             [language])


def t(message: str, language: str, **values) -> str:
    """A message as the portal shows it in `language` (from the compiled catalogues)."""
    text = _catalogue(language).gettext(message)
    return text % values if values else text


def tab_to(page, target, limit: int = 120) -> None:
    """Press Tab until `target` has the focus, as a keyboard user would; its focus must show."""
    for _ in range(limit):
        if target.evaluate("e => e === document.activeElement"):
            style = target.evaluate(
                "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.boxShadow]; }")
            assert style != ["none", "none"], "the focus is not visible"
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def fits_the_screen(page) -> bool:
    """Nothing scrolls sideways at the viewport's width (a phone's browser would zoom out to
    show a wider page): neither the page nor a table in its scroll container."""
    return page.evaluate("""width => document.documentElement.scrollWidth <= width
      && [...document.querySelectorAll('.table-scroll')].every(
           e => e.scrollWidth <= e.clientWidth + 1)""", page.viewport_size["width"])


def on_screen(target) -> None:
    """The element shows within the viewport's width as the page opens: not cut off by the
    window or by a container that would have to be scrolled sideways to reach it."""
    box = target.evaluate("""(e, width) => {
      const r = e.getBoundingClientRect();
      let left = 0, right = width;
      for (let p = e.parentElement; p; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible') {
          const c = p.getBoundingClientRect();
          left = Math.max(left, c.left); right = Math.min(right, c.right);
        }
      }
      return {left: r.left, right: r.right, min: left, max: right};
    }""", target.page.viewport_size["width"])
    assert box["left"] >= box["min"] - 0.5 and box["right"] <= box["max"] + 0.5, box


def tn(singular: str, plural: str, n: int, language: str, **values) -> str:
    """A plural message as the portal shows it in `language` for `n` (as `num`)."""
    return _catalogue(language).ngettext(singular, plural, n) % {"num": n, **values}


# An element's boxes, measured once the page's fonts are in and two frames are painted: on
# a busy machine a measure taken earlier can see the fallback font's line heights.
SETTLED = """e => document.fonts.ready.then(() => new Promise(done => requestAnimationFrame(
  () => requestAnimationFrame(() => done((() => {%s})())))))"""


def label_clear_of(field) -> None:
    """The field's label shows (not only to screen readers) and stands above it, clear of the
    focus ring (5 px around a focused field), as on a phone where the cell is narrow."""
    boxes = field.evaluate(SETTLED % """
      const l = e.labels[0].getBoundingClientRect(), f = e.getBoundingClientRect();
      return {width: l.width, height: l.height, bottom: l.bottom, top: f.top};""")
    assert boxes["width"] > 10 and boxes["height"] > 10, boxes
    assert boxes["bottom"] + 5 <= boxes["top"], boxes


def tappable_beside_its_label(checkbox) -> None:
    """A checkbox large enough to tap (22 px, as the portal's other checkboxes) with its label
    on the same line, to its right."""
    boxes = checkbox.evaluate(SETTLED % """
      const c = e.getBoundingClientRect(), l = e.labels[0].getBoundingClientRect();
      return {width: c.width, height: c.height, top: c.top, right: c.right,
              label_left: l.left, label_top: l.top, label_bottom: l.bottom};""")
    assert boxes["width"] >= 22 and boxes["height"] >= 22, boxes
    assert boxes["label_left"] >= boxes["right"], boxes
    assert boxes["label_top"] < boxes["top"] + boxes["height"], boxes
