"""The shape of portal/: no import cycles, the letter engine and the accounts import no
domain, comments on every in-function import, every module imports on its own in a fresh
interpreter, whatever the order, and every domain joins the app through the one contract
(portal.domains) and registers nothing by hand."""
from __future__ import annotations

import ast
import random
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest

from portal import DOMAINS
from portal.domains import Domain

ROOT = Path(__file__).resolve().parent.parent
PORTAL = ROOT / "portal"

# Every domain package, those of the coming issues included.
DOMAIN_PACKAGES = {name for name in DOMAINS} | {
    "portal.reserve", "portal.employers", "portal.privacy"}

# Imports from portal.letters* into other domains that the letter-engine rework (issue 7,
# the letters part) removes. Leave this EMPTY once that work has landed: the engine then
# imports no domain at all.
LETTERS_DOMAIN_IMPORTS_AWAITING_LETTERS_REWORK: set[tuple[str, str]] = set()
# In-function imports without a comment saying why, in files the same rework rewrites.
# Leave this EMPTY once it has landed.
UNEXPLAINED_INNER_IMPORTS_AWAITING_LETTERS_REWORK: set[str] = set()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {
    _module_name(p): p for p in sorted(PORTAL.rglob("*.py"))}


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(tree: ast.AST):
    """Every import statement that runs (not those under `if TYPE_CHECKING:`)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if _type_checking_only(node):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The portal modules an import statement names. `from a import b` names a.b when
    that is a module, else a. (Importing a.b also runs a's __init__; those implicit
    package edges are left out: Python handles them, and every module would otherwise
    sit in a cycle with its package's __init__.)"""
    found = set()
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        assert not node.level, f"{module}: portal/ uses absolute imports only"
        base = node.module or ""
        names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                 for alias in node.names]
    for name in names:
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name:
            found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    graph = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[module] = {t for node in _imports(tree) for t in _targets(module, node)} - {module}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, on_stack, stack, result, counter = {}, {}, set(), [], [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return result


def _domain_of(module: str) -> str | None:
    return next((d for d in DOMAIN_PACKAGES if module == d or module.startswith(d + ".")),
                None)


def _imports_of_other_domains(package: str) -> set[tuple[str, str]]:
    return {(module, target) for module, targets in import_graph().items()
            if module == package or module.startswith(package + ".")
            for target in targets
            if _domain_of(target) not in (None, package)}


def test_the_graph_sees_the_imports():
    graph = import_graph()
    assert "portal.applications.workflow" in graph["portal.applications.review.services"]
    assert "portal.applications.models" in graph["portal.applications.workflow"]


def test_no_import_cycle_between_modules():
    assert _cycles(import_graph()) == []


def test_a_cycle_would_be_found():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_accounts_import_no_other_domain():
    assert _imports_of_other_domains("portal.accounts") == set()


def test_the_letter_engine_imports_no_other_domain():
    found = _imports_of_other_domains("portal.letters")
    assert found - LETTERS_DOMAIN_IMPORTS_AWAITING_LETTERS_REWORK == set()
    # The list only shrinks: an entry that no longer happens is taken off it.
    assert LETTERS_DOMAIN_IMPORTS_AWAITING_LETTERS_REWORK - found == set()


def test_every_in_function_import_says_why():
    unexplained = []
    for path in MODULES.values():
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if not isinstance(node, (ast.Import, ast.ImportFrom)):
                    continue
                line, above = lines[node.lineno - 1], lines[node.lineno - 2].strip()
                if "#" not in line and not above.startswith("#"):
                    unexplained.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    awaiting = UNEXPLAINED_INNER_IMPORTS_AWAITING_LETTERS_REWORK
    assert [u for u in unexplained if u.split(":")[0] not in awaiting] == []
    assert awaiting - {u.split(":")[0] for u in unexplained} == set()


def _orders() -> list[tuple[str, list[str]]]:
    names = sorted(MODULES)
    shuffled = []
    for seed in (2026,):
        order = names[:]
        random.Random(seed).shuffle(order)
        shuffled.append((f"shuffled-{seed}", order))
    # Each domain's deepest modules first: models and leaves before the package itself.
    deepest = sorted(names, key=lambda n: (-n.count("."), n))
    return [("sorted", names), ("reversed", names[::-1]), ("deepest-first", deepest),
            *shuffled]


@pytest.mark.parametrize(("label", "order"), _orders(), ids=[label for label, _o in _orders()])
def test_every_module_imports_in_a_fresh_interpreter_in_any_order(label, order):
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    done = subprocess.run([sys.executable, "-c", code, *order], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


def _in_function_imports_of_portal() -> list[str]:
    found = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)) and _targets(module, node):
                    found.append(f"{module}:{node.lineno}")
    return sorted(set(found))


