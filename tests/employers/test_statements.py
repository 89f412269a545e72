"""Yearly compensation statements: days served × the agreed rate, per reservist, as PDF and
CSV, for one enterprise on the web and for all of them by a bulk run."""
import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from portal.employers import statements
from portal.extensions import db
from portal.jobs import Job
from portal.letters.models import Letter
from tests.employers.helpers import NUMBERS, employer, hr_user, pdf_text, signed_agreement
from tests.support import factories
from tests.support.client import post_form
from tests.support.letters import print_shop_check, run_started_from_the_page

YEAR = date.today().year


@pytest.fixture
def bakery(app, calendar):
    bakery = employer(NUMBERS[0], "Bakkerij Janssens BV")
    hr = hr_user(bakery)
    an = factories.user(role="citizen", password=None, first_name="An", last_name="Peeters")
    bo = factories.user(role="citizen", password=None, first_name="Bo", last_name="Claes")
    signed_agreement(bakery, hr=hr, reservist=an)
    signed_agreement(bakery, hr=hr, reservist=bo)
    calendar.served[(an.id, YEAR)] = 4
    calendar.served[(bo.id, YEAR)] = 20  # beyond the 15 days agreed
    calendar.served[(an.id, YEAR - 1)] = 9  # another year
    db.session.commit()
    return bakery, hr


def test_days_served_times_the_agreed_rate_per_reservist(bakery):
    statement = statements.statement_for(bakery[0], YEAR)
    lines = {line.reservist: line for line in statement.lines}
    assert lines["An Peeters"].served_days == 4
    assert lines["An Peeters"].amount == Decimal("480.00")  # 4 × € 120.00 (the defaults)
    assert (lines["Bo Claes"].served_days, lines["Bo Claes"].compensated_days) == (20, 15)
    assert lines["Bo Claes"].amount == Decimal("1800.00")
    assert statement.total == Decimal("2280.00")


def test_the_statement_on_the_web_as_page_pdf_and_csv(client, login_as, bakery):
    employer_, hr = bakery
    login_as(hr)
    base = f"/employer/enterprises/{employer_.id}/statements/{YEAR}"
    page = client.get(base).get_data(as_text=True)
    assert "An Peeters" in page and "2,280.00" in page
    pdf = client.get(f"{base}.pdf")
    assert pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert "Vergoedingsoverzicht" in text and "Relevé des indemnités" in text
    assert text.index("Vergoedingsoverzicht") < text.index("Relevé des indemnités")
    assert "Bo Claes" in text
    rows = list(csv.reader(io.StringIO(client.get(f"{base}.csv").data.decode("utf-8-sig"))))
    assert rows[0][0] == "enterprise_number"
    assert ["0400.000.086", "Bakkerij Janssens BV", str(YEAR), "An Peeters", "4", "15", "4",
            "120.00", "100", "480.00", ""] in [row[:11] for row in rows]


def test_csv_cells_never_start_a_formula(app, calendar):
    evil = employer(NUMBERS[1], "Evil Corp")
    reservist = factories.user(role="citizen", password=None, first_name="@SUM(A1)",
                               last_name="-2+3")
    signed_agreement(evil, reservist=reservist)
    evil.name = "=HYPERLINK(\"http://x\")\x07 Corp"  # as stored before names were cleaned
    calendar.served[(reservist.id, YEAR)] = 2
    rows = list(csv.reader(io.StringIO(statements.to_csv(statements.statement_for(evil, YEAR)))))
    assert rows[1][1] == "'=HYPERLINK(\"http://x\")  Corp"
    assert rows[1][3] == "'@SUM(A1) -2+3"


GARAGE_ADDRESS = {"contact_name": "Marie Dubois"}  # signing gives it the helpers' address


def _statements_run(app, out, *more):
    app.config["TODAY"] = date(YEAR + 1, 1, 10)  # a year's statements follow its end
    # (each test's settings go back after it: tests/conftest.py)
    return app.test_cli_runner().invoke(args=["employers", "statements", "--year", str(YEAR),
                                              "--out", str(out), *more])


