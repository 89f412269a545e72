"""The one contract by which a domain joins the app: it declares a `Domain`, the factory
hands it to `register`.

A domain package declares `DOMAIN = Domain(...)` in its `__init__.py` and registers
nothing by hand; `register(app, domain)` does every registration the same way, in the
same order. The letter engine reads the letter kinds and run sources, and the job
worker the queue-worker hooks, of the domains registered on the app (`declared`): this
module imports no domain, so that every domain, the engine included, can import it.
Part of the platform, not of a domain.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import click
from flask import Blueprint, Flask
from flask.cli import AppGroup

from portal import demo, navigation, privacy_registry

EXTENSION = "portal.domains"


@dataclass(frozen=True)
class Domain:
    """What a domain brings to the app; every field but the name is optional.
    `register` does them in this order:

    - `settings`: config key -> (environment variable, default); the value read from the
      environment is made of the default's type (an int or a str: bool("false") would be
      True), and a key the config already has is kept.
    - `blueprints`: registered in their order.
    - `cli`: click commands and groups added to `flask`. A group named like one already
      there (`flask privacy`, `flask applications`) adds its commands to it.
    - `privacy_parts`: portal.privacy_registry.Part, the domain's share of export,
      erasure, retention and the record of processing.
    - `signals`: (signal, receiver) pairs. Connected strongly (receivers are module-level
      functions) and once however many apps one process makes: blinker keeps one
      connection per receiver.
    - `demo_seeds`: (order, seed) pairs for `flask demo seed`.
    - `staff_tasks`, `landings` (role -> endpoint), `first_tasks`: portal.navigation.
    - `template_globals`, `template_filters`: names added to the Jinja environment.
    - `error_handlers`: exception class (or status code) -> handler.
    - `setup(app)`, last: the escape hatch for what fits none of the fields (the one-off
      set-up of an extension, a setting naming a class to load). Keep it short: a second
      domain needing the same thing is a sign the contract needs a field.

    Read from the registered domains by those who use them (`declared`):
    - `letter_kinds` (portal.letters.kinds.Kind) and `run_sources`
      (portal.letters.runs.RunSource): by the letter engine;
    - `queue_worker_ready`: by `flask jobs worker`, before its first job.
    """

    name: str
    settings: Mapping[str, tuple[str, Any]] = field(default_factory=dict)
    blueprints: tuple[Blueprint, ...] = ()
    cli: tuple[click.Command, ...] = ()
    privacy_parts: tuple[privacy_registry.Part, ...] = ()
    signals: tuple[tuple[Any, Callable], ...] = ()
    demo_seeds: tuple[tuple[int, Callable], ...] = ()
    staff_tasks: tuple[navigation.StaffTask, ...] = ()
    landings: Mapping[str, str] = field(default_factory=dict)
    first_tasks: tuple[Callable, ...] = ()
    template_globals: Mapping[str, Any] = field(default_factory=dict)
    template_filters: Mapping[str, Callable] = field(default_factory=dict)
    error_handlers: Mapping[Any, Callable] = field(default_factory=dict)
    letter_kinds: tuple[Any, ...] = ()
    run_sources: tuple[Any, ...] = ()
    queue_worker_ready: tuple[Callable[[], None], ...] = ()
    setup: Callable[[Flask], None] | None = None


def register(app: Flask, domain: Domain) -> None:
    """Register everything `domain` declares on `app`, in the order Domain lists."""
    registered = app.extensions.setdefault(EXTENSION, {})
    if domain.name in registered:
        raise ValueError(f"the domain {domain.name!r} is registered twice")
    registered[domain.name] = domain
    for key, (variable, default) in domain.settings.items():
        if type(default) not in (int, str):
            raise TypeError(f"{key}: a domain's setting is an int or a str")
        app.config.setdefault(key, type(default)(os.environ.get(variable, default)))
    for blueprint in domain.blueprints:
        app.register_blueprint(blueprint)
    for command in domain.cli:
        _add_command(app, command)
    for part in domain.privacy_parts:
        privacy_registry.contribute(app, part)
    for signal, receiver in domain.signals:
        signal.connect(receiver, weak=False)
    for order, seed in domain.demo_seeds:
        demo.add_seed(app, seed, order=order)
    for task in domain.staff_tasks:
        navigation.add_staff_task(app, task)
    for role, endpoint in domain.landings.items():
        navigation.set_landing(app, role, endpoint)
    for find in domain.first_tasks:
        navigation.add_first_task(app, find)
    app.jinja_env.globals.update(domain.template_globals)
    app.jinja_env.filters.update(domain.template_filters)
    for exception, handler in domain.error_handlers.items():
        app.register_error_handler(exception, handler)
    if domain.setup is not None:
        domain.setup(app)


def registered(app: Flask) -> list[Domain]:
    """The domains registered on `app`, in the order they were."""
    return list(app.extensions.get(EXTENSION, {}).values())


def declared(app: Flask, what: str) -> list:
    """One field of every domain registered on `app`, joined in their order (e.g. every
    "letter_kinds")."""
    return [item for domain in registered(app) for item in getattr(domain, what)]


def _add_command(app: Flask, command: click.Command) -> None:
    """Add a command to `flask`. Groups of the same name, declared by several domains, are
    joined in a group of the app's own: the declared groups stay as they are, whatever
    other apps the process makes."""
    existing = app.cli.commands.get(command.name)
    if existing is None:
        app.cli.add_command(command)
        return
    if not (isinstance(existing, click.Group) and isinstance(command, click.Group)):
        raise ValueError(f"two commands named `flask {command.name}`")
    joined = AppGroup(existing.name, help=existing.help)
    for sub in (*existing.commands.values(), *command.commands.values()):
        joined.add_command(sub)
    app.cli.add_command(joined)
