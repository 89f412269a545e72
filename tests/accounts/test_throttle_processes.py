"""With REDIS_URL, two portal processes share one login throttle (memory:// would not)."""
from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from redis import Redis

from portal.extensions import db
from tests.support import factories
from tests.support.own_services import free_port

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


class _Portal:
    """A real `flask run` process on its own port, with a browser-like cookie jar."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log = env, log
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            _NoRedirect())
        self._start()

    def _start(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        with self.log.open("ab") as fh:  # the process keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "portal", "run", "--no-reload",
                 "--port", str(self.port)],
                cwd=ROOT, env=self.env, stdout=fh, stderr=subprocess.STDOUT)

    def wait(self) -> None:
        """Until the process answers; one that ended (its port taken meanwhile by another
        process) is started again once on another port."""
        restarted = False
        deadline = time.monotonic() + 90  # a busy machine
        while time.monotonic() < deadline:
            if self.process.poll() is not None and not restarted:
                restarted = True
                self._start()
            try:
                self.opener.open(self.url + "/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the portal process did not start:\n"
                           + self.log.read_text(errors="replace")[-3000:])

    def login(self, email: str, password: str) -> int:
        html = self.opener.open(self.url + "/login").read().decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, "email": email,
                                       "password": password}).encode()
        try:
            return self.opener.open(self.url + "/login", data=data).status
        except urllib.error.HTTPError as err:
            return err.code

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def two_portals(database_url, tmp_path):
    prefix = f"test-{secrets.token_hex(6)}"
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL,
           "RATELIMIT_KEY_PREFIX": prefix, "SECRET_KEY": "test-secret",
           "MAIL_DIR": str(tmp_path / "mail"), "PORTAL_ENV": "testing"}
    portals = [_Portal(env, tmp_path / f"portal-{n}.log") for n in range(2)]
    for portal in portals:
        portal.key_prefix = prefix
    try:
        for portal in portals:
            portal.wait()
        yield portals
    finally:
        for portal in portals:
            portal.stop()
        redis = Redis.from_url(REDIS_URL)
        keys = list(redis.scan_iter(f"*{prefix}*"))
        if keys:
            redis.delete(*keys)


def test_failed_logins_on_two_processes_add_up_in_redis(app, two_portals):
    user = factories.user()
    db.session.commit()
    first, second = two_portals
    statuses = [portal.login(user.email, "wrong password here") for portal in
                (first, second, first, second, first)]
    assert statuses == [200] * 5
    # Each process saw fewer than five failures; together they reached the limit.
    assert second.login(user.email, factories.PASSWORD) == 429
    assert first.login(user.email, factories.PASSWORD) == 429
    assert list(Redis.from_url(REDIS_URL).scan_iter(f"*{first.key_prefix}*accounts-account*"))