def test_a_year_is_lettered_once_it_is_over(app, bakery, calendar, tmp_path):
    result = app.test_cli_runner().invoke(args=["employers", "statements", "--year",
                                                str(YEAR), "--out", str(tmp_path)])
    # The command speaks the portal's default language (Dutch), as its refusals do.
    assert result.exit_code == 1 and f"1 januari {YEAR + 1}" in result.output
    assert db.session.scalar(db.select(db.func.count()).where(Letter.kind == "statement")) == 0
    assert _statements_run(app, tmp_path).exit_code == 0


def test_the_yearly_run_prints_the_enterprises_with_an_address_and_files_every_one(
        app, bakery, calendar, tmp_path):
    garage = employer(NUMBERS[2], "Garage Dubois SRL", language="fr", **GARAGE_ADDRESS)
    signed_agreement(garage)
    employer(NUMBERS[3], "No agreement BV")
    bakery[0].street = None  # an address the post can no longer deliver
    db.session.commit()
    result = _statements_run(app, tmp_path)
    assert result.exit_code == 0, result.output
    assert ("1 letters printed and archived, 1 archived for online delivery only, 0 failed"
            in result.output)
    assert "2 enterprises, 4 files" in result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["batch-0001.csv", "batch-0001.pdf", "manifest.csv",
                     f"statement-{YEAR}-0400000086.csv", f"statement-{YEAR}-0400000086.pdf",
                     f"statement-{YEAR}-0400000284.csv", f"statement-{YEAR}-0400000284.pdf"]
    letters = {x.subject_id: x for x in db.session.scalars(
        db.select(Letter).where(Letter.kind == "statement"))}
    printed, online = letters[str(garage.id)], letters[str(bakery[0].id)]
    assert (printed.delivery, online.delivery) == ("post", "online")
    # The print shop gets the enterprise with a postal address only, in its window.
    manifest = list(csv.DictReader(io.StringIO((tmp_path / "manifest.csv").read_text())))
    assert [row["reference"] for row in manifest] == [printed.reference]
    batch = pdf_text((tmp_path / "batch-0001.pdf").read_bytes())
    assert "Marie Dubois" in batch and "Brouwerijstraat 12" in batch
    # The print shop's own check agrees: pages, sheet marks, and the run as archived.
    checked = print_shop_check(tmp_path, app.config["SQLALCHEMY_DATABASE_URI"])
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # Each enterprise's file is its archived statement, byte for byte, in its language first.
    pdf = (tmp_path / f"statement-{YEAR}-0400000284.pdf").read_bytes()
    assert pdf == printed.pdf
    french = pdf_text(pdf)
    assert french.index("Relevé des indemnités") < french.index("Vergoedingsoverzicht")
    assert (tmp_path / f"statement-{YEAR}-0400000086.pdf").read_bytes() == online.pdf
    rows = list(csv.reader(io.StringIO(
        (tmp_path / f"statement-{YEAR}-0400000086.csv").read_text(encoding="utf-8-sig"))))
    assert {row[3] for row in rows[1:]} == {"An Peeters", "Bo Claes"}


def test_a_second_run_letters_only_the_enterprises_still_without_a_statement(
        app, bakery, calendar, tmp_path):
    assert _statements_run(app, tmp_path / "first").exit_code == 0
    again = _statements_run(app, tmp_path / "again")
    assert again.exit_code == 0 and "Nothing to print" in again.output
    late = employer(NUMBERS[2], "Garage Dubois SRL", language="fr", **GARAGE_ADDRESS)
    signed_agreement(late)
    db.session.commit()
    result = _statements_run(app, tmp_path / "late")
    assert "1 letters printed and archived, 0 failed" in result.output
    subjects = db.session.scalars(db.select(Letter.subject_id).where(
        Letter.kind == "statement").order_by(Letter.id)).all()
    assert subjects == [str(bakery[0].id), str(late.id)]
    # The files of the year are every enterprise's, whichever run made them.
    assert "2 enterprises, 4 files" in result.output


