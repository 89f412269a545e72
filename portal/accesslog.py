"""Access logs without bearer secrets: links that sign someone in or open something by
themselves (e-mail verification, password reset, employer links, calendar feeds) and the
federal login's code and state are written as "[redacted]", in gunicorn's access log
(RedactingLogger, named by gunicorn.conf.py) and in the development server's.

A route whose argument is named `token` or `secret` carries a bearer secret: SECRET_PATHS
must cover it, and SECRET_QUERY every query parameter a view marked with
`security.secret_in_url` names (tests/test_access_log.py and tests/test_referrer_policy.py
walk the routes)."""
from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
SECRET_PATHS = ("/verify-email/", "/reset-password/", "/employer/link/", "/employer/sign-in/",
                "/reserve/feed/", "/employer/planning/")
SECRET_QUERY = ("code", "state", "token", "secret", "id_token", "access_token")
_PATH = re.compile("(" + "|".join(re.escape(p) for p in SECRET_PATHS)
                   + r')[^/?#&\s"]+?(\.ics)?(?=[/?#&\s"]|$)')
_QUERY = re.compile(r"(^|[?&;])(" + "|".join(SECRET_QUERY) + r')=[^&;#\s"]*', re.IGNORECASE)


def redact(text: str) -> str:
    """`text` (a request line, path, query string or Referer) with its secrets replaced."""
    if not isinstance(text, str):
        return text
    text = _PATH.sub(lambda m: m.group(1) + REDACTED + (m.group(2) or ""), text)
    return _QUERY.sub(lambda m: f"{m.group(1)}{m.group(2)}={REDACTED}", text)


class RedactingLogger(Logger):
    """gunicorn's logger with every access-log field (request line, path, query, Referer,
    headers, environ) passed through `redact`."""

    def atoms(self, resp, req, environ, request_time):
        return {k: redact(v) for k, v in super().atoms(resp, req, environ, request_time).items()}


class RedactingFilter(logging.Filter):
    """For Werkzeug's development server, which logs the request line as an argument."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) for a in record.args)
        return True


def init_app(app) -> None:
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactingFilter) for f in werkzeug.filters):
        werkzeug.addFilter(RedactingFilter())
