"""How long a move of each life cycle holds its request: an application rejected, a Reserve
engagement approved, an employer agreement suspended; each issues its letter.

    .venv/bin/python benchmarks/moves_bench.py [--moves 30]

The moves run as the portal runs them, on a fresh SQLite database built by the
migrations: `transition()` and the commit, with the letter made after the commit on the
queue (REDIS_URL, the local Redis) so the figure is what the person waits for. Prints the
median and the 90th percentile per kind and each kind's ratio to the application move.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade

from portal import create_app
from portal.extensions import db
from tests.conftest import make_test_config


def _timed(move) -> float:
    start = time.perf_counter()
    move()
    db.session.commit()
    return (time.perf_counter() - start) * 1000


def _application_move():
    from portal.applications.models import Status
    from portal.applications.workflow import transition
    from tests.support import factories
    from tests.support import review as h

    intake = factories.intake()
    application = h.application(intake, status=Status.TESTS_FAILED)
    recruiter = factories.user("recruiter", password=None, language="en")
    decision = h.decision(application, "reject",
                          factories.user("recruiter", password=None, language="en"))
    db.session.commit()
    return lambda: transition(application, "reject", recruiter, "tests failed",
                              decision=decision)


def _engagement_move():
    from portal.reserve import workflow
    from portal.reserve.models import EngagementStatus
    from tests.support import factories
    from tests.support import reserve as helpers

    engagement = helpers.engagement(factories.user(language="fr"),
                                    status=EngagementStatus.SCREENING, unit=helpers.unit(),
                                    start_date=date.today())
    recruiter = factories.user(role="recruiter")
    db.session.commit()
    return lambda: workflow.transition(engagement, "approve", recruiter)


_ENTERPRISES = iter(range(4_000_000, 5_000_000))


def _enterprise_number() -> str:
    """A valid enterprise number of its own (check digits: 97 minus the rest mod 97)."""
    base = next(_ENTERPRISES)
    return f"0{base:07d}{97 - base % 97:02d}"


def _agreement_move():
    from portal.employers import workflow
    from tests.employers.helpers import employer, hr_user, signed_agreement

    company = employer(_enterprise_number())  # one HR user per enterprise, as usual
    hr = hr_user(company)
    agreement = signed_agreement(company, hr=hr)
    db.session.commit()
    return lambda: workflow.transition(agreement, "suspend", hr, "Inventaire annuel")


KINDS = {"application (reject)": _application_move,
         "engagement (approve)": _engagement_move,
         "agreement (suspend)": _agreement_move}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--moves", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        config = make_test_config(f"sqlite:///{folder}/moves.sqlite3", Path(folder))
        config.update(JOBS_INLINE=False, REDIS_URL="redis://127.0.0.1:6379/14")
        app = create_app(config)
        with app.app_context():
            upgrade()
            db.engine.dispose()
            from portal.jobs import queue

            queue(app).empty()
            times: dict[str, list[float]] = {}
            for kind, prepare in KINDS.items():
                _timed(prepare())  # warm-up: templates, fonts
                times[kind] = [_timed(prepare()) for _ in range(args.moves)]
            queue(app).empty()
    base = statistics.median(times["application (reject)"])
    print(f"{'move':24} {'median ms':>10} {'p90 ms':>8} {'× application':>14}")
    for kind, values in times.items():
        values.sort()
        p90 = values[int(0.9 * (len(values) - 1))]
        print(f"{kind:24} {statistics.median(values):10.1f} {p90:8.1f} "
              f"{statistics.median(values) / base:14.2f}")


if __name__ == "__main__":
    main()