def test_a_statement_that_cannot_be_laid_out_fails_alone_in_the_run_report(
        app, bakery, calendar, tmp_path):
    garage = employer(NUMBERS[2], "Garage Dubois SRL", language="fr", **GARAGE_ADDRESS)
    signed_agreement(garage)
    bakery[0].contact_name = "Jan \U00020000 Janssens"  # a character no letter font has
    db.session.commit()
    result = _statements_run(app, tmp_path)
    assert result.exit_code == 1
    assert f"enterprise {bakery[0].id}: NotPrintable" in result.output
    assert "1 letters printed and archived, 1 failed" in result.output
    assert db.session.scalar(db.select(db.func.count()).where(Letter.kind == "statement")) == 1


def test_a_statement_of_the_run_is_reprinted_for_its_year(app, bakery, calendar, tmp_path):
    assert _statements_run(app, tmp_path / "run").exit_code == 0
    first = db.session.scalar(db.select(Letter).where(Letter.kind == "statement"))
    result = app.test_cli_runner().invoke(args=[
        "letters", "reprint", "--reference", first.reference, "--reason", "lost in the post",
        "--out", str(tmp_path / "reprint")])
    assert result.exit_code == 0, result.output
    new = db.session.scalars(db.select(Letter).where(Letter.kind == "statement")
                             .order_by(Letter.id.desc())).first()
    assert new.reference != first.reference
    assert str(YEAR) in pdf_text(new.pdf)


def test_the_administrators_start_a_statement_run_from_the_letter_runs_page(
        app, client, login_as, bakery, calendar, tmp_path):
    app.config["LETTER_RUN_DIR"] = str(tmp_path)
    app.config["TODAY"] = date(YEAR + 1, 1, 10)
    login_as("admin")
    page = client.get("/admin/letter-runs").get_data(as_text=True)
    assert f'<option value="statement:{YEAR}">Vergoedingsoverzichten · {YEAR}</option>' in page
    job_id, _response = run_started_from_the_page(client, f"statement:{YEAR}")
    db.session.expire_all()
    assert db.session.get(Job, job_id).state == "done"
    letter = db.session.scalar(db.select(Letter).where(Letter.kind == "statement"))
    assert letter.subject_id == str(bakery[0].id) and letter.job_id == job_id
    # Everyone has theirs now: the page says so, in the words of statements.
    again = post_form(client, "/admin/letter-runs", {"scope": f"statement:{YEAR}"},
                      page="/admin/letter-runs")
    assert again.status_code == 400
    assert "heeft haar overzicht al" in again.get_data(as_text=True)


def test_the_compensatory_leave_of_the_year_for_payroll(app, client, login_as, bakery,
                                                       monkeypatch):
    employer_, hr = bakery
    login_as(hr)
    base = f"/employer/enterprises/{employer_.id}/statements/{YEAR}"
    page = client.get(base).get_data(as_text=True)
    assert f'href="{base}/leave.csv"' in page and "Defence's current setting" in page
    monkeypatch.setitem(app.config, "RESERVE_LEAVE_PER_SERVED_DAY", 0.75)
    response = client.get(f"{base}/leave.csv")
    assert "no-store" in response.headers["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["enterprise_number", "enterprise", "year", "reservist", "served_days",
                       "leave_per_served_day", "work_percent", "leave_days"]
    # All days served count for leave, also beyond the agreed ones; half days, rounded down.
    assert ["0400.000.086", "Bakkerij Janssens BV", str(YEAR), "An Peeters", "4", "0.75",
            "100", "3"] in rows
    assert ["0400.000.086", "Bakkerij Janssens BV", str(YEAR), "Bo Claes", "20", "0.75",
            "100", "15"] in rows
    other = hr_user(employer(NUMBERS[1], "Garage Dubois SRL"))
    db.session.commit()
    login_as(other)
    assert client.get(f"{base}/leave.csv").status_code == 404
