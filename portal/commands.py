"""`flask` command groups that several modules fill: whichever registers first creates the
group, the others add their commands to it."""
from __future__ import annotations

import click
from flask.cli import AppGroup


def add_to_group(app, name: str, help: str, *commands: click.Command) -> None:
    """Add `commands` to the app's `flask <name>` group, created (with `help`) when no
    module has made it yet."""
    group = app.cli.commands.get(name)
    if group is None:
        group = AppGroup(name, help=help)
        app.cli.add_command(group)
    for command in commands:
        group.add_command(command)
