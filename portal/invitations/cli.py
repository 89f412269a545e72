"""`flask invitations ...`: create cohorts and import register extracts from the shell."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from portal import dateranges, i18n
from portal.extensions import db
from portal.invitations import importer, services
from portal.invitations.forms import CODE_EXPIRY, COHORT_BIRTHS

invitations_cli = AppGroup("invitations", help="Cohorts, register imports and invitations.")


@invitations_cli.command("cohort")
@click.argument("name")
@click.option("--born-from", type=click.DateTime(["%Y-%m-%d"]), required=True,
              help="First birth date of the cohort (YYYY-MM-DD).")
@click.option("--born-to", type=click.DateTime(["%Y-%m-%d"]), required=True,
              help="Last birth date of the cohort (YYYY-MM-DD).")
@click.option("--expires", type=click.DateTime(["%Y-%m-%d"]), required=True,
              help="Date the cohort's invitation codes expire (YYYY-MM-DD).")
def create_cohort(name, born_from, born_to, expires):
    """Create the cohort NAME."""
    for option, value, within in (("--born-from", born_from, COHORT_BIRTHS),
                                  ("--born-to", born_to, COHORT_BIRTHS),
                                  ("--expires", expires, CODE_EXPIRY)):
        with i18n.locale("en"):  # the shell speaks English
            problem = dateranges.check(value.date(), *within.bounds(None))
        if problem:
            raise click.BadParameter(problem, param_hint=option)
    try:
        cohort = services.create_cohort(name, born_from.date(), born_to.date(), expires.date(),
                                        actor=None)
    except services.CohortError as exc:
        messages = {"name_taken": "a cohort with that name already exists",
                    "dates": "--born-from is after --born-to",
                    "name": "the name must have 1 to 80 characters"}
        raise click.ClickException(messages[exc.reason]) from exc
    db.session.commit()
    click.echo(f"Cohort {cohort.name!r} created (id {cohort.id}): born {cohort.born_from} "
               f"to {cohort.born_to}, codes expire {cohort.expires_on}.")


@invitations_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--cohort", "cohort_name", required=True, help="Name of the cohort.")
def import_file(file: Path, cohort_name: str):
    """Import the register extract FILE (CSV) into a cohort and print the report."""
    cohort = services.cohort_by_name(cohort_name)
    if cohort is None:
        raise click.ClickException(f"no cohort named {cohort_name!r}")
    try:
        with file.open("rb") as stream:
            record = importer.import_csv(cohort, stream, actor=None, filename=file.name)
        db.session.commit()
    except importer.ImportFileError as exc:
        db.session.rollback()
        with i18n.locale("en"):
            message = str(importer.FILE_ERRORS[exc.reason])
        raise click.ClickException(message) from exc
    except Exception:
        db.session.rollback()
        click.echo("The import failed; nothing was stored.", err=True)
        raise
    with i18n.locale("en"):  # the shell speaks English, like the rest of this command
        for error in importer.report_errors(record):
            click.echo(f"row {error.row}: {importer.field_label(error.field)}: "
                       f"{importer.reason_text(error.reason, error.params)}", err=True)
    click.echo(f"{record.rows} rows: {record.created} new persons, {record.existing} already "
               f"imported, {record.rejected} rejected.")
    if record.created == 0:
        click.echo("Nothing changed.")
