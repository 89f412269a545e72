"""A candidate going through the application form, as the tests need it."""
from __future__ import annotations

from datetime import date, timedelta

from portal.extensions import db
from tests.support import factories
from tests.support.client import post_form as post
from tests.support.client import version_on
from tests.support.factories import national_number


def born_aged(age: int, on: date) -> date:
    """A birth date giving this age (in whole years) on the given day."""
    return date(on.year - age, on.month, 1) - timedelta(days=40)


def step_data(intake, age: int = 20) -> dict[str, dict]:
    born = born_aged(age, intake.start_date)
    return {
        "personal": {"first_name": "Lotte", "last_name": "Peeters",
                     "birth_date": born.isoformat(), "national_number": national_number(born),
                     "nationality": "belgian", "language": "nl"},
        "contact": {"email": "lotte@example.be", "phone": "0470 12 34 56",
                    "street": "Kerkstraat", "house_number": "12", "box": "",
                    "postcode": "2000", "municipality": "Antwerpen"},
        "education": {"level": "secondary_upper", "field_of_study": "Sciences",
                      "driving_licence": "y"},
        "preferences": {"choice_1": "air", "choice_2": "land", "choice_3": "",
                        "functions": ["technical", "it"]},
        "motivation": {"earliest_start": intake.start_date.isoformat(),
                       "motivation": "I want to learn to work in a team and serve my country."},
        "health": {"chronic_condition": "no", "medication": "no", "recent_injury": "no",
                   "sport_limits": "no"},
        "consent": {"consent": "y"},
    }


def ready_to_apply(login_as, **intake_fields):
    """A signed-in citizen with a booked information session in an open intake."""
    user = login_as("citizen", language="en")
    intake = factories.intake(**intake_fields)
    session = factories.info_session(intake)
    factories.booking(session, user)
    db.session.commit()
    return user, intake


def start(client, intake) -> int:
    response = post(client, f"/apply/{intake.id}/start", page="/apply")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].split("/my-application/")[1].split("/")[0])


def fill(client, application_id: int, steps: dict[str, dict], only=None):
    for step, data in steps.items():
        if only is not None and step not in only:
            continue
        url = f"/my-application/{application_id}/step/{step}"
        version = version_on(client, url)
        response = post(client, url, {**data, "version": version})
        assert response.status_code == 302, (step, response.get_data(as_text=True)[-3000:])
