"""Settings from the environment. Every setting is documented here and in the README."""
from __future__ import annotations

import os
import secrets
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The instance folder (INSTANCE_PATH): every default path below lies in it.
INSTANCE = Path(os.environ.get("INSTANCE_PATH") or ROOT / "instance")
# Settings that hold a ring of Fernet keys (portal/keyring.py), each with the file in the
# instance folder its key is generated into outside production.
KEY_RINGS = {"HEALTH_DATA_KEYS": "health_data_key", "TOTP_KEYS": "totp_key",
             "OUTBOX_KEYS": "outbox_key"}


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _per_language(name: str, defaults: dict[str, str]) -> dict[str, str]:
    """A text setting per language: NAME for English, NAME_NL, NAME_FR, NAME_DE."""
    return {lang: os.environ.get(name if lang == "en" else f"{name}_{lang.upper()}") or text
            for lang, text in defaults.items()}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


class Config:
    # PORTAL_ENV: "development" (default), "production" or "testing". Production
    # refuses to start without SECRET_KEY and marks cookies Secure.
    ENV_NAME = os.environ.get("PORTAL_ENV", "development")

    # PORTAL_TODAY (setting TODAY): a day (YYYY-MM-DD) the portal acts as if it were today:
    # its pages, letters and daily commands (portal/clock.py). For acceptance and training
    # environments that rehearse a whole year; refused in production.
    TODAY = os.environ.get("PORTAL_TODAY") or None

    # SECRET_KEY: signs sessions, CSRF tokens and e-mailed links. Required in production.
    # Elsewhere, when unset, a random key is generated once into instance/secret_key
    # (mode 0600) and reused, so no publicly known key ever signs anything.
    SECRET_KEY = os.environ.get("SECRET_KEY")

    # INSTANCE_PATH: folder of the SQLite database, mails, letter runs and the generated
    # key; created readable by the portal's own user only (0700).
    INSTANCE_PATH = str(INSTANCE)

    # CODE_HASH_KEY: key of the keyed hash under which invitation codes are stored.
    # Defaults to a key derived from SECRET_KEY.
    CODE_HASH_KEY = os.environ.get("CODE_HASH_KEY")

    # NN_HASH_KEY: key of the keyed hash (HMAC-SHA256) of national register numbers, which
    # keeps a person from being imported twice without keeping the number itself. Defaults
    # to a key derived from SECRET_KEY; changing it later breaks that duplicate check, so
    # set it explicitly in production.
    NN_HASH_KEY = os.environ.get("NN_HASH_KEY")

    # PASSWORD_HASH_MEMORY_KIB, PASSWORD_HASH_TIME_COST, PASSWORD_HASH_PARALLELISM: the
    # Argon2id cost of a password hash. Default: OWASP's recommendation (19456 KiB, 2
    # passes, 1 lane), about 20 ms of one core. Older hashes are renewed at login.
    PASSWORD_HASH_MEMORY_KIB = _int("PASSWORD_HASH_MEMORY_KIB", 19456)
    PASSWORD_HASH_TIME_COST = _int("PASSWORD_HASH_TIME_COST", 2)
    PASSWORD_HASH_PARALLELISM = _int("PASSWORD_HASH_PARALLELISM", 1)

    # HEALTH_DATA_KEYS: Fernet keys (comma-separated) that encrypt the health answers and
    # the medical test's reasons at rest. The first key encrypts, every key decrypts: to
    # rotate, put a new key first, run `flask privacy rekey-health`, then drop the old one.
    # Required in production. Elsewhere, when unset, a key is generated once into
    # instance/health_data_key (mode 0600) and reused.
    HEALTH_DATA_KEYS = os.environ.get("HEALTH_DATA_KEYS")

    # TOTP_KEYS: Fernet keys (comma-separated) that encrypt the staff's two-step
    # verification secrets at rest, so that a database dump and a password are not enough
    # to produce codes. A key ring of its own (no key shared with HEALTH_DATA_KEYS): another
    # purpose, rotated on its own schedule. The first key encrypts, every key decrypts: to
    # rotate, put a new key first, run `flask privacy rekey-totp`, then drop the old one.
    # Required in production. Elsewhere, when unset, a key is generated once into
    # instance/totp_key (mode 0600) and reused.
    TOTP_KEYS = os.environ.get("TOTP_KEYS")

    # OUTBOX_KEYS: Fernet keys (comma-separated) that encrypt the e-mails waiting in the
    # deliveries table (their reset and verification links sign people in). A ring of its
    # own. To rotate, put a new key first and keep the old one until `flask deliveries sweep
    # --all` has emptied it (a sent message's text is cleared). Required in production.
    # Elsewhere, when unset, a key is generated once into instance/outbox_key (0600).
    OUTBOX_KEYS = os.environ.get("OUTBOX_KEYS")

    # DATABASE_URL: SQLAlchemy URL. Default: SQLite file instance/portal.sqlite3
    # (WAL mode, busy timeout). Production: postgresql+psycopg://user@host/db.
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE / 'portal.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    # REDIS_URL: optional. When set, bulk jobs run on RQ workers (`flask jobs worker`)
    # and login throttling is shared between all app processes.
    REDIS_URL = os.environ.get("REDIS_URL") or None

    # MAIL_URL: optional smtp://user:pass@host:port or smtps://... When unset, every
    # e-mail is written as an .eml file under MAIL_DIR and logged.
    MAIL_URL = os.environ.get("MAIL_URL") or None
    MAIL_DIR = os.environ.get("MAIL_DIR", str(INSTANCE / "mail"))
    # MAIL_FROM: sender address of every e-mail.
    MAIL_FROM = os.environ.get("MAIL_FROM", "Dienstjaar <noreply@dienstjaar.mil.be>")

    # SMS_GATEWAY: how text messages go out. Unset: no text messages (citizens get e-mail
    # only, and are not offered the choice). "file": each message is written as a .txt file
    # under SMS_DIR (development, tests). "package.module:Class": a class with
    # send(phone, text) for a real provider.
    SMS_GATEWAY = os.environ.get("SMS_GATEWAY") or None
    SMS_DIR = os.environ.get("SMS_DIR", str(INSTANCE / "sms"))
    # NOTIFY_MAX_ATTEMPTS: tries per text message before its delivery is given up (e-mails
    # are never given up).
    NOTIFY_MAX_ATTEMPTS = _int("NOTIFY_MAX_ATTEMPTS", 5)
    # DASHBOARD_MIN_CELL: the intake dashboard (page, charts, CSV) shows no count below
    # this as a number but as "< N", and hides a second cell of the row or column so that
    # a total cannot give it back (source: Statbel's statistical disclosure control
    # practice, which publishes no cell of fewer than 10 people).
    DASHBOARD_MIN_CELL = _int("DASHBOARD_MIN_CELL", 10)
    # OFFER_REMINDER_DAYS: `flask notifications remind` (daily) reminds a candidate of an
    # unanswered offer this many days before its deadline.
    OFFER_REMINDER_DAYS = _int("OFFER_REMINDER_DAYS", 2)
    # INFO_SESSION_MINUTES: how long an information session lasts (its calendar entry,
    # attached to the booking's e-mail).
    INFO_SESSION_MINUTES = _int("INFO_SESSION_MINUTES", 90)
    # MEDICAL_QUEUE_PAGE_SIZE: candidates per page of the medical staff's queue (/medical/).
    MEDICAL_QUEUE_PAGE_SIZE = _int("MEDICAL_QUEUE_PAGE_SIZE", 50)
    # REVIEW_QUEUE_PAGE_SIZE: applications per page of the recruiters' queue of an intake.
    REVIEW_QUEUE_PAGE_SIZE = _int("REVIEW_QUEUE_PAGE_SIZE", 50)
    # STAFF_LIST_PAGE_SIZE: rows per page of the other staff lists (a unit's reservists,
    # the audit log, agreements, erasure requests, letter runs, call-ups, import problems).
    STAFF_LIST_PAGE_SIZE = _int("STAFF_LIST_PAGE_SIZE", 50)

    # BASE_URL: public address of the portal, used in e-mails, letters and QR codes.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")

    # TRUSTED_PROXIES: how many reverse proxies stand in front of the app (ProxyFix).
    # 0 means X-Forwarded-For is ignored entirely.
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)

    # LOGIN_LIMIT: failed logins (and password-reset requests) per account from one
    # address (Flask-Limiter syntax). Only that address is stopped: the owner elsewhere is not.
    LOGIN_LIMIT = os.environ.get("LOGIN_LIMIT", "5 per 15 minutes")
    # LOGIN_ADDRESS_LIMIT: failed logins (and reset requests) per address, whatever the
    # accounts; generous, as a whole office may sit behind one address.
    LOGIN_ADDRESS_LIMIT = os.environ.get("LOGIN_ADDRESS_LIMIT", "30 per 15 minutes")
    # LOGIN_ACCOUNT_FREE_FAILURES: failed logins for one account, from any address, before
    # each further try must wait (the owner is e-mailed once when it is reached). The wait
    # starts at LOGIN_ACCOUNT_DELAY_SECONDS after the last failure and doubles with each
    # further failure up to LOGIN_ACCOUNT_MAX_DELAY_SECONDS: slowed, never locked. The
    # count is forgotten LOGIN_ACCOUNT_WINDOW_HOURS after the last failure, at a successful
    # login and at a password reset.
    LOGIN_ACCOUNT_FREE_FAILURES = _int("LOGIN_ACCOUNT_FREE_FAILURES", 10)
    LOGIN_ACCOUNT_DELAY_SECONDS = _int("LOGIN_ACCOUNT_DELAY_SECONDS", 30)
    LOGIN_ACCOUNT_MAX_DELAY_SECONDS = _int("LOGIN_ACCOUNT_MAX_DELAY_SECONDS", 900)
    LOGIN_ACCOUNT_WINDOW_HOURS = _int("LOGIN_ACCOUNT_WINDOW_HOURS", 24)
    # RATELIMIT_KEY_PREFIX: prefix of the throttle counters in Redis, so that two portals
    # (or test runs) sharing one Redis server keep separate counts.
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "portal")
    # CODE_LIMIT: failed invitation-code attempts per address and date of birth (a guesser
    # is stopped; someone else behind the same address, with another birth date, is not).
    CODE_LIMIT = os.environ.get("CODE_LIMIT", "10 per 15 minutes")
    # CODE_ADDRESS_LIMIT: failed attempts per address whatever the date of birth (a guesser
    # who changes the date each time).
    CODE_ADDRESS_LIMIT = os.environ.get("CODE_ADDRESS_LIMIT", "100 per hour")

    # SIGN_IN_LINKS_PER_HOUR: employer sign-in links e-mailed to one mailbox per hour, from
    # any address; past it the request is answered as for an unknown address and nothing is
    # sent. Source: the portal's security review of its new surfaces (a mailbox flooded by
    # strangers, and links that pile up); at 5 an HR user who mistyped or lost a mail
    # still gets through.
    SIGN_IN_LINKS_PER_HOUR = _int("SIGN_IN_LINKS_PER_HOUR", 5)

    # TOKEN_MAX_AGE_HOURS: validity of e-mail verification and password reset links.
    TOKEN_MAX_AGE_HOURS = _int("TOKEN_MAX_AGE_HOURS", 24)

    # JOBS_INLINE: run bulk jobs in this process even when REDIS_URL is set.
    JOBS_INLINE = _bool("JOBS_INLINE", False)

    # RQ_QUEUE: name of the RQ queue the portal's jobs go to (one per deployment).
    RQ_QUEUE = os.environ.get("RQ_QUEUE", "portal")

    # LETTER_BATCH_SIZE: letters per print batch (one PDF file each) in a letter run.
    LETTER_BATCH_SIZE = _int("LETTER_BATCH_SIZE", 500)

    # LETTER_RUN_DIR: where letter runs started from the admin page write their batches.
    LETTER_RUN_DIR = os.environ.get("LETTER_RUN_DIR", str(INSTANCE / "letter-runs"))

    # Printed in every letter: how citizens reach the Service Year team, and who signs.
    # LETTER_PHONE, LETTER_EMAIL, LETTER_HOURS: contact details (hours as printed).
    LETTER_PHONE = os.environ.get("LETTER_PHONE", "+32 2 441 00 00")
    LETTER_EMAIL = os.environ.get("LETTER_EMAIL", "dienstjaar@mil.be")
    LETTER_HOURS = os.environ.get("LETTER_HOURS", "ma–vr / lu–ve / Mo–Fr 9:00–16:00")
    # LETTER_SIGNATORY: name of the person who signs the letters; LETTER_SIGNATORY_RANK:
    # their rank, a code of letters.render.RANKS (general, lieutenant_general, major_general,
    # brigadier_general, colonel, lieutenant_colonel, major) printed in each section's own
    # language, or empty for none.
    LETTER_SIGNATORY = os.environ.get("LETTER_SIGNATORY", "Anne Peeters")
    LETTER_SIGNATORY_RANK = os.environ.get("LETTER_SIGNATORY_RANK", "colonel")
    # LETTER_DPO_EMAIL: the data protection officer of Defence (GDPR Art. 13/14 notices).
    LETTER_DPO_EMAIL = os.environ.get("LETTER_DPO_EMAIL", "dpo@mil.be")

    # LETTER_RENDER_TIMEOUT: seconds one letter may take to render (0: no limit). A letter
    # rendered on request takes a few hundred milliseconds, one letter of a run a few.
    LETTER_RENDER_TIMEOUT = float(os.environ.get("LETTER_RENDER_TIMEOUT", "20"))
    # LETTER_RENDER_MAX_MEMORY: megabytes of memory one letter's rendering may add (0: no
    # limit); a letter rendered on request gets a child process capped at this much more.
    LETTER_RENDER_MAX_MEMORY = _int("LETTER_RENDER_MAX_MEMORY", 512)
    # LETTER_WORKERS: processes used by an in-process letter run (default: all cores).
    LETTER_WORKERS = _int("LETTER_WORKERS", os.cpu_count() or 1)
    # LETTER_TEST_RENAME_DELAY: tests only, empty in every real deployment. "N:SECONDS"
    # makes batch N (1-based) of every letter run wait that long after its letters are
    # archived and before its files are put in place: a slow worker, made reproducible.
    LETTER_TEST_RENAME_DELAY = os.environ.get("LETTER_TEST_RENAME_DELAY", "")

    # Federal login (FAS: eID, itsme) by OpenID Connect. Off unless OIDC_ISSUER,
    # OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are all set; then the login page shows its button.
    # OIDC_ISSUER: the provider's issuer; its metadata is read from
    # {issuer}/.well-known/openid-configuration (or OIDC_METADATA_URL when set).
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER") or None
    OIDC_METADATA_URL = os.environ.get("OIDC_METADATA_URL") or None
    # OIDC_CLIENT_ID / OIDC_CLIENT_SECRET: the portal's registration at the provider. Its
    # redirect URI is BASE_URL + /login/fas/callback.
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID") or None
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET") or None
    # OIDC_SCOPES: scopes asked for; the national register number comes with its own scope.
    OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid profile egovnrn")
    # OIDC_ACR_VALUES: the levels of assurance asked for and accepted (space-separated);
    # an ID token with any other acr is refused.
    OIDC_ACR_VALUES = os.environ.get(
        "OIDC_ACR_VALUES", "urn:be:fedict:iam:fas:Level450 urn:be:fedict:iam:fas:Level500")
    # OIDC_NN_CLAIM: the ID-token claim that carries the national register number.
    OIDC_NN_CLAIM = os.environ.get("OIDC_NN_CLAIM", "egovNRN")
    # OIDC_LEEWAY_SECONDS: clock difference tolerated on the ID token's times.
    OIDC_LEEWAY_SECONDS = _int("OIDC_LEEWAY_SECONDS", 60)

    # SESSION_IDLE_MINUTES: a signed-in session ends after this long without a request.
    SESSION_IDLE_MINUTES = _int("SESSION_IDLE_MINUTES", 30)
    # SESSION_MAX_HOURS: and this long after login, however active.
    SESSION_MAX_HOURS = _int("SESSION_MAX_HOURS", 12)
    # IDLE_WARNING_MINUTES: signed-in pages warn this long before the idle limit, with a
    # button to stay signed in (0: no warning).
    IDLE_WARNING_MINUTES = _int("IDLE_WARNING_MINUTES", 5)
    # REAUTH_MINUTES: how long after confirming it is them (password, or a mailed code) a
    # signed-in person may make sensitive account changes before being asked again; the
    # same ten minutes as the privacy export's window (privacy.views.EXPORT_MINUTES), after
    # OWASP ASVS 4.0 V3.7.1 (re-authentication before sensitive changes).
    REAUTH_MINUTES = _int("REAUTH_MINUTES", 10)

    # --- Privacy: the retention schedule (GDPR Art. 5(1)(e)) -----------------------------
    # How long each kind of personal data is kept, in days, counted from the moment named
    # below. `flask --app portal privacy purge` (daily, from cron) deletes what is older;
    # the record of processing (/admin/privacy/record) and every citizen's account page are
    # generated from these numbers. Each can be set as RETENTION_<KIND>_DAYS, e.g.
    # RETENTION_LETTERS_DAYS=1095.
    #   invitations_unused      after the cohort's invitations expire: unused invitation codes
    #   persons_never_signed_up after the cohort's invitations expire: register data of people
    #                           who never created an account (with their invitation letters)
    #   accounts_inactive       after the last sign-in: citizen accounts with no application
    #                           in progress are anonymised and closed
    #   applications_closed     after the last status change: rejected, failed, withdrawn or
    #                           declined applications with their history, tests and letters
    #   health_answers          after the last status change, once the medical test is past:
    #                           the health questions' answers are removed from the application
    #   security_screenings     after the outcome is final, once no selection waits for it:
    #                           the request to the vetting authority, its outcome and the
    #                           security officers' note
    #   engagements_closed      after the last status change: rejected or withdrawn
    #                           applications to the Reserve, with their files and letters
    #   agreements_closed       after the last status change: employer agreements never
    #                           signed (declined) or ended, with their answers and nomination
    #   letters                 after issue: archived letters (PDF bytes)
    #   print_files             after a letter run ends: its batch files and manifest for
    #                           the printer (the letters stay archived)
    #   uploaded_proofs         after upload, once the application is decided: proofs of
    #                           expertise uploaded to the Reserve
    #   sessions                after the last request: server-side login sessions
    #   mail_files              after sending: e-mails kept as files or in the outbox
    #   form_drafts             after typing: a form sent after its session expired, kept
    #                           (encrypted) to fill it in again; taken back or gone in an hour
    #   audit_log               after the event: the audit log
    RETENTION_DAYS: dict = {
        kind: _int(f"RETENTION_{kind.upper()}_DAYS", days)
        for kind, days in {
            "invitations_unused": 90,
            "persons_never_signed_up": 90,
            "accounts_inactive": 3 * 365,
            "applications_closed": 365,
            "health_answers": 90,
            "security_screenings": 180,
            "engagements_closed": 365,
            "agreements_closed": 2 * 365,
            "letters": 5 * 365,
            "print_files": 30,
            "uploaded_proofs": 365,
            "sessions": 30,
            "mail_files": 30,
            "form_drafts": 1,
            "audit_log": 10 * 365,
        }.items()
    }
    # --- Targets: the figures of the Defence policy note 2024–2025 -------------------------
    # The targets page (/staff/targets) measures the portal's own records against them.
    # TARGET_FIRST_LEVY_SELECTED: candidates selected in the first levy (the note: 500).
    TARGET_FIRST_LEVY_SELECTED = _int("TARGET_FIRST_LEVY_SELECTED", 500)
    # TARGET_SELECTED_PER_YEAR: candidates selected a year (the note: 1,000), from the year
    # TARGET_SELECTED_PER_YEAR_FROM (the note: 2028); earlier years are shown without one.
    TARGET_SELECTED_PER_YEAR = _int("TARGET_SELECTED_PER_YEAR", 1000)
    TARGET_SELECTED_PER_YEAR_FROM = _int("TARGET_SELECTED_PER_YEAR_FROM", 2028)
    # TARGET_RESERVISTS_FROM_SERVICE_YEAR: reservists who came from the service year (the
    # note: up to 3,000), counted as those approved or serving now.
    TARGET_RESERVISTS_FROM_SERVICE_YEAR = _int("TARGET_RESERVISTS_FROM_SERVICE_YEAR", 3000)
    # TARGET_RESERVISTS_THIS_TERM: reservists recruited during the government's term (the
    # note: 5,600), counted by the day of their approval between TERM_START (the federal
    # government took office on 3 February 2025) and TERM_END (the end of the legislature).
    TARGET_RESERVISTS_THIS_TERM = _int("TARGET_RESERVISTS_THIS_TERM", 5600)
    TERM_START = date.fromisoformat(os.environ.get("TERM_START", "2025-02-03"))
    TERM_END = date.fromisoformat(os.environ.get("TERM_END", "2029-06-30"))

    # APPEAL_PERIOD_DAYS: how long after a decision the candidate may still appeal it (the
    # Council of State's 60 days). An erasure request keeps the decision record, minimised,
    # until then.
    APPEAL_PERIOD_DAYS = _int("APPEAL_PERIOD_DAYS", 60)
    # ERASURE_CODE_MINUTES: how long the code mailed to an account without a password (it
    # signs in through the federal login only) confirms its erasure.
    ERASURE_CODE_MINUTES = _int("ERASURE_CODE_MINUTES", 15)
    # REVIEW_REQUEST_DAYS: how many days after a decision (a rejection, a place on the
    # waiting list) the candidate may ask, in the portal, for it to be reviewed; the
    # decision letter and the application page say so.
    REVIEW_REQUEST_DAYS = _int("REVIEW_REQUEST_DAYS", 30)
    # CONTACT_ADDRESS: the recruitment team's postal address, in the footer of every page
    # (with LETTER_PHONE, LETTER_EMAIL and LETTER_HOURS) and in the decision and review
    # letters (where to write for a review).
    # Written once per language, as CONTACT_ADDRESS_NL, _FR, _DE (and CONTACT_ADDRESS in
    # English): every page and every section of a letter prints its own language's.
    CONTACT_ADDRESS = _per_language("CONTACT_ADDRESS", {
        "en": "Defence, Service Year, Rue d'Evere 1, 1140 Evere",
        "nl": "Defensie, Militair Dienstjaar, Eversestraat 1, 1140 Evere",
        "fr": "Défense, Année de Service Militaire, Rue d'Evere 1, 1140 Evere",
        "de": "Verteidigung, Militärisches Dienstjahr, Rue d'Evere 1, 1140 Evere",
    })
    # PRIVACY_CONTROLLER: the controller named in the record of processing and the export,
    # once per language as CONTACT_ADDRESS.
    PRIVACY_CONTROLLER = _per_language("PRIVACY_CONTROLLER", {
        "en": "Belgian Defence, Directorate-General Human Resources",
        "nl": "Defensie, Algemene Directie Human Resources",
        "fr": "Défense, Direction générale Human Resources",
        "de": "Verteidigung, Generaldirektion Human Resources",
    })
    # PRIVACY_DPO: how to reach the data protection officer.
    PRIVACY_DPO = os.environ.get("PRIVACY_DPO", "dpo@mil.be")

    # PLANNING_HORIZON_MONTHS: how far ahead a date may be planned in any form (a Reserve
    # start, a training period, a selection day, an intake's dates, a cohort's code expiry),
    # and how far back an agreement may be dated (portal/dateranges.py).
    PLANNING_HORIZON_MONTHS = _int("PLANNING_HORIZON_MONTHS", 24)
    # INVITED_AGE: the age at which the register's young people are invited (the policy note:
    # on turning 18). A cohort's birth dates lie within the planning horizon around it.
    INVITED_AGE = _int("INVITED_AGE", 18)
    # INVITATION_REMINDER_DAYS: a reminder run letters, once, the invited people who neither
    # signed up nor answered (not interested, maybe later) this many days after their
    # invitation letter (the policy note asks for outreach beyond one letter).
    INVITATION_REMINDER_DAYS = _int("INVITATION_REMINDER_DAYS", 42)

    # The Reserve (portal/reserve). SERVICE_YEAR_MONTHS: length of the service year; once
    # that many months after an intake's start date have passed, `flask reserve close-years`
    # marks its participants' year completed.
    SERVICE_YEAR_MONTHS = _int("SERVICE_YEAR_MONTHS", 12)
    # RESERVE_CHOICE_DAYS: days a participant has to choose career, reserve or leaving;
    # RESERVE_REMINDER_DAYS: reminders go out this many days before that deadline.
    RESERVE_CHOICE_DAYS = _int("RESERVE_CHOICE_DAYS", 30)
    RESERVE_REMINDER_DAYS = os.environ.get("RESERVE_REMINDER_DAYS", "14,3")
    # RESERVE_MIN_DAYS_SOLDIER / RESERVE_MIN_DAYS_CADRE: minimum days a year a reservist
    # serves (soldiers; NCOs and officers). RESERVE_MIN_COMMITMENT_MONTHS: shortest
    # engagement (the law will set it).
    RESERVE_MIN_DAYS_SOLDIER = _int("RESERVE_MIN_DAYS_SOLDIER", 5)
    RESERVE_MIN_DAYS_CADRE = _int("RESERVE_MIN_DAYS_CADRE", 7)
    RESERVE_MIN_COMMITMENT_MONTHS = _int("RESERVE_MIN_COMMITMENT_MONTHS", 12)
    # RESERVE_LEAVE_PER_SERVED_DAY: compensatory leave earned per day served, in days
    # (rounded down to half days).
    RESERVE_LEAVE_PER_SERVED_DAY = float(os.environ.get("RESERVE_LEAVE_PER_SERVED_DAY", "1"))
    # RESERVE_FEED_LIMIT: reads of one private calendar address (calendar apps poll every
    # 5 minutes to a day; a few devices may share one address). RESERVE_FEED_MISS_LIMIT:
    # reads of unknown or stopped addresses per client address (guessing); a live address is
    # never held up by it.
    RESERVE_FEED_LIMIT = os.environ.get("RESERVE_FEED_LIMIT", "60 per hour")
    RESERVE_FEED_MISS_LIMIT = os.environ.get("RESERVE_FEED_MISS_LIMIT", "120 per hour")
    # RESERVE_PROOF_DIR / RESERVE_PROOF_MAX_BYTES: where proofs of expertise are kept
    # (outside the web root) and the largest upload accepted.
    RESERVE_PROOF_DIR = os.environ.get("RESERVE_PROOF_DIR", str(INSTANCE / "reserve-proofs"))
    RESERVE_PROOF_MAX_BYTES = _int("RESERVE_PROOF_MAX_BYTES", 5 * 1024 * 1024)

    WTF_CSRF_TIME_LIMIT = 3600
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 64 * 1024 * 1024

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Brussels"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")

    RATELIMIT_HEADERS_ENABLED = False
    # With Redis down, count in this process's memory (same limits) and go back to Redis
    # once it answers; staff logins are refused meanwhile (portal/accounts/throttling.py).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"


