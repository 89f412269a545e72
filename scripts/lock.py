"""The dependency lock: check it against pyproject.toml, and audit it.

    python scripts/lock.py check   # exit 1, naming each problem, when pyproject.toml asks for
                                   # a package the lock lacks or pins outside the range
    python scripts/lock.py audit   # pip-audit on requirements.lock; says plainly when the
                                   # vulnerability service could not be asked

`make lock` regenerates requirements.lock (pip-compile --generate-hashes); `make run`,
`make test` and CI install from it with --require-hashes after `check`.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    from packaging.version import Version
except ImportError:  # a fresh venv has only pip, which carries its own copy
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name
    from pip._vendor.packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", re.MULTILINE)


def pinned() -> dict[str, Version]:
    return {canonicalize_name(name): Version(version)
            for name, version in PIN.findall(LOCK.read_text())}


def wanted() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        requirements.extend(extra)
    return [Requirement(r) for r in requirements]


def check() -> int:
    if not LOCK.exists():
        print("requirements.lock is missing: run `make lock`.", file=sys.stderr)
        return 1
    pins = pinned()
    problems = []
    for requirement in wanted():
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{requirement.name} is in pyproject.toml but not in the lock")
        elif not requirement.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{requirement.name}: pyproject.toml asks {requirement.specifier}, "
                            f"the lock pins {pins[name]}")
    if problems:
        print("pyproject.toml and requirements.lock disagree:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        print("Run `make lock` to regenerate the lock, review the diff and commit it.",
              file=sys.stderr)
        return 1
    print(f"requirements.lock matches pyproject.toml ({len(pins)} pinned packages)")
    return 0


def audit() -> int:
    """pip-audit skips a package it cannot look up and still says "No known
    vulnerabilities found"; here a skipped package is never counted as checked."""
    command = [sys.executable, "-m", "pip_audit", "--requirement", str(LOCK),
               "--require-hashes", "--disable-pip", "--no-deps", "--format", "json",
               "--progress-spinner", "off", "--timeout", "20"]
    result = subprocess.run(command, capture_output=True, text=True)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print("AUDIT NOT DONE: pip-audit gave no report (exit code "
              f"{result.returncode}).\n{result.stderr.strip()[-2000:]}", file=sys.stderr)
        return 2
    packages = report.get("dependencies", [])
    skipped = [p for p in packages if p.get("skip_reason")]
    vulnerable = [p for p in packages if p.get("vulns")]
    checked = len(packages) - len(skipped)
    for package in vulnerable:
        for vuln in package["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            print(f"VULNERABLE {package['name']} {package['version']}: {vuln['id']} "
                  f"(fixed in {fixes})")
    if skipped:
        reasons = sorted({p["skip_reason"].split(":")[0] for p in skipped})
        print(f"{len(skipped)} of {len(packages)} packages could NOT be checked: "
              f"{'; '.join(reasons)[:300]}", file=sys.stderr)
    if vulnerable:
        print(f"AUDIT FAILED: {len(vulnerable)} vulnerable packages.")
        return 1
    if not packages or checked == 0:
        print("AUDIT NOT DONE: the vulnerability service could not be reached; no package "
              "was checked. This is not a pass.", file=sys.stderr)
        return 2
    if skipped:
        print(f"AUDIT INCOMPLETE: {checked} packages checked, none vulnerable; "
              f"{len(skipped)} not checked. This is not a pass.", file=sys.stderr)
        return 2
    print(f"audit passed: {checked} packages checked, no known vulnerabilities")
    return 0


if __name__ == "__main__":
    commands = {"check": check, "audit": audit}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    sys.exit(commands[sys.argv[1]]())
