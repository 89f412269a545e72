"""One way of showing a refusal (refusals.show): the request's work rolled back, each problem
next to its form field when the form has it, every other one flashed; and no view shows a
refusal its own way."""

from __future__ import annotations

import ast
from pathlib import Path

from flask import get_flashed_messages
from flask_wtf import FlaskForm
from wtforms import StringField

from portal import refusals
from portal.refusals import Refusal

PORTAL = Path(__file__).resolve().parent.parent / "portal"


class _Form(FlaskForm):
    class Meta:
        csrf = False

    name = StringField()
    note = StringField()


def _reads_a_refusal(node: ast.AST) -> bool:
    """Reads a refusal's message or problems (not a function of that name)."""
    called = {id(n.func) for n in ast.walk(node) if isinstance(n, ast.Call)}
    return any(isinstance(n, ast.Attribute) and n.attr in {"message", "messages", "problems"}
               and id(n) not in called for n in ast.walk(node))


def _displays(node: ast.AST) -> bool:
    """Flashes something, or puts something into a form's errors."""
    for n in ast.walk(node):
        if isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", "")) \
                == "flash":
            return True
        if isinstance(n, ast.Attribute) and n.attr in {"errors", "form_errors"} \
                and isinstance(n.ctx, ast.Store):
            return True
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) \
                and n.func.attr == "append" and isinstance(n.func.value, ast.Attribute) \
                and n.func.value.attr in {"errors", "form_errors"}:
            return True
    return False


def _functions():
    for path in sorted(PORTAL.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                yield path, function


def test_no_view_shows_a_refusal_its_own_way():
    """Only refusals.show turns a refusal's message into a flash or a form error: any other
    function that reads a message and flashes it or fills a form's errors is a second way."""
    own_ways = [f"{path.relative_to(PORTAL.parent)}:{function.name}"
                for path, function in _functions()
                if _reads_a_refusal(function) and _displays(function)
                and (path, function.name) != (PORTAL / "refusals.py", "show")]
    assert own_ways == []


def _refusal_names() -> set[str]:
    """Refusal and every subclass (all defined once the app is made)."""
    names, todo = set(), [Refusal]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


def test_every_view_that_catches_a_refusal_shows_it_with_the_one_display(app):
    """A view that catches a refusal shows it with refusals.show (or answers 404)."""
    names = _refusal_names()
    strays = []
    for path, function in _functions():
        if not path.name.endswith("views.py"):
            continue
        text = ast.unparse(function)
        for handler in ast.walk(function):
            if not isinstance(handler, ast.ExceptHandler) or handler.type is None:
                continue
            caught = {ast.unparse(t).rsplit(".", 1)[-1] for t in (
                handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type])}
            if not caught & names:
                continue
            body = "\n".join(ast.unparse(s) for s in handler.body)
            if not ("refusals.show(" in text or "_refused(" in body or "abort(404)" in body):
                strays.append(f"{path.relative_to(PORTAL.parent)}:{handler.lineno}")
    assert strays == []


def test_a_refusal_naming_a_field_of_the_form_shows_next_to_it(app):
    with app.test_request_context("/", method="POST", data={"name": "x"}):
        form = _Form()
        refusals.show(Refusal("This name is taken.", "name"), form)
        assert form.name.errors == ["This name is taken."]
        assert list(form.note.errors) == []
        assert get_flashed_messages() == []


def test_a_refusal_without_a_field_of_the_form_is_flashed(app):
    with app.test_request_context("/"):
        form = _Form()
        refusals.show(Refusal("Not now."), form)
        refusals.show(Refusal("Not here.", "elsewhere"), form)
        refusals.show(Refusal("No form at all.", "name"))
        assert get_flashed_messages(with_categories=True) == [
            ("error", "Not now."), ("error", "Not here."), ("error", "No form at all.")]
        assert list(form.name.errors) == []


def test_every_problem_of_a_refusal_shows_at_once_each_once(app):
    with app.test_request_context("/"):
        form = _Form()
        refusal = Refusal.of_all([Refusal("Too long.", "note"), Refusal("Closed."),
                                  Refusal("Too long.", "note")])
        refusals.show(refusal, form)
        assert form.note.errors == ["Too long."]
        assert get_flashed_messages() == ["Closed."]


def test_a_field_map_places_problems_on_the_forms_own_fields(app):
    with app.test_request_context("/"):
        form = _Form()
        refusals.show(Refusal("Pick one.", "who"), form, fields={"who": "name"})
        refusals.show(Refusal("Not now."), form, fields={None: "note"})
        assert form.name.errors == ["Pick one."]
        assert form.note.errors == ["Not now."]


def test_a_refusal_in_a_section_is_flashed_for_that_section(app):
    with app.test_request_context("/"):
        refusals.show(Refusal("Already decided."), section="decision")
        assert get_flashed_messages(with_categories=True) == [
            ("refusal-decision", "Already decided.")]


def test_the_request_work_is_rolled_back(app, monkeypatch):
    from portal.extensions import db

    rolled = []
    with app.test_request_context("/"):
        monkeypatch.setattr(db.session, "rollback", lambda: rolled.append(True))
        refusals.show(Refusal("No."))
    assert rolled == [True]
