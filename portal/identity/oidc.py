"""The OpenID Connect client of the federal authentication service, built with Authlib.

Authorisation code flow with PKCE (S256), state and nonce. The ID token's signature (keys
from the provider's JWKS), issuer, audience, expiry, nonce and level of assurance (acr)
are checked; anything else is refused. Everything comes from configuration: with no
issuer, client id and secret, the federal login is off and its button is not shown.
"""
from __future__ import annotations

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import current_app
from joserfc.errors import JoseError
from requests import RequestException

# One Authlib registry per configuration (tests point the app at providers of their own).
_clients: dict[tuple, object] = {}


class LoginRefused(Exception):
    """The provider's answer cannot be trusted or was a refusal; logged, never detailed."""


def enabled(app=None) -> bool:
    config = (app or current_app).config
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID")
                and config.get("OIDC_CLIENT_SECRET"))


def accepted_levels() -> list[str]:
    return current_app.config["OIDC_ACR_VALUES"].split()


def client():
    config = current_app.config
    key = (config["OIDC_ISSUER"], config["OIDC_CLIENT_ID"], config["OIDC_CLIENT_SECRET"],
           config["OIDC_SCOPES"], config.get("OIDC_METADATA_URL"))
    if key not in _clients:
        oauth = OAuth(current_app._get_current_object())
        issuer = config["OIDC_ISSUER"].rstrip("/")
        _clients[key] = oauth.register(
            "fas",
            client_id=config["OIDC_CLIENT_ID"],
            client_secret=config["OIDC_CLIENT_SECRET"],
            server_metadata_url=config.get("OIDC_METADATA_URL")
            or f"{issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": config["OIDC_SCOPES"], "code_challenge_method": "S256",
                           "timeout": 10},
        )
    return _clients[key]


def authorize_redirect(redirect_uri: str):
    """The redirect to the provider; state, nonce and the PKCE verifier stay in the session."""
    return client().authorize_redirect(redirect_uri, acr_values=" ".join(accepted_levels()))


def finish() -> dict:
    """The verified ID-token claims of the login the provider sent back. Raises LoginRefused."""
    fas = client()
    issuer = fas.load_server_metadata().get("issuer") or current_app.config["OIDC_ISSUER"]
    try:
        token = fas.authorize_access_token(
            claims_options={"iss": {"essential": True, "values": [issuer]},
                            "acr": {"essential": True, "values": accepted_levels()}},
            leeway=current_app.config["OIDC_LEEWAY_SECONDS"])
    except (AuthlibBaseError, JoseError, RequestException, KeyError, TypeError,
            ValueError) as exc:
        raise LoginRefused(type(exc).__name__) from exc
    claims = token.get("userinfo")
    if not claims or not claims.get("sub"):
        raise LoginRefused("no ID token")  # an access token alone proves nobody
    claims = dict(claims)
    if not all(claims.get(name) for name in _wanted()):
        claims = _with_userinfo(fas, token, claims)
    return claims


def _wanted() -> tuple[str, ...]:
    """The claims the portal reads: the national register number and the names."""
    return (current_app.config["OIDC_NN_CLAIM"], "given_name", "family_name")


def _with_userinfo(fas, token: dict, claims: dict) -> dict:
    """A standard provider returns profile and custom-scope claims from its UserInfo
    endpoint, not in the ID token: fetch them with the access token. They must describe the
    ID token's subject; the ID token's own claims win."""
    if not fas.load_server_metadata().get("userinfo_endpoint"):
        return claims
    try:
        info = dict(fas.userinfo(token=token))
    except (AuthlibBaseError, RequestException, KeyError, TypeError, ValueError) as exc:
        raise LoginRefused(f"userinfo: {type(exc).__name__}") from exc
    if str(info.get("sub", "")) != str(claims["sub"]):
        raise LoginRefused("userinfo names another subject")
    return {**{k: v for k, v in info.items() if k in _wanted()}, **{
        k: v for k, v in claims.items() if v not in (None, "")}}
