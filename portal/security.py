"""Roles, the one view guard, session handling and security headers."""
from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from io import BytesIO
from urllib.parse import urlsplit

from flask import abort, current_app, request, send_file, session
from flask_login import current_user
from flask_login import login_required as _login_required

from portal.extensions import login_manager


class Role(StrEnum):
    CITIZEN = "citizen"
    RECRUITER = "recruiter"
    ADMIN = "admin"
    EMPLOYER = "employer"
    UNIT_STAFF = "unit_staff"  # plans a unit's training periods, records attendance
    # The only staff who read health answers and record the medical test.
    MEDICAL_STAFF = "medical_staff"
    # The only staff who record the outcome of the security screening (vetting).
    SECURITY_OFFICER = "security_officer"


STAFF = (Role.RECRUITER, Role.ADMIN)

# Endpoints anyone may open. Every other endpoint must be guarded by
# role_required or login_required; tests/test_access.py enforces this.
PUBLIC_ENDPOINTS: set[str] = {"static"}


def public(view: Callable) -> Callable:
    """Mark a view as deliberately open to anonymous visitors."""
    view.is_public = True
    return view


def secret_in_url(*query: str) -> Callable:
    """Mark a view whose address carries a bearer secret: in its path (an argument named
    `token` or `secret`) or in the named query parameters (when they are there). Its
    responses, whatever their status, say `Referrer-Policy: no-referrer`, so no next
    page, image or site learns the secret; portal.accesslog redacts the same addresses
    (tests/test_referrer_policy.py walks the routes)."""

    def mark(view: Callable) -> Callable:
        view.secret_in_url = tuple(query)
        return view

    return mark


def _secret_in_url() -> bool:
    query = getattr(current_app.view_functions.get(request.endpoint or ""), "secret_in_url", None)
    return query is not None and (not query or any(q in request.args for q in query))


def role_required(*roles: Role | str) -> Callable:
    """Only signed-in users with one of these roles; others get 403, anonymous users login."""
    allowed = {Role(r) for r in roles}

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if Role(current_user.role) not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = allowed
        return wrapped

    return decorator


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this site; anything else (another host, a scheme) goes home."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    # Browsers read a backslash as a slash ("/\\evil.example" goes to another host), and
    # control characters can hide either.
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return default
    return target


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "object-src 'none'"
)


def private_file(body: bytes, mimetype: str, name: str, *, attachment: bool = False,
                 etag: bool | str = True):
    """A file for whoever may read it (a letter, a statement, an upload): no browser or proxy
    keeps a copy. Shown in the browser unless `attachment`."""
    response = send_file(BytesIO(body), mimetype=mimetype, as_attachment=attachment,
                         download_name=name, etag=etag, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def register(app) -> None:
    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if _secret_in_url():
            response.headers["Referrer-Policy"] = "no-referrer"
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        if current_app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        # A page drawn from the session (a signed-in user, or what an anonymous visitor
        # typed: a register extract's name, an e-mail address) is nobody else's to keep.
        if request.endpoint != "static" and (
                session.accessed or (current_user and current_user.is_authenticated)):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def login_required(view: Callable) -> Callable:
    """Any signed-in user. Prefer role_required where the role is known."""
    wrapped = _login_required(view)
    wrapped.login_only = True
    return wrapped
