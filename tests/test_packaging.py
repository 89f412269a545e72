"""The portal installs as it declares itself: every distribution its code imports is a
declared dependency, and the wheel, installed with those dependencies alone in a fresh
virtual environment (no lock), starts and serves its pages."""
from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}


def _imported_modules() -> set[str]:
    modules = set()
    files = [*(ROOT / "portal").rglob("*.py"), *(ROOT / "migrations").rglob("*.py"),
             ROOT / "wsgi.py"]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return {m for m in modules if m not in sys.stdlib_module_names and m != "portal"}


def test_every_distribution_the_code_imports_is_declared():
    owners = packages_distributions()
    undeclared = {}
    for module in sorted(_imported_modules()):
        distributions = {canonicalize_name(d) for d in owners.get(module, [])}
        assert distributions, f"{module} is imported but no installed distribution provides it"
        if not distributions & _declared():
            undeclared[module] = sorted(distributions)
    assert undeclared == {}, f"imported but not in pyproject's dependencies: {undeclared}"


def test_no_dependency_is_declared_twice():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = [canonicalize_name(Requirement(r).name) for r in project["dependencies"]]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


STARTS = """
import sys, tempfile
from portal import create_app
from portal.extensions import db
folder = tempfile.mkdtemp()
app = create_app({"TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": folder,
                  "SQLALCHEMY_DATABASE_URI": "sqlite:///" + folder + "/p.sqlite3",
                  "MAIL_DIR": folder + "/mail", "REDIS_URL": None,
                  "RATELIMIT_STORAGE_URI": "memory://"})
with app.app_context():
    db.create_all()
client = app.test_client()
health = client.get("/healthz")
home = client.get("/")
css = client.get("/static/css/portal.css")
print(health.status_code, home.status_code, css.status_code)
sys.exit(0 if (health.status_code, home.status_code, css.status_code) == (200, 200, 200)
         else 1)
"""


def test_the_wheel_installs_with_its_declared_dependencies_alone_and_starts(tmp_path):
    dist, venv = tmp_path / "dist", tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "-w", str(dist), str(ROOT)], check=True)
    [wheel] = dist.glob("*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    str(wheel)], check=True, capture_output=True)
    # Run from an empty folder: nothing of the source tree on the path.
    started = subprocess.run([str(python), "-c", STARTS], cwd=tmp_path, capture_output=True,
                             text=True, timeout=300)
    assert started.returncode == 0, started.stdout[-2000:] + started.stderr[-4000:]
