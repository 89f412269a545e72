"""The accounts domain's share of export, erasure and retention."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, func, literal, select

from portal import privacy_registry as registry
from portal.accounts import sessions
from portal.accounts.models import User, UserSession
from portal.drafts import FormDraft
from portal.outbox import Delivery
from portal.security import Role

ERASED_DOMAIN = "erased.invalid"

LABELS = {
    "email": _l("E-mail address"),
    "first_name": _l("First name"),
    "last_name": _l("Last name"),
    "language": _l("Language"),
    "created_at": _l("Created on"),
    "email_verified_at": _l("E-mail address confirmed on"),
    "last_login_at": _l("Last sign-in"),
}


def export(user: User) -> dict:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "created_at": user.created_at,
        "email_verified_at": user.email_verified_at,
        "last_login_at": user.last_login_at,
    }


def anonymise(user: User) -> None:
    """Close the account and remove what identifies its holder; the row (and its id, which
    the audit log and kept records point at) stays."""
    user.email = f"erased-{user.id}@{ERASED_DOMAIN}"
    user.first_name = user.last_name = ""
    user.password_hash = None
    user.active = False
    user.person = None
    sessions.end_all(user)


def erase(user: User, actor, now, **_kw) -> registry.Erased:
    """Anonymise the account and delete at once what the retention schedule would only
    delete later: the e-mails to its address (sent or waiting) and its login sessions
    (network address, browser)."""
    email = user.email
    anonymise(user)
    mails = registry.delete_rows(Delivery, Delivery.recipient == email)
    logins = registry.delete_rows(UserSession, UserSession.user_id == user.id)
    registry.delete_rows(FormDraft, FormDraft.user_id == user.id)
    user.current_session = None
    return registry.Erased(counts={"accounts": 1, "outbox_mails": mails,
                                   "login_sessions": logins}, kept=[registry.Kept(
        registry.N_("The audit log: who did what on your file, and when"), None,
        registry.N_("Kept for the period of the retention schedule to prove how your file "
                    "was handled; it holds no answers."))])


def deletion_dates(user: User, days: dict) -> list[registry.DeletionDate]:
    last = user.last_login_at or user.created_at
    return [registry.DeletionDate(
        _l("Your account"), registry.days_after(last, days["accounts_inactive"]),
        _l("Counted from your last sign-in, and only once no application of yours is in "
           "progress."))]


def purge_inactive(cutoff, now, dry_run: bool) -> int:
    """Citizen accounts nobody signed in to since the cutoff and no domain still needs:
    closed and anonymised, their login sessions deleted."""
    held = registry.held_users(current_app)
    where = [
        User.role == Role.CITIZEN,
        User.active.is_(True),
        func.coalesce(User.last_login_at, User.created_at) < cutoff,
        User.id.not_in(held) if held is not None else literal(True),
    ]

    def close(closing) -> None:
        registry.delete_rows(UserSession, UserSession.user_id.in_(closing))
        registry.update_rows(
            User, *where,
            email=literal("erased-") + cast(User.id, String) + literal("@" + ERASED_DOMAIN),
            first_name="", last_name="", password_hash=None, active=False)

    return registry.count_or_remove(select(User.id).where(*where), close, dry_run=dry_run,
                                    chunk=None)


PART = registry.Part(
    name="accounts",
    label=_l("Your account"),
    export=export,
    erase=erase,
    deletion_dates=deletion_dates,
    labels=LABELS,
    order=90,
    rules=(registry.Rule(
        kind="accounts_inactive",
        label=_l("Citizen accounts"),
        purpose=_l("Let citizens sign in, apply and follow their file"),
        legal_basis=registry.CONSENT_AND_RECRUITING,
        categories=_l("E-mail address, name, language, password hash, sign-in times"),
        since=_l("the last sign-in"),
        purge=purge_inactive,
        stage=10,
    ), registry.Rule(
        kind="sessions",
        label=_l("Login sessions"),
        purpose=_l("Keep a signed-in browser signed in and show the account holder where "
                   "they are logged in"),
        legal_basis=_l("The security of processing (GDPR Art. 32)"),
        categories=_l("Browser, network address, sign-in and last request times"),
        since=_l("the last request"),
        # Sessions whose last request is older than the cutoff stopped signing in long
        # before (SESSION_IDLE_MINUTES).
        purge=registry.older(UserSession.last_seen_at),
        stage=20,
    )),
)
