"""A small OpenID provider for tests, served on loopback: discovery, authorisation with
PKCE, a token endpoint that signs ID tokens (RS256, joserfc), and its JWKS.

`tamper` makes it misbehave the way a forged or replayed answer would.
"""
from __future__ import annotations

import base64
import hashlib
import secrets
import time
from urllib.parse import urlencode

from flask import Flask, abort, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey


class Provider:
    client_id = "portal-test"
    client_secret = "portal-test-secret"

    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "op-key"})
        self.rogue = RSAKey.generate_key(2048, parameters={"kid": "op-key"})
        self.url = ""
        self.claims: dict = {}  # the identity of whoever "logs in" next
        # Where those claims come: in the ID token, or (as a standard provider returns
        # profile and custom-scope claims) only from the UserInfo endpoint.
        self.claims_in = "id_token"
        self.access_tokens: set[str] = set()
        self.acr = "urn:be:fedict:iam:fas:Level500"
        self.tamper: str | None = None
        self.requests: list[dict] = []  # authorisation requests as received
        self.codes: dict[str, dict] = {}
        self.nonces: list[str] = []
        self.app = self._app()

    def _app(self) -> Flask:
        app = Flask("test-provider")

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify({
                "issuer": self.url,
                "authorization_endpoint": self.url + "/authorize",
                "token_endpoint": self.url + "/token",
                "jwks_uri": self.url + "/jwks",
                "userinfo_endpoint": self.url + "/userinfo",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            })

        @app.get("/jwks")
        def jwks():
            return jsonify(KeySet([self.key]).as_dict(private=False))

        @app.get("/authorize")
        def authorize():
            args = request.args.to_dict()
            self.requests.append(args)
            if (args.get("response_type") != "code" or args.get("client_id") != self.client_id
                    or args.get("code_challenge_method") != "S256"
                    or "openid" not in args.get("scope", "").split()):
                abort(400)
            code = secrets.token_urlsafe(16)
            self.codes[code] = args
            self.nonces.append(args.get("nonce", ""))
            return redirect(args["redirect_uri"] + "?" + urlencode(
                {"code": code, "state": args.get("state", "")}))

        @app.post("/token")
        def token():
            auth = request.authorization
            if auth is None or (auth.username, auth.password) != (self.client_id,
                                                                   self.client_secret):
                return jsonify(error="invalid_client"), 401
            grant = self.codes.pop(request.form.get("code", ""), None)
            if grant is None or request.form.get("redirect_uri") != grant["redirect_uri"]:
                return jsonify(error="invalid_grant"), 400
            verifier = request.form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(
                hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if challenge != grant.get("code_challenge"):
                return jsonify(error="invalid_grant", error_description="PKCE"), 400
            access_token = secrets.token_urlsafe(16)
            self.access_tokens.add(access_token)
            return jsonify(access_token=access_token, token_type="Bearer",
                           expires_in=300, id_token=self._id_token(grant))

        @app.get("/userinfo")
        def userinfo():
            header = request.headers.get("Authorization", "")
            if not header.startswith("Bearer ") or header[7:] not in self.access_tokens:
                return jsonify(error="invalid_token"), 401
            subject = "someone-else" if self.tamper == "userinfo_subject" else "fas-subject-1"
            return jsonify({"sub": subject, **self.claims})

        return app

    def _id_token(self, grant: dict) -> str:
        now = int(time.time())
        claims = {
            "iss": self.url, "sub": "fas-subject-1", "aud": self.client_id,
            "iat": now, "exp": now + 300, "nonce": grant.get("nonce"), "acr": self.acr,
            **(self.claims if self.claims_in == "id_token" else {}),
        }
        key = self.key
        if self.tamper == "signature":
            key = self.rogue  # same key id, another key: the signature does not verify
        elif self.tamper == "audience":
            claims["aud"] = "another-client"
        elif self.tamper == "issuer":
            claims["iss"] = "https://idp.example.invalid"
        elif self.tamper == "expired":
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        elif self.tamper == "nonce" and len(self.nonces) > 1:
            claims["nonce"] = self.nonces[-2]  # a token from an earlier login, replayed
        elif self.tamper == "acr":
            claims["acr"] = "urn:be:fedict:iam:fas:Level100"
        return jwt.encode({"alg": "RS256", "kid": "op-key"}, claims, key)
