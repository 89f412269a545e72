"""The app served over real HTTP from a thread of the test process, and a cookie-keeping
client for it: for what the test client cannot show (timing, work after the response)."""
from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager

from werkzeug.serving import WSGIRequestHandler, make_server

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@contextmanager
def serving(app):
    """The base URL of `app` served on a free loopback port while the block runs."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


class Client:
    """Requests with a cookie jar and no automatic redirects."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect())

    def open(self, path: str, data: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            response = self.opener.open(self.base + path, data=body, timeout=30)
        except urllib.error.HTTPError as err:  # 3xx and 4xx arrive here without redirects
            response = err
        with response:
            return response.status, response.headers, response.read().decode()

    def post_form(self, path: str, data: dict, page: str | None = None):
        _status, _headers, html = self.open(page or path)
        token = _CSRF.search(html).group(1)
        return self.open(path, {"csrf_token": token, **data})
