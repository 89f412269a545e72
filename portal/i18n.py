"""Languages of the portal: which locale a request gets, and helpers to force one."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, g, has_request_context, request
from flask_babel import LazyString, force_locale, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

# Code -> name of the language in itself (shown in the language switch).
LANGUAGES: dict[str, str] = {"nl": "Nederlands", "fr": "Français", "de": "Deutsch", "en": "English"}
# Languages whose catalogues must be complete.
TRANSLATED = ("nl", "fr", "de")
# Languages a letter can be written in.
LETTER_LANGUAGES = ("nl", "fr", "de")
DEFAULT = "nl"
COOKIE = "lang"

LANGUAGE_LABELS = {
    "nl": _l("Dutch"),
    "fr": _l("French"),
    "de": _l("German"),
    "en": _l("English"),
}


def valid(code: str | None) -> str | None:
    """The language code if the portal speaks it, else None."""
    if not code:
        return None
    code = code.strip().lower()[:5].split("-")[0].split("_")[0]
    return code if code in LANGUAGES else None


def select_locale() -> str:
    """User's choice, then ?lang=, then the cookie, then Accept-Language, then Dutch."""
    if not has_request_context():
        return DEFAULT
    forced = getattr(g, "forced_locale", None)
    if forced:
        return forced
    if current_user and current_user.is_authenticated:
        chosen = valid(getattr(current_user, "language", None))
        if chosen:
            return chosen
    for candidate in (request.args.get(COOKIE), request.cookies.get(COOKIE)):
        chosen = valid(candidate)
        if chosen:
            return chosen
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT


def current() -> str:
    return str(get_locale() or DEFAULT)


@contextmanager
def locale(code: str) -> Iterator[None]:
    """Render under one language (letters, e-mails), whatever the request asked for."""
    with force_locale(code):
        yield


def register(app) -> None:
    app.jinja_env.globals["in_language"] = in_language

    @app.after_request
    def remember_query_language(response):
        chosen = valid(request.args.get(COOKIE))
        if chosen and request.cookies.get(COOKIE) != chosen:
            response.set_cookie(
                COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                secure=current_app.config["SESSION_COOKIE_SECURE"],
            )
        return response


def in_language(texts: dict[str, str]) -> LazyString:
    """A setting written once per language (`texts`: code -> text, "en" the fallback),
    read in the language of where it is printed: a page, or one section of a letter."""
    return LazyString(lambda: texts.get(str(get_locale() or DEFAULT)[:2]) or texts["en"])
