"""Provinces are stored as NIS codes and named in the reader's language: Liège is one
province in the recruiters' filter and dashboard, whatever language its people speak."""
from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from portal import create_app, regions
from portal.applications.review import dashboard
from portal.extensions import db
from tests.conftest import make_test_config
from tests.support import factories
from tests.support import review as h


def test_every_postcode_has_the_province_code_of_its_name():
    for info in regions.all_postcodes():
        if info.region == "brussels":
            assert info.province_code == ""
        else:
            assert info.province_code in regions.PROVINCES, info
    assert regions.lookup("4700").province_code == regions.lookup("4000").province_code == "60000"
    assert regions.lookup("1300").province_code == "20002"
    assert regions.lookup("3000").province_code == "20001"


def test_eupen_and_liege_are_one_province_in_the_queue_and_the_dashboard(client, login_as):
    intake = factories.intake()
    h.application(intake, last_name="Schmitz", language="de", postcode="4700",
                  province=regions.lookup("4700").province_code)
    h.application(intake, last_name="Lambert", language="fr", postcode="4000",
                  province=regions.lookup("4000").province_code)
    db.session.commit()
    board = dashboard.build(intake)
    assert board.breakdown["province"]["60000"]["applied"] == 2
    assert "Lüttich" not in board.breakdown["province"]

    login_as("recruiter", language="de")
    page = client.get(f"/review/intakes/{intake.id}?province=60000").get_data(as_text=True)
    assert "Schmitz" in page and "Lambert" in page
    assert '<option value="60000" selected>Lüttich</option>' in page
    login_as("recruiter", language="fr")
    page = client.get(f"/review/intakes/{intake.id}/dashboard").get_data(as_text=True)
    assert "Liège" in page and "Lüttich" not in page


def test_the_migration_turns_stored_names_into_codes_and_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'provinces.sqlite3'}"
    app = create_app(make_test_config(url, tmp_path))
    with app.app_context():
        upgrade()
        intake = factories.intake()
        for name in ("Lüttich", "Liège", "Namur", ""):  # as they were stored before
            h.application(intake, province=name)
        db.session.commit()
        downgrade(revision="0013_province_codes-1")  # names stay names
        upgrade()
        query = text("SELECT province FROM applications ORDER BY id")
        with db.engine.connect() as conn:
            assert list(conn.execute(query).scalars()) == ["60000", "60000", "90000", ""]
        downgrade(revision="0013_province_codes-1")
        with db.engine.connect() as conn:
            assert list(conn.execute(query).scalars()) == ["Liège", "Liège", "Namur", ""]
        db.session.remove()
        db.engine.dispose()
