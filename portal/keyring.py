"""Key rings for data encrypted at rest, and the command that moves it to a new key.

A ring is one setting holding comma-separated Fernet keys (cryptography's MultiFernet):
the first key encrypts, every key decrypts, so a new key can go first while the old one
still opens what it sealed. Each kind of secret has a ring of its own (HEALTH_DATA_KEYS,
TOTP_KEYS; see portal/config.py): a leaked key opens one kind only, and each rotates on
its own schedule. Only the module that owns a ring turns its tokens into clear text.
"""
from __future__ import annotations

from collections.abc import Sequence

import click
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import InstrumentedAttribute

from portal import audit
from portal.commands import add_to_group
from portal.config import split_keys
from portal.extensions import db


def fernet_for(value, setting: str = "the key ring") -> MultiFernet:
    """The MultiFernet of a key ring setting's value (migrations use it without an app)."""
    keys = split_keys(value)
    if not keys:
        raise RuntimeError(f"{setting} holds no key.")
    return MultiFernet([Fernet(k) for k in keys])


class KeyRing:
    """The keys of one setting, read from the app's config on each use (tests and rotations
    change it), the Fernet objects cached while the value stays the same."""

    def __init__(self, setting: str):
        self.setting = setting
        self._cache = f"portal.keyring.{setting}"

    def _fernets(self) -> tuple[MultiFernet, Fernet]:
        value = current_app.config[self.setting]
        cached = current_app.extensions.get(self._cache)
        if cached is None or cached[0] != value:
            cached = (value, fernet_for(value, self.setting),
                      Fernet(split_keys(value)[0]))
            current_app.extensions[self._cache] = cached
        return cached[1], cached[2]

    def encrypt(self, text: str) -> str:
        return self._fernets()[0].encrypt(text.encode()).decode("ascii")

    def decrypt(self, token: str) -> str:
        """Clear text of a stored token; InvalidToken when no configured key opens it."""
        return self._fernets()[0].decrypt(token.encode("ascii")).decode()

    def rotate(self, token: str) -> str:
        """The same clear text under the first key (unchanged when it already is)."""
        return self._fernets()[0].rotate(token.encode("ascii")).decode("ascii")

    def under_first_key(self, token: str) -> bool:
        try:
            self._fernets()[1].decrypt(token.encode("ascii"))
        except InvalidToken:
            return False
        return True


def rekey(ring: KeyRing, columns: Sequence[InstrumentedAttribute],
          batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt under the ring's first key every token of `columns` that is not yet;
    commits each batch, so a long run keeps what it did. Idempotent: a second run
    re-encrypts nothing. Returns counts per column; InvalidToken (and nothing of the
    current batch written) when a token opens with none of the keys."""
    counts: dict[str, int] = {}
    for column in columns:
        model = column.class_
        name = f"{model.__tablename__}.{column.key}"
        done = unchanged = last = 0
        while True:
            rows = db.session.execute(
                select(model.id, column).where(column.is_not(None), model.id > last)
                .order_by(model.id).limit(batch_size)).all()
            if not rows:
                break
            last = rows[-1][0]
            changes = []
            for id_, token in rows:
                if ring.under_first_key(token):
                    unchanged += 1
                else:
                    changes.append((id_, ring.rotate(token)))
            for id_, token in changes:
                db.session.execute(update(model).where(model.id == id_)
                                   .values({column.key: token})
                                   .execution_options(synchronize_session=False))
            done += len(changes)
            db.session.commit()
        counts[f"{name} re-encrypted"] = done
        counts[f"{name} already under the first key"] = unchanged
    return counts


def rekey_command(name: str, ring: KeyRing, columns: Sequence[InstrumentedAttribute],
                  action: str, help_text: str) -> click.Command:
    """A `flask privacy <name>` command that runs `rekey` over `columns`, prints the
    counts and audits them as `action`."""

    @click.command(name, help=help_text)
    @click.option("--batch-size", default=500, show_default=True,
                  type=click.IntRange(1, 100_000))
    def command(batch_size: int):
        try:
            counts = rekey(ring, columns, batch_size)
        except InvalidToken as exc:
            db.session.rollback()
            raise click.ClickException(
                f"a stored value opens with none of {ring.setting}: put the old key back "
                "in the list") from exc
        audit.record(None, action, None, **{
            k.replace(" ", "_").replace(".", "_"): v for k, v in counts.items()})
        db.session.commit()
        width = max(len(k) for k in counts)
        for kind, n in counts.items():
            click.echo(f"{kind:<{width}}  {n}")

    return command


def add_privacy_command(app, command: click.Command) -> None:
    """Rekey commands sit in `flask privacy`; the privacy domain may create that group
    before or after the domain that owns the ring: share it."""
    add_to_group(app, "privacy", "Retention schedule and rights of the people concerned.",
                 command)


__all__ = ["InvalidToken", "KeyRing", "add_privacy_command", "fernet_for", "rekey",
           "rekey_command"]
