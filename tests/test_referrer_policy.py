"""A page whose address carries a bearer secret (an employer's agreement or sign-in link,
a password-reset or e-mail verification link, a calendar feed, an invitation code from the
QR code, the federal login's code) answers with `Referrer-Policy: no-referrer`, whatever
its status: the next page, image or site it leads to never learns the secret. Other pages
keep `same-origin`."""

from __future__ import annotations

import pytest

from portal.accesslog import SECRET_QUERY, redact

SECRET = "s3cretvalue"
PATH_SECRETS = ("token", "secret")
# Pages that read a secret from the query string (not visible in the rule): the parameter
# and one value for each other parameter the page expects with it.
QUERY_SECRETS = {
    "invitations.start": {"code": SECRET},
    "federated.callback": {"code": SECRET, "state": SECRET},
}


def _view(app, endpoint):
    return app.view_functions[endpoint]


def _secret_rules(app):
    for rule in app.url_map.iter_rules():
        if any(a in PATH_SECRETS for a in rule.arguments) or rule.endpoint in QUERY_SECRETS:
            yield rule


def _url(rule) -> str:
    path = rule.build({a: SECRET if a in PATH_SECRETS else 1 for a in rule.arguments})[1]
    query = QUERY_SECRETS.get(rule.endpoint)
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


def test_every_route_with_a_secret_in_its_address_is_marked(app):
    rules = list(_secret_rules(app))
    endpoints = {r.endpoint for r in rules}
    assert {
        "accounts.verify_email",
        "accounts.reset_with_token",
        "reserve.feed_ics",
        "employers_hr.open_link",
        "employers_hr.sign_in_with_link",
        "invitations.start",
        "federated.callback",
    } <= endpoints
    for rule in rules:
        assert getattr(_view(app, rule.endpoint), "secret_in_url", None) is not None, rule.rule
    # And nothing else is marked: the list above is the whole list.
    marked = {e for e, v in app.view_functions.items() if hasattr(v, "secret_in_url")}
    assert marked == endpoints


def test_every_response_of_a_route_with_a_secret_sends_no_referrer(app, client):
    checked = 0
    for rule in _secret_rules(app):
        url = _url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code < 500, (method, url)
            assert response.headers["Referrer-Policy"] == "no-referrer", (
                method,
                url,
                response.status_code,
            )
            checked += 1
    assert checked >= 9


def test_pages_without_a_secret_keep_same_origin(client):
    for url in ("/", "/login", "/employer/sign-in", "/forgot-password", "/start"):
        assert client.get(url).headers["Referrer-Policy"] == "same-origin", url


@pytest.mark.parametrize("endpoint", sorted(QUERY_SECRETS))
def test_the_access_log_redacts_every_query_secret(app, endpoint):
    for name in QUERY_SECRETS[endpoint]:
        assert name in SECRET_QUERY
    [rule] = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    line = f'"GET {_url(rule)} HTTP/1.1" 200'
    assert SECRET not in redact(line)


def test_the_access_log_redacts_every_marked_route(app):
    for rule in _secret_rules(app):
        line = f'"GET {_url(rule)} HTTP/1.1" 302 - "https://portal.test{_url(rule)}"'
        assert SECRET not in redact(line), rule.rule
