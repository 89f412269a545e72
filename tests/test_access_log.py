"""Bearer secrets in URLs (e-mail verification and password-reset links, employer agreement
and sign-in links, calendar feeds, invitation codes, the federal login's code and state)
never reach the access log: the real gunicorn, started as the README starts it, on
loopback with its access log in a file; and Werkzeug's development server."""
from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from werkzeug.serving import make_server

from tests.conftest import TEST_HEALTH_KEY, TEST_OUTBOX_KEY, TEST_TOTP_KEY
from tests.support.own_services import free_port

ROOT = Path(__file__).resolve().parent.parent


def _secret_urls() -> dict[str, str]:
    """path -> the secret it carries."""
    urls = {}
    for template in ("/verify-email/{}", "/reset-password/{}", "/employer/link/{}",
                     "/employer/sign-in/{}", "/reserve/feed/{}.ics", "/start?code={}",
                     "/login/fas/callback?code={}&state=x"):
        secret = secrets.token_urlsafe(24)
        urls[template.format(secret)] = secret
    return urls


def _get(url: str, referer: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Referer": referer} if referer else {})  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - loopback
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def test_gunicorn_writes_no_bearer_secret_to_its_access_log(app, database_url, tmp_path):
    port = free_port()
    log = tmp_path / "access.log"
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "MAIL_URL")}
    env.update(PORTAL_ENV="testing", SECRET_KEY="test-secret", DATABASE_URL=database_url,
               HEALTH_DATA_KEYS=TEST_HEALTH_KEY, TOTP_KEYS=TEST_TOTP_KEY,
               OUTBOX_KEYS=TEST_OUTBOX_KEY,
               INSTANCE_PATH=str(tmp_path / "instance"), MAIL_DIR=str(tmp_path / "mail"))
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "1", "--bind",
         f"127.0.0.1:{port}", "--access-logfile", str(log), "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while _get_quietly(f"http://127.0.0.1:{port}/healthz") is None:
            assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)
        urls = _secret_urls()
        for path in urls:
            status = _get(f"http://127.0.0.1:{port}{path}",
                          referer=f"http://127.0.0.1:{port}{path}")
            assert status < 500, (path, status)
        time.sleep(0.5)  # the access log is written after the response
    finally:
        server.terminate()
        server.wait(30)
    text = log.read_text()
    for path, secret in urls.items():
        assert secret not in text, path
    assert text.count("[redacted]") >= 2 * len(urls)
    assert "GET /reserve/feed/[redacted].ics HTTP/1.1" in text
    assert "GET /login/fas/callback?code=[redacted]&state=[redacted] HTTP/1.1" in text


def _get_quietly(url: str) -> int | None:
    try:
        return _get(url)
    except OSError:
        return None


def test_the_development_server_writes_no_bearer_secret_to_its_log(app, caplog):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        urls = _secret_urls()
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            for path in urls:
                assert _get(f"http://127.0.0.1:{server.server_port}{path}") < 500
    finally:
        server.shutdown()
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "werkzeug")
    assert "/verify-email/[redacted]" in logged
    for path, secret in urls.items():
        assert secret not in logged, path


def test_every_route_with_a_token_or_secret_is_redacted(app):
    from portal.accesslog import redact

    for rule in app.url_map.iter_rules():
        named = [a for a in rule.arguments if a in ("token", "secret")]
        if not named:
            continue
        path = rule.build({a: "s3cretvalue" if a in named else 1 for a in rule.arguments})[1]
        assert "s3cretvalue" not in redact(path), rule.rule