def load(overrides: dict | None = None) -> dict:
    """The settings as a dict, with test or caller overrides applied last."""
    cfg = {k: getattr(Config, k) for k in dir(Config) if k.isupper()}
    cfg.update(overrides or {})
    production = cfg["ENV_NAME"] == "production"
    if production and cfg.get("TODAY"):
        raise RuntimeError("PORTAL_TODAY cannot be set in production (PORTAL_ENV=production).")
    if not cfg.get("SECRET_KEY"):
        if production:
            raise RuntimeError("SECRET_KEY must be set in production (PORTAL_ENV=production).")
        cfg["SECRET_KEY"] = instance_secret_key(Path(cfg["INSTANCE_PATH"]))
    for setting, key_file in KEY_RINGS.items():
        if not cfg.get(setting):
            if production:
                raise RuntimeError(
                    f"{setting} must be set in production (PORTAL_ENV=production).")
            cfg[setting] = instance_fernet_key(Path(cfg["INSTANCE_PATH"]), key_file)
        check_fernet_keys(setting, cfg[setting])
    check_rings_apart(cfg)
    cfg.setdefault("SESSION_COOKIE_SECURE", production)
    if production:
        # __Host-: only ever set over HTTPS, for this exact host and path /.
        cfg.setdefault("SESSION_COOKIE_NAME", "__Host-session")
    cfg.setdefault("REMEMBER_COOKIE_SECURE", production)
    cfg["PREFERRED_URL_SCHEME"] = "https" if production else "http"
    uri = cfg["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://"):
        uri = "postgresql+psycopg://" + uri[len("postgres://"):]
    elif uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://"):]
    cfg["SQLALCHEMY_DATABASE_URI"] = uri
    if uri.startswith("sqlite"):
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    elif uri.startswith("postgresql+psycopg"):
        # No server-side prepared statements: a letter's render child may read through its
        # parent's connection (letters.limits), and a statement it prepared there would be
        # unknown to the parent, which would later prepare another under the same name.
        options = dict(cfg.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options["connect_args"] = {**options.get("connect_args", {}), "prepare_threshold": None}
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if not cfg.get("RATELIMIT_STORAGE_URI"):
        cfg["RATELIMIT_STORAGE_URI"] = cfg["REDIS_URL"] or "memory://"
    return cfg


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) readable by this user only; tighten it if it exists."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def instance_secret_key(instance: Path) -> str:
    """The key in instance/secret_key, generated (mode 0600) the first time."""
    key_file = private_dir(instance) / "secret_key"
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w") as fh:
        fh.write(key + "\n")
    return key


