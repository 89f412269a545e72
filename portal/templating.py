"""Template globals and filters: languages, formatting by Babel."""
from __future__ import annotations

from flask import g, request
from flask_babel import format_date, format_datetime, format_decimal, format_time
from flask_login import current_user

from portal import i18n, navigation, regions


def register(app) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    # babel.cfg extracts {% trans %} blocks trimmed; render them trimmed too, or the msgids differ.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.filters["date"] = lambda d, fmt="long": format_date(d, fmt) if d else ""
    app.jinja_env.filters["datetime"] = (
        lambda d, fmt="medium": format_datetime(d, fmt) if d else ""
    )
    # A time of day (no date, so no time zone to convert to).
    app.jinja_env.filters["time"] = (
        lambda t, fmt="short": format_time(t, fmt, rebase=False) if t else ""
    )
    app.jinja_env.filters["number"] = lambda n: format_decimal(n) if n is not None else ""

    # The error summary marks the page: its title then starts with "Error:", and the
    # first summary takes the focus when the page loads.
    def note_page_error() -> str:
        g.page_errors = getattr(g, "page_errors", 0) + 1
        return ""

    @app.before_request
    def _no_page_errors_yet():
        g.pop("page_errors", None)
        navigation.forget_first_tasks()

    app.jinja_env.globals.update(
        province_name=regions.province_name,
        note_page_error=note_page_error,
        first_error_summary=lambda: getattr(g, "page_errors", 0) == 1,
        page_has_errors=lambda: bool(getattr(g, "page_errors", 0)),
        # The question the signed-in user must answer first (navigation.add_first_task).
        first_task=lambda: navigation.first_task(current_user),
    )

    @app.context_processor
    def languages():
        return {
            "LANGUAGES": i18n.LANGUAGES,
            "current_language": i18n.current(),
            "current_path": request.full_path.rstrip("?") if request else "/",
            "nav_endpoints": app.view_functions,
        }
