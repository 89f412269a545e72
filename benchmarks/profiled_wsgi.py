"""The portal's WSGI app, measuring each request's server time (benchmarks/load.py --profile).

    gunicorn benchmarks.profiled_wsgi:app   (LOAD_PROFILE=<file> names the output)

Appends one line per request to LOAD_PROFILE (one file per gunicorn worker: the process
id is added): method, URL rule, wall and CPU milliseconds of the request's thread, and
the SQL statements it sent.
load.py sums them per rule, so a step's time splits into CPU spent and time waiting.
"""
from __future__ import annotations

import os
import threading
import time

from flask import request
from sqlalchemy import event

from portal.extensions import db
from wsgi import app as _flask_app

_OUT = os.environ.get("LOAD_PROFILE", "/tmp/load-profile")
_counts = threading.local()


class _Measured:
    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        wall, cpu = time.perf_counter(), time.thread_time()
        _counts.sql = 0
        try:
            return self.wsgi_app(environ, start_response)
        finally:
            rule = environ.get("portal.rule", "?")
            line = (f"{environ.get('REQUEST_METHOD')}\t{rule}\t"
                    f"{(time.perf_counter() - wall) * 1000:.1f}\t"
                    f"{(time.thread_time() - cpu) * 1000:.1f}\t{_counts.sql}\n")
            with open(f"{_OUT}.{os.getpid()}", "a") as f:
                f.write(line)


@_flask_app.before_request
def _name_rule() -> None:
    request.environ["portal.rule"] = str(request.url_rule or "?")


def _count(*_args) -> None:
    _counts.sql = getattr(_counts, "sql", 0) + 1


with _flask_app.app_context():
    event.listen(db.engine, "before_cursor_execute", _count)
_flask_app.wsgi_app = _Measured(_flask_app.wsgi_app)
app = _flask_app
