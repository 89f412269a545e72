"""scripts/system-deps.sh: quiet and successful for any user when everything is installed,
and it never runs apt-get then; even with a long font list (the pipefail trap)."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "system-deps.sh"


def _run(tmp_path, as_nobody: bool = False) -> subprocess.CompletedProcess:
    # Under /tmp itself, so that another user can reach it (pytest's tmp_path is private).
    bin_dir = Path(tempfile.mkdtemp(prefix="system-deps-"))
    bin_dir.chmod(0o777)
    calls = bin_dir / "apt-calls"
    # A machine with many fonts: DejaVu Sans first, then far more than a pipe buffer holds.
    fc_list = bin_dir / "fc-list"
    fc_list.write_text(f"#!/bin/sh\necho 'DejaVu Sans'\nexec {shutil.which('seq')} 1 200000\n")
    # apt-get must not run; if it does, it leaves a trace and fails.
    apt = bin_dir / "apt-get"
    apt.write_text(f"#!/bin/sh\necho \"$@\" >> {calls}\nexit 1\n")
    for f in (fc_list, apt):
        f.chmod(0o755)
    # The script too: a clone in a private folder (mktemp -d) is out of another user's reach.
    script = bin_dir / SCRIPT.name
    shutil.copy(SCRIPT, script)
    script.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    command = ["bash", str(script)]
    if as_nobody:
        command = ["runuser", "-u", "nobody", "--", "env", f"PATH={env['PATH']}", *command]
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60,
                                check=False)
        result.apt_called = calls.exists()
        return result
    finally:
        shutil.rmtree(bin_dir)


def test_everything_installed_means_success_and_no_apt_get(tmp_path):
    result = _run(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    assert not result.apt_called


def test_a_user_who_is_not_root_gets_success_too(tmp_path):
    # As root, through runuser; otherwise the test already runs as an ordinary user.
    result = _run(tmp_path, as_nobody=os.geteuid() == 0)
    assert result.returncode == 0, result.stderr
    assert not result.apt_called
