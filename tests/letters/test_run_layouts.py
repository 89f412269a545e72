"""A run's layout of each language order is laid out once for all the run's processes:
the first that needs it keeps it, the others read it back and print the same letters."""
from __future__ import annotations

import pytest

from portal.extensions import db
from portal.invitations import letters as invitation
from portal.letters import render, runs, services
from portal.letters.variants import Variant
from tests.support import factories


def test_a_layout_kept_by_one_process_prints_the_same_letters_in_another(
        app, tmp_path, monkeypatch):
    cohort = factories.cohort()
    person = factories.person(cohort, postcode="1000", first_names="Élise", last_name="Dubois")
    db.session.commit()
    context = invitation.context(cohort)
    first = Variant.kept(tmp_path, "invitation", ("fr", "nl"), context)
    assert sorted(path.suffix for path in tmp_path.iterdir()) == [".json", ".pdf"]
    # Another process of the run (here: this one, forgetting nothing but WeasyPrint).
    monkeypatch.setattr(render, "layout", lambda *_a, **_k: pytest.fail("laid out again"))
    second = Variant.kept(tmp_path, "invitation", ("fr", "nl"), context)
    assert second.layout.pdf == first.layout.pdf
    assert second.layout.slots == first.layout.slots  # the same boxes and structure ids
    recipient = services.Recipient.from_person(person)
    made = [variant.compose(recipient, "DJ-TEST-0001", {"code": "ABCD-EFGH"},
                            invitation.signup_url("ABCD-EFGH")) for variant in (first, second)]
    assert made[0].overlays == made[1].overlays
    assert {name: font.name for name, font in made[0].fonts.items()} == {
        name: font.name for name, font in made[1].fonts.items()}
    # Another language order, or another letter date, is another layout.
    other = dict(context, letter_date=context["letter_date"].replace(day=1))
    monkeypatch.undo()
    Variant.kept(tmp_path, "invitation", ("fr", "nl"), other)
    assert len(list(tmp_path.glob("*.pdf"))) == (1 if other == context else 2)


def test_a_finished_run_leaves_no_layouts_behind(app, tmp_path):
    from portal.jobs import Job

    cohort = factories.cohort()
    factories.person(cohort, postcode="9000", first_names="Lotte", last_name="Peeters")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    job = db.session.scalars(db.select(Job).order_by(Job.id.desc())).first()
    assert job.state == "done"
    assert not runs._layouts(job.id).exists()
