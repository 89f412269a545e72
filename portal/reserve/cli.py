"""`flask reserve ...`: the daily jobs of the Reserve (run them from cron)."""
from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from portal.extensions import db
from portal.reserve import callups, engagements, year_end

reserve = AppGroup("reserve", help="The Reserve: end of the service year, engagements.")
TODAY = click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                     help="Act as if it were this day (YYYY-MM-DD).")


def _day(today) -> date | None:
    return today.date() if today else None


@reserve.command("close-years")
@TODAY
def close_years(today):
    """Daily: complete service years that have ended and ask their participants to choose."""
    n = year_end.close_years(_day(today))
    db.session.commit()
    click.echo(f"{n} service year(s) completed.")


@reserve.command("remind-choices")
@TODAY
def remind_choices(today):
    """Daily: remind participants of their choice's deadline; past it, count them as left."""
    reminded, lapsed = year_end.remind_and_lapse(_day(today))
    db.session.commit()
    click.echo(f"{reminded} reminder(s) sent, {lapsed} choice(s) lapsed.")


@reserve.command("start-engagements")
@TODAY
def start_engagements(today):
    """Daily: approved engagements whose start date came become active; finished ones end."""
    n = engagements.activate_started(_day(today))
    db.session.commit()
    click.echo(f"{n} engagement(s) moved.")


@reserve.command("count-call-ups")
@TODAY
def count_call_ups(today):
    """Daily: once a call-up's days have passed, count them as served for those available."""
    n = callups.count_served(_day(today))
    db.session.commit()
    click.echo(f"{n} reservist(s) counted.")
