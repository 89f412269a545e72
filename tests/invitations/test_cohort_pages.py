"""Administrator pages: cohorts, the import upload with its report, counts, access."""
from __future__ import annotations

import io
from datetime import date

import pytest

from portal.extensions import db
from portal.invitations import services
from portal.invitations.models import Cohort, Person
from portal.invitations.sample import csv_bytes
from tests.support import factories
from tests.support.client import csrf_token, post_form
from tests.support.factories import national_number


@pytest.fixture(autouse=True)
def _english(client):
    """These tests read the English texts; the portal would otherwise answer in Dutch."""
    client.set_cookie("lang", "en")


def _cohort():
    return factories.cohort(name="Born 2008", born_from=date(2008, 1, 1),
                            born_to=date(2008, 12, 31))


def _upload(client, cohort, data: bytes, name="extract.csv"):
    token = csrf_token(client, f"/admin/cohorts/{cohort.id}")
    return client.post(f"/admin/cohorts/{cohort.id}/imports",
                       data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


ROWS = [
    [national_number(date(2008, 4, 2), 11), "Peeters", "Lotte", "02/04/2008", "Meir", "5", "",
     "2000", "Antwerpen", ""],
    [national_number(date(2008, 4, 3), 12), "Dubois", "Jules", "03/04/2008", "Rue Neuve", "1",
     "", "1000", "Bruxelles", "fr"],
    [national_number(date(2008, 4, 4), 13), "Lambert", "Nora", "04/04/2008", "Rue de Fer",
     "9", "", "9999", "Nergens", ""],
]


def test_admin_creates_a_cohort_and_sees_it_listed(client, login_as):
    login_as("admin", language="en")
    response = post_form(client, "/admin/cohorts", {
        "name": "Born 2009", "born_from": "2009-01-01", "born_to": "2009-12-31",
        "expires_on": "2027-12-31"})
    assert response.status_code == 302
    cohort = db.session.scalar(db.select(Cohort))
    assert (cohort.name, cohort.born_to) == ("Born 2009", date(2009, 12, 31))
    assert "Born 2009" in client.get("/admin/cohorts").get_data(as_text=True)

    again = post_form(client, "/admin/cohorts", {
        "name": "Born 2009", "born_from": "2009-01-01", "born_to": "2008-12-31",
        "expires_on": "2027-12-31"})
    page = again.get_data(as_text=True)
    assert again.status_code == 400
    assert "The last birth date comes before the first one." in page
    assert 'value="Born 2009"' in page


def test_a_cohort_name_is_used_once(client, login_as):
    login_as("admin", language="en")
    _cohort()
    db.session.commit()
    response = post_form(client, "/admin/cohorts", {
        "name": "Born 2008", "born_from": "2008-01-01", "born_to": "2008-12-31",
        "expires_on": "2027-12-31"})
    assert "A cohort with this name already exists." in response.get_data(as_text=True)


def test_upload_shows_the_report_and_the_rejected_rows_download(client, login_as):
    login_as("admin", language="en")
    cohort = _cohort()
    db.session.commit()
    response = _upload(client, cohort, csv_bytes(ROWS, delimiter=","))
    assert response.status_code == 302
    report = client.get(response.headers["Location"])
    page = report.get_data(as_text=True)
    assert "3 rows read: 2 new persons, 0 already imported, 1 rows rejected." in page
    assert "<td>4</td><td>Postcode</td><td>Not a Belgian postcode known to the region table." \
        in page
    download = client.get(response.headers["Location"] + "/rejected-rows.csv")
    assert download.mimetype == "text/csv"
    assert "4;Postcode;Not a Belgian postcode" in download.get_data(as_text=True)

    counts = client.get(f"/admin/cohorts/{cohort.id}").get_data(as_text=True)
    assert '<dd id="count-persons">2</dd>' in counts

    again = client.get(_upload(client, cohort, csv_bytes(ROWS)).headers["Location"])
    page = again.get_data(as_text=True)
    assert "0 new persons, 2 already imported, 1 rows rejected." in page
    assert "Nothing changed" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Person)) == 2


