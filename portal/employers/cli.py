"""`flask employers ...`: the yearly compensation statements."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from portal.employers import statements
from portal.letters import cli as letter_runs

employers = AppGroup("employers", help="Employers of reservists: agreements and statements.")


@employers.command("statements")
@click.option("--year", type=int, required=True, help="Calendar year of the statements.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Directory for the print batches, their manifest, and the PDF and CSV of "
                   "every enterprise.")
@click.option("--batch-size", type=int, default=None, help="Statements per print batch.")
def statements_command(year: int, out: Path, batch_size: int | None):
    """Make every enterprise's compensation statement of the year: a letter run (print
    batches in postcode order, each statement archived; resumes an interrupted run, letters
    only the enterprises still without one), then each enterprise's PDF and CSV.

    Exits with status 1 if any statement failed."""
    finished = letter_runs.run_group(statements.SOURCE, year, str(year), str(out),
                                     batch_size=batch_size)
    files = statements.write_files(year, out)
    click.echo(f"{files // 2} enterprises, {files} files in {out}")
    if not finished:
        raise SystemExit(1)
