"""Yearly compensation statements: days served × the agreed rate, per reservist, as PDF and
CSV, for one enterprise on the web and for all of them by a bulk run."""
import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from portal.employers import statements
from portal.extensions import db
from portal.letters.models import Letter
from tests.employers.helpers import NUMBERS, employer, hr_user, pdf_text, signed_agreement
from tests.support import factories

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


def test_the_bulk_run_writes_every_enterprise_and_archives_the_pdfs(app, bakery, calendar,
                                                                    tmp_path):
    other = employer(NUMBERS[2], "Garage Dubois SRL", language="fr")
    signed_agreement(other)
    employer(NUMBERS[3], "No agreement BV")
    db.session.commit()
    result = statements.run(YEAR, tmp_path, workers=1)
    assert result.enterprises == 2
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"statement-{YEAR}-0400000086.csv", f"statement-{YEAR}-0400000086.pdf",
                     f"statement-{YEAR}-0400000284.csv", f"statement-{YEAR}-0400000284.pdf"]
    french = pdf_text((tmp_path / f"statement-{YEAR}-0400000284.pdf").read_bytes())
    assert french.index("Relevé des indemnités") < french.index("Vergoedingsoverzicht")
    letters = db.session.scalars(db.select(Letter).where(Letter.kind == "statement")).all()
    assert len(letters) == 2 and {x.subject_type for x in letters} == {"Employer"}


def test_the_flask_command(app, bakery, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["employers", "statements", "--year", str(YEAR),
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "1 enterprises, 2 files" in result.output
    assert (tmp_path / "out" / f"statement-{YEAR}-0400000086.csv").exists()


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