def test_at_most_three_in_function_imports_of_portal_modules():
    assert len(_in_function_imports_of_portal()) <= 3, _in_function_imports_of_portal()


def test_no_module_below_the_factory_imports_it():
    """Only the entry points beside the package import create_app: wsgi.py (the web) and
    worker.py (the queue workers); processes a run spawns start by the factory's own
    portal.start_worker, which the app hands to the engine that spawns them."""
    def imports_the_factory(path: Path) -> bool:
        return any(isinstance(node, ast.ImportFrom) and node.module == "portal"
                   and any(alias.name == "create_app" for alias in node.names)
                   for node in _imports(ast.parse(path.read_text(encoding="utf-8"))))

    assert [module for module, path in MODULES.items()
            if module != "portal" and imports_the_factory(path)] == []
    beside = sorted(p.name for p in PORTAL.parent.glob("*.py") if imports_the_factory(p))
    assert beside == ["worker.py", "wsgi.py"]


def test_every_letter_kind_lives_with_the_domain_that_declares_it(app):
    """A domain declares the letters it sends (portal.letters.kinds) and keeps their
    templates in its own templates/letters/: the engine's folder holds no kind's template,
    and no kind's template sits in another domain."""
    from importlib import import_module

    from portal.letters import kinds

    portal_dir = Path(import_module("portal").__file__).resolve().parent
    owners = {}
    for name in DOMAINS:
        for kind in import_module(name).DOMAIN.letter_kinds:
            owners[kind.name] = name
    declared = {kind.name: kind for kind in kinds.declared()}
    assert set(declared) == set(owners), "every declared kind is in its domain's DOMAIN"
    for name, kind in declared.items():
        domain = portal_dir / owners[name].removeprefix("portal.")
        assert kind.template == domain / "templates" / "letters" / f"{name}.html", name
        assert kind.template.is_file(), name
    template_files = {path.stem: path for path in portal_dir.rglob("templates/letters/*.html")}
    misplaced = {name: str(path.relative_to(portal_dir)) for name, path in template_files.items()
                 if name in declared and path != declared[name].template}
    assert misplaced == {}
    # Every letter template is a declared kind's, a partial (_name) or a staff page of the
    # engine (its letter runs).
    undeclared = [str(path.relative_to(portal_dir)) for path in template_files.values()
                  if not path.stem.startswith("_") and path.stem not in declared
                  and path.stem not in ("run", "runs")]
    assert declared and undeclared == []
    assert not [path for path in (portal_dir / "templates" / "letters").glob("*.html")
                if path.stem in declared]


# The domains that use the contract's escape hatch, `Domain(setup=...)`, and what for. The
# list only changes on purpose: what a second domain needs as well belongs in a field.
DOMAINS_WITH_SETUP = {
    "portal.accounts": "Flask-Login's login page, messages and user loader",
    "portal.letters": "the Jinja loader of the letter kinds' templates",
    "portal.employers": "the period source EMPLOYER_PERIOD_SOURCE names",
}

# What only portal.domains.register calls: the platform's registries...
REGISTRIES = {
    "portal.domains.register",
    "portal.privacy_registry.contribute",
    "portal.demo.add_seed",
    "portal.navigation.add_staff_task",
    "portal.navigation.set_landing",
    "portal.navigation.add_first_task",
}
# ...and Flask's, called on whatever object.
APP_METHODS = {"register_blueprint", "register_error_handler", "add_template_global",
               "add_template_filter"}


