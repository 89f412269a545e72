"""A letter run whose process is killed in the middle (SIGKILL: no cleanup, no rollback
handler) resumes with the same command and ends with exactly one letter and one valid
invitation code per person."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from portal.extensions import db
from portal.invitations.models import Invitation
from portal.letters.models import Letter
from tests.support import factories

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 60
POSTCODES = ["1000", "2000", "4700", "5000", "9000", "8000"]


def _command(app, cohort_name: str, out: Path) -> tuple[list[str], dict]:
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "SECRET_KEY": app.config["SECRET_KEY"], "BASE_URL": app.config["BASE_URL"],
           "LETTER_WORKERS": "1", "JOBS_INLINE": "true", "PORTAL_ENV": "testing"}
    env.pop("REDIS_URL", None)
    flask = str(Path(sys.executable).parent / "flask")
    return [flask, "--app", "portal", "letters", "run", "--cohort", cohort_name, "--out",
            str(out), "--batch-size", "5"], env


def _letters() -> int:
    db.session.rollback()
    return db.session.scalar(db.select(db.func.count(Letter.id))) or 0


def test_a_killed_letter_run_resumes_without_a_duplicate_letter_or_code(app, tmp_path):
    cohort = factories.cohort()
    people = [factories.person(cohort, postcode=POSTCODES[i % len(POSTCODES)])
              for i in range(PEOPLE)]
    db.session.commit()
    person_ids = sorted(p.id for p in people)
    command, env = _command(app, cohort.name, tmp_path)

    log = (tmp_path / "killed-run.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 240
    while _letters() < 10:
        assert process.poll() is None, (tmp_path / "killed-run.log").read_text()[-3000:]
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # mid-run, between or inside batches
    process.wait(timeout=30)
    log.close()
    killed_at = _letters()
    assert 10 <= killed_at < PEOPLE, killed_at

    resumed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=600)
    assert resumed.returncode == 0, resumed.stdout[-3000:] + resumed.stderr[-3000:]
    assert "Resuming" in resumed.stdout + resumed.stderr

    db.session.rollback()
    letters = db.session.scalars(db.select(Letter)).all()
    assert sorted(letter.person_id for letter in letters) == person_ids
    assert len({letter.reference for letter in letters}) == PEOPLE
    # One code per person that still opens an invitation: the one printed in the letter.
    open_codes = db.session.scalars(db.select(Invitation).where(
        Invitation.revoked_at.is_(None))).all()
    assert sorted(i.person_id for i in open_codes) == person_ids
    assert {i.reference for i in open_codes} == {letter.reference for letter in letters}
    assert len(list(tmp_path.glob("batch-*.pdf"))) == PEOPLE // 5
    # A killed worker may leave a half-written part file; it is never taken for a batch.
    assert all(p.name.count(".") == 1 for p in tmp_path.glob("batch-*.pdf"))
