"""`flask users ...`: staff accounts from the command line; `flask privacy rekey-totp`:
every stored two-step verification secret under the first key of TOTP_KEYS."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from portal import i18n, keyring
from portal.accounts import second_factor, services
from portal.accounts.models import User
from portal.accounts.passwords import policy_problem
from portal.extensions import db

users = AppGroup("users", help="User accounts.")


@users.command("create-staff")
@click.option("--email", required=True, help="E-mail address of the new account.")
@click.option("--role", required=True,
              type=click.Choice([str(r) for r in services.STAFF_ROLES]))
@click.option("--first-name", default="", help="First name.")
@click.option("--last-name", default="", help="Last name.")
@click.option("--language", default="nl", type=click.Choice(["nl", "fr", "de", "en"]))
@click.option("--password", default=None,
              help="Set this password (visible in the shell history; prefer --prompt).")
@click.option("--prompt", "prompt_password", is_flag=True,
              help="Ask for the password. Without --password or --prompt, the new account "
                   "receives an e-mail with a link to choose one.")
def create_staff(email, role, first_name, last_name, language, password, prompt_password):
    """Create a staff account: recruiter, admin, employer, unit or medical staff."""
    if prompt_password and not password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if password is not None:
        with i18n.locale("en"):  # the operator's shell speaks English
            problem = policy_problem(password, email)
        if problem:
            raise click.BadParameter(str(problem), param_hint="--password")
    try:
        user = services.create_staff(None, email, role, first_name, last_name, language,
                                     password=password)
    except services.EmailTaken as exc:
        raise click.ClickException(f"an account with {email} already exists") from exc
    db.session.commit()
    if password is None:
        services.send_set_password(user)
        click.echo(f"Created {role} {user.email}; a link to choose a password was e-mailed.")
    else:
        click.echo(f"Created {role} {user.email} with the given password.")


# Run after putting a new key first in TOTP_KEYS; once it reports nothing left under an
# old key, that key can leave the list.
rekey_totp = keyring.rekey_command(
    "rekey-totp", second_factor.KEYS, (User.totp_secret,), "privacy.totp_rekeyed",
    "Re-encrypt the staff's two-step verification secrets with the first TOTP_KEYS key.")

# `flask privacy rekey-totp`.
privacy = keyring.privacy_group(rekey_totp)
