"""Guards other domains put on their views, next to role_required."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user


def verified_required(view: Callable) -> Callable:
    """Only users who confirmed their e-mail address; others go to their account page,
    where they can have the confirmation e-mail sent again. Put it under role_required."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user.is_authenticated and current_user.email_verified_at is None:
            flash(_("Confirm your e-mail address first: open the link in the e-mail we sent "
                    "you, or have it sent again below."), "error")
            return redirect(url_for("accounts.account"))
        return view(*args, **kwargs)

    return wrapped