def _aliases(tree: ast.AST) -> dict[str, str]:
    """Local name -> the dotted name it was imported as."""
    found = {}
    for node in _imports(tree):
        for alias in node.names:
            if isinstance(node, ast.Import):
                local = alias.asname or alias.name.partition(".")[0]
                found[local] = alias.name if alias.asname else local
            else:
                found[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return found


def _dotted(node: ast.AST, aliases: dict[str, str]) -> str:
    """`a.b.c` as written, its first name resolved through the imports ("" for calls on
    anything but names and attributes)."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    return ".".join([aliases.get(node.id, node.id), *reversed(parts)])


def registrations_by_hand(source: str) -> list[str]:
    """What a module of a domain registers itself instead of declaring it in its DOMAIN:
    an `init_app`, a call of a registry or of Flask's registration methods, a signal
    connected, a command added to `flask`, settings, Jinja names or app extensions set."""
    tree = ast.parse(source)
    aliases = _aliases(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                and node.name == "init_app":
            found.append((node.lineno, "def init_app"))
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            name = _dotted(target.value, aliases) if isinstance(target, ast.Subscript) else ""
            if name.endswith(("jinja_env.globals", "jinja_env.filters", ".extensions")):
                found.append((node.lineno, f"{name}[...] ="))
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func, aliases)
        method = name.rpartition(".")[2]
        if (name in REGISTRIES or method in APP_METHODS
                or name.endswith((".cli.add_command", ".cli.group", ".cli.command",
                                  "config.setdefault", "extensions.setdefault",
                                  "jinja_env.globals.update", "jinja_env.filters.update"))
                # A signal's receiver (an engine's connect() takes no argument).
                or (method == "connect" and node.args)):
            found.append((node.lineno, f"{name}()"))
    return [f"{line}: {what}" for line, what in sorted(found)]


def test_every_domain_declares_its_domain():
    for name in DOMAINS:
        declared = getattr(import_module(name), "DOMAIN", None)
        assert isinstance(declared, Domain), f"{name} declares no DOMAIN = Domain(...)"
        assert declared.name == name.rpartition(".")[2], name
    with_setup = {name for name in DOMAINS if import_module(name).DOMAIN.setup is not None}
    assert with_setup == set(DOMAINS_WITH_SETUP)


def test_the_factory_registers_every_domain_through_the_contract(app):
    from portal import domains

    assert [domain.name for domain in domains.registered(app)] == [
        name.rpartition(".")[2] for name in DOMAINS]


def test_no_domain_registers_anything_by_hand():
    found = {f"{MODULES[module].relative_to(ROOT)}:{where}"
             for module in MODULES if _domain_of(module) in DOMAINS
             for where in registrations_by_hand(MODULES[module].read_text("utf-8"))}
    assert found == set()


def test_a_registration_by_hand_would_be_found():
    planted = """
from flask import current_app
from portal import demo as demo_seeds
from portal.navigation import add_staff_task
from portal.applications.signals import application_moved
from portal.letters import kinds

def init_app(app):
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.group)
    demo_seeds.add_seed(app, seed, order=10)
    add_staff_task(app, TASK)
    application_moved.connect(on_moved)
    app.jinja_env.globals["euros"] = euros
    app.config.setdefault("LIMIT", 10)

current_app.extensions["queue_worker_ready"] = []
"""
    assert [line.partition(":")[2].strip() for line in registrations_by_hand(planted)] == [
        "def init_app",
        "app.register_blueprint()",
        "app.cli.add_command()",
        "portal.demo.add_seed()",
        "portal.navigation.add_staff_task()",
        "portal.applications.signals.application_moved.connect()",
        "app.jinja_env.globals[...] =",
        "app.config.setdefault()",
        "flask.current_app.extensions[...] =",
    ]
    # What a domain does besides: build its own click groups, open a connection, look a
    # template up.
    assert registrations_by_hand("""
from flask.cli import AppGroup
group = AppGroup("reserve")
group.add_command(close_year)
with db.engine.connect() as connection:
    pass
current_app.jinja_env.get_template("letters/decision.html")
""") == []