def instance_fernet_key(instance: Path, file_name: str) -> str:
    """The Fernet key in instance/`file_name`, generated (mode 0600) the first time."""
    from cryptography.fernet import Fernet  # only outside production, where keys are given

    key_file = private_dir(instance) / file_name
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    key = Fernet.generate_key().decode()
    with os.fdopen(fd, "w") as fh:
        fh.write(key + "\n")
    return key


def split_keys(value: str | list | tuple) -> list[str]:
    """The keys of a key ring setting: a comma-separated string, or a list from a caller."""
    if isinstance(value, str):
        return [k.strip() for k in value.split(",") if k.strip()]
    return [str(k).strip() for k in value if str(k).strip()]


def check_fernet_keys(setting: str, value) -> None:
    """Refuse to start with a key that is not a Fernet key, rather than at the first reading."""
    from cryptography.fernet import Fernet  # config stays importable without it elsewhere

    keys = split_keys(value)
    if not keys:
        raise RuntimeError(f"{setting} holds no key.")
    for n, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError as exc:
            raise RuntimeError(f"{setting}: key {n} is not a Fernet key "
                               "(32 url-safe base64-encoded bytes).") from exc


def check_rings_apart(cfg: dict) -> None:
    """One key in two rings would make a leak of one a leak of both, and tie their
    rotations together: refuse it."""
    seen: dict[str, str] = {}
    for setting in KEY_RINGS:
        for key in split_keys(cfg[setting]):
            if seen.get(key, setting) != setting:
                raise RuntimeError(f"{setting} and {seen[key]} share a key: give each its own.")
            seen[key] = setting