def test_a_file_that_is_not_utf8_gets_a_clear_message(client, login_as):
    login_as("admin", language="en")
    cohort = _cohort()
    db.session.commit()
    response = _upload(client, cohort, "naam;straat\nMüller;Hauptstraße\n".encode("latin-1"))
    assert response.status_code == 400
    assert "The file is not UTF-8 text." in response.get_data(as_text=True)


def test_cohort_page_counts_by_region_language_invited_and_signed_up(client, login_as):
    login_as("admin", language="en")
    cohort = _cohort()
    eupen = factories.person(cohort, postcode="4700", birth_date=date(2008, 2, 1))
    factories.person(cohort, postcode="9000", birth_date=date(2008, 2, 2))
    services.issue_invitation(eupen, cohort, actor=None)
    db.session.commit()
    counts = services.cohort_counts(cohort)
    assert counts == {"persons": 2, "by_region": {"german": 1, "flanders": 1},
                      "by_language": {"de": 1, "nl": 1}, "invited": 1, "signed_up": 0,
                      "not_interested": 0, "later": 0}
    page = client.get(f"/admin/cohorts/{cohort.id}").get_data(as_text=True)
    assert '<dd id="count-invited">1</dd>' in page


@pytest.mark.parametrize("role", ["citizen", "recruiter", "employer"])
def test_only_administrators_open_cohort_pages(client, login_as, role):
    cohort = _cohort()
    db.session.commit()
    login_as(role)
    for url in ("/admin/cohorts", f"/admin/cohorts/{cohort.id}"):
        assert client.get(url).status_code == 403


def test_someone_elses_report_is_not_found(client, login_as):
    login_as("admin", language="en")
    cohort = _cohort()
    other = factories.cohort(name="Other")
    db.session.commit()
    location = _upload(client, cohort, csv_bytes(ROWS)).headers["Location"]
    import_id = location.rsplit("/", 1)[1]
    assert client.get(f"/admin/cohorts/{other.id}/imports/{import_id}").status_code == 404
    assert client.get("/admin/cohorts/99999").status_code == 404


def test_a_field_over_the_csv_limit_gets_a_clear_message_and_stores_nothing(client, login_as):
    login_as("admin", language="en")
    cohort = _cohort()
    db.session.commit()
    rows = [*ROWS[:2], [national_number(date(2008, 4, 5), 14), "X" * 140_000, "Lea",
                        "05/04/2008", "Meir", "1", "", "2000", "Antwerpen", ""]]
    response = _upload(client, cohort, csv_bytes(rows))
    assert response.status_code == 400
    assert "The file cannot be read as CSV" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Person)) == 0


def test_a_long_report_is_paged_and_says_what_was_not_kept(app, client, login_as,
                                                           monkeypatch):
    from portal.invitations import importer

    monkeypatch.setitem(app.config, "STAFF_LIST_PAGE_SIZE", 100)
    login_as("admin", language="en")
    cohort = _cohort()
    db.session.commit()
    bad = [[national_number(date(2001, 1, 1 + n % 28), n % 997 + 1), "X", "Y",
            f"{1 + n % 28:02d}/01/2001", "Meir", "1", "", "2000", "Antwerpen", ""]
           for n in range(importer.MAX_ERRORS_KEPT + 50)]
    location = _upload(client, cohort, csv_bytes(bad)).headers["Location"]
    first = client.get(location).get_data(as_text=True)
    assert "Page 1 of 10" in first and first.count("<tr><td>") == 100
    assert "50 more problems were counted but not kept" in first
    last = client.get(location + "?page=10").get_data(as_text=True)
    assert "Page 10 of 10" in last and "<td>1001</td>" in last
    past = client.get(location + "?page=11").get_data(as_text=True)
    assert "Page 11 does not exist" in past and "<td>1001</td>" in past
