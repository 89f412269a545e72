"""The dependency lock: the install step refuses a lock that no longer matches
pyproject.toml and says what differs."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _check(tmp_path: Path, pyproject: str) -> subprocess.CompletedProcess:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "lock.py", tmp_path / "scripts" / "lock.py")
    shutil.copy(ROOT / "requirements.lock", tmp_path / "requirements.lock")
    (tmp_path / "pyproject.toml").write_text(pyproject)
    return subprocess.run([sys.executable, str(tmp_path / "scripts" / "lock.py"), "check"],
                          capture_output=True, text=True)


def test_the_committed_lock_matches_pyproject(tmp_path):
    result = _check(tmp_path, (ROOT / "pyproject.toml").read_text())
    assert result.returncode == 0, result.stderr


def test_a_new_dependency_missing_from_the_lock_stops_the_install(tmp_path):
    pyproject = (ROOT / "pyproject.toml").read_text().replace(
        '"gunicorn>=22.0",', '"gunicorn>=22.0",\n    "surely-not-locked>=1.0",\n    '
        '"flask>=99",')
    result = _check(tmp_path, pyproject)
    assert result.returncode == 1
    assert "surely-not-locked is in pyproject.toml but not in the lock" in result.stderr
    assert "flask: pyproject.toml asks >=99" in result.stderr
    assert "make lock" in result.stderr
