"""`flask privacy rekey-health`: every stored health answer and medical reason under the
first key of HEALTH_DATA_KEYS, in batches. Run after putting a new key first; once it
reports nothing left under an old key, that key can leave the list."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select, update

from portal import audit
from portal.applications import health
from portal.applications.models import Application, TestResult
from portal.extensions import db

# (model, column) of every encrypted value.
ENCRYPTED = ((Application, Application.health_answers),
             (TestResult, TestResult.medical_reason))


def rekey(batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt what is not under the first key yet; commits each batch. Idempotent:
    a second run re-encrypts nothing. Returns counts per kind, audited."""
    counts: dict[str, int] = {}
    for model, column in ENCRYPTED:
        name = f"{model.__tablename__}.{column.key}"
        done = unchanged = 0
        last = 0
        while True:
            rows = db.session.execute(
                select(model.id, column).where(column.is_not(None), model.id > last)
                .order_by(model.id).limit(batch_size)).all()
            if not rows:
                break
            last = rows[-1][0]
            changes = []
            for id_, token in rows:
                if health.encrypted_under_first_key(token):
                    unchanged += 1
                else:
                    changes.append((id_, health.rotate(token)))
            for id_, token in changes:
                db.session.execute(update(model).where(model.id == id_)
                                   .values({column.key: token})
                                   .execution_options(synchronize_session=False))
            done += len(changes)
            db.session.commit()
        counts[f"{name} re-encrypted"] = done
        counts[f"{name} already under the first key"] = unchanged
    audit.record(None, "privacy.health_rekeyed", None, **{
        k.replace(" ", "_").replace(".", "_"): v for k, v in counts.items()})
    db.session.commit()
    return counts


@click.command("rekey-health")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 100_000))
def rekey_health(batch_size: int):
    """Re-encrypt health answers and medical reasons with the first HEALTH_DATA_KEYS key."""
    try:
        counts = rekey(batch_size)
    except health.InvalidToken as exc:
        db.session.rollback()
        raise click.ClickException(
            "a stored value opens with none of HEALTH_DATA_KEYS: put the old key back in "
            "the list") from exc
    width = max(len(k) for k in counts)
    for kind, n in counts.items():
        click.echo(f"{kind:<{width}}  {n}")


def register(app) -> None:
    # The privacy domain may create the `privacy` group before or after: share it.
    group = app.cli.commands.get("privacy")
    if group is None:
        group = AppGroup("privacy", help="Retention schedule and rights of the people "
                                         "concerned.")
        app.cli.add_command(group)
    group.add_command(rekey_health)
