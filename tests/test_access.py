"""Every route is either declared public or guarded; anonymous visitors meet the guard."""
from __future__ import annotations

import re

from portal.security import PUBLIC_ENDPOINTS


def _view(app, endpoint):
    return app.view_functions[endpoint]


def _is_guarded(view) -> bool:
    # portal.security.role_required and login_required mark the views they guard.
    return bool(getattr(view, "required_roles", None)) or getattr(view, "login_only", False)


def test_every_endpoint_is_public_by_declaration_or_guarded(app):
    unguarded = []
    for endpoint, view in app.view_functions.items():
        if endpoint in PUBLIC_ENDPOINTS or getattr(view, "is_public", False):
            continue
        if not _is_guarded(view):
            unguarded.append(endpoint)
    assert unguarded == [], f"endpoints neither public nor guarded: {unguarded}"


def test_guarded_pages_send_anonymous_visitors_to_login_or_refuse(app, client):
    for rule in app.url_map.iter_rules():
        view = _view(app, rule.endpoint)
        if rule.endpoint in PUBLIC_ENDPOINTS or getattr(view, "is_public", False):
            continue
        url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", "1", rule.rule)
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        assert response.status_code in (302, 400, 401, 403, 404), (rule.rule, response.status_code)
        if response.status_code == 302:
            assert "/login" in response.headers["Location"], rule.rule


ROLES = ("citizen", "recruiter", "admin", "employer", "unit_staff")


def _role_pages(app):
    """GET pages without URL parameters that are guarded by role_required."""
    for rule in app.url_map.iter_rules():
        view = _view(app, rule.endpoint)
        if "GET" in rule.methods and not rule.arguments and getattr(view, "required_roles", None):
            yield rule.rule, {str(r) for r in view.required_roles}


def test_each_role_opens_exactly_the_pages_meant_for_it(app, client, login_as):
    """The role matrix: every role-guarded page, as every role."""
    from tests.support import factories

    users = {role: factories.user(role=role) for role in ROLES}
    from portal.extensions import db

    db.session.commit()
    wrong = []
    pages = list(_role_pages(app))
    assert pages, "no role-guarded pages found"
    for role in ROLES:
        login_as(users[role])
        for url, allowed in pages:
            status = client.get(url).status_code
            expected_ok = role in allowed
            if expected_ok and status not in (200, 302):
                wrong.append((role, url, status, "should open"))
            if not expected_ok and status != 403:
                wrong.append((role, url, status, "should be refused"))
    assert wrong == []
