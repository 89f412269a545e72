"""`flask employers ...`: the yearly compensation statements."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from portal.employers import statements

employers = AppGroup("employers", help="Employers of reservists: agreements and statements.")


@employers.command("statements")
@click.option("--year", type=int, required=True, help="Calendar year of the statements.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Directory for the PDF and CSV of every enterprise.")
def statements_command(year: int, out: Path):
    """Write the compensation statement (PDF and CSV) of every enterprise with an agreement."""
    result = statements.run(year, out)
    click.echo(f"{result.enterprises} enterprises, {result.files} files in {out} "
               f"({result.seconds:.1f} s)")
