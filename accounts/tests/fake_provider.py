"""A fake identity provider served over HTTP on loopback, for the social sign-in tests.

One WSGI app (wsgiref, a thread per request) plays four providers under path prefixes:

- `/github/...` and `/ghe/...`: GitHub's `login/oauth/access_token`, `user` and `user/emails`
  (`/ghe` is a GitHub Enterprise at `SOCIAL_AUTH_GITHUB_ENTERPRISE_URL={base}/ghe/`, API
  `{base}/ghe/api/v3/`; public GitHub's fixed hosts are routed to `/github` by `route_public_hosts`);
- `/oidc/...`: an OpenID Connect issuer with discovery, JWKS, a token endpoint returning RS256-signed
  ID tokens (issuer, audience, expiry, nonce) and UserInfo;
- `/google/...`: Google's token and UserInfo endpoints (routed from Google's fixed hosts).

A test plays the browser: `authorize(authorization_url, person)` is the provider's consent screen
and returns the `code` and `state` it would send back to the SPA. Codes are single-use. `fault`
makes the token endpoint hang past the client's timeout ("timeout") or answer 503 ("unavailable").
"""

import json
import re
import secrets
import socketserver
import threading
import time
from base64 import b64decode
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENTS = {
    "github": ("github-client", "github-secret"),
    "ghe": ("ghe-client", "ghe-secret"),
    "oidc": ("oidc-client", "oidc-secret"),
    "google": ("google-client", "google-secret"),
}


@dataclass
class Person:
    """Who is signed in at the provider."""

    uid: str
    name: str
    email: str | None
    email_verified: bool = True
    login: str = "octocat"


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class FakeProvider:
    hang_seconds = 2.0

    def __init__(self):
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._jwk = RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True) | {
            "kid": "fake-key-1",
            "alg": "RS256",
            "use": "sig",
        }
        self._server = make_server(
            "127.0.0.1", 0, self._app, server_class=_ThreadingServer, handler_class=_QuietHandler
        )
        self.base = f"http://127.0.0.1:{self._server.server_port}"
        self.reset()

    def start(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def reset(self):
        self.fault = None
        self.id_token_claims = {}
        self.id_token_signer = None  # another private key, to sign ID tokens the JWKS cannot verify
        self.token_requests = 0
        self._codes = {}
        self._access_tokens = {}

    # --- the browser's side ---------------------------------------------------------------------

    def authorize(self, authorization_url: str, person: Person, kind: str) -> dict:
        """The consent screen: remembers who consented and returns the callback's `code`/`state`."""
        query = {name: values[0] for name, values in parse_qs(urlsplit(authorization_url).query).items()}
        assert query["client_id"] == CLIENTS[kind][0]
        code = secrets.token_urlsafe(16)
        self._codes[code] = {
            "kind": kind,
            "person": person,
            "redirect_uri": query["redirect_uri"],
            "nonce": query.get("nonce"),
        }
        return {"code": code, "state": query["state"]}

    # --- the provider's HTTP side ---------------------------------------------------------------

    def _app(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ["PATH_INFO"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
        auth = environ.get("HTTP_AUTHORIZATION", "")
        status, body = self._route(method, path, form, auth)
        payload = json.dumps(body).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
        return [payload]

    def _route(self, method, path, form, auth):
        kind, _, rest = path.lstrip("/").partition("/")
        if method == "POST" and rest in ("login/oauth/access_token", "token"):
            return self._token(kind, form, auth)
        if kind in ("github", "ghe") and rest in ("user", "api/v3/user"):
            return self._github_user(auth)
        if kind in ("github", "ghe") and rest in ("user/emails", "api/v3/user/emails"):
            return self._github_emails(auth)
        if kind == "oidc" and rest == ".well-known/openid-configuration":
            return "200 OK", self._discovery()
        if kind == "oidc" and rest == "jwks":
            return "200 OK", {"keys": [self._jwk]}
        if rest == "userinfo":
            return self._userinfo(auth)
        return "404 Not Found", {"error": "not_found"}

    def _discovery(self):
        issuer = f"{self.base}/oidc"
        return {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "userinfo_endpoint": f"{issuer}/userinfo",
            "jwks_uri": f"{issuer}/jwks",
            "response_types_supported": ["code"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }

    def _token(self, kind, form, auth):
        self.token_requests += 1
        if self.fault == "timeout":
            time.sleep(self.hang_seconds)
        if self.fault == "unavailable":
            return "503 Service Unavailable", {"message": "down for maintenance"}
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if auth.startswith("Basic "):
            client_id, _, client_secret = b64decode(auth[6:]).decode().partition(":")
        if (client_id, client_secret) != CLIENTS[kind]:
            return "401 Unauthorized", {"error": "invalid_client"}
        grant = self._codes.pop(form.get("code", ""), None)
        if grant is None or grant["kind"] != kind or grant["redirect_uri"] != form.get("redirect_uri"):
            if kind in ("github", "ghe"):  # GitHub answers 200 with an error body
                return "200 OK", {"error": "bad_verification_code", "error_description": "The code is wrong."}
            return "400 Bad Request", {"error": "invalid_grant"}
        access_token = secrets.token_urlsafe(16)
        self._access_tokens[access_token] = grant["person"]
        body = {"access_token": access_token, "token_type": "bearer", "scope": "user:email"}
        if kind == "oidc":
            body["id_token"] = self.id_token(grant["person"], nonce=grant["nonce"])
        return "200 OK", body

    def id_token(self, person: Person, *, nonce, audience=CLIENTS["oidc"][0], lifetime=300):
        now = int(time.time())
        claims = {
            "iss": f"{self.base}/oidc",
            "sub": person.uid,
            "aud": audience,
            "iat": now,
            "exp": now + lifetime,
            "nonce": nonce,
            "name": person.name,
            "email": person.email,
            "email_verified": person.email_verified,
        } | self.id_token_claims
        return jwt.encode(
            claims, self.id_token_signer or self._key, algorithm="RS256", headers={"kid": self._jwk["kid"]}
        )

    def _person(self, auth):
        return self._access_tokens.get(auth.partition(" ")[2])

    def _github_user(self, auth):
        person = self._person(auth)
        if person is None:
            return "401 Unauthorized", {"message": "Bad credentials"}
        return "200 OK", {"id": int(person.uid), "login": person.login, "name": person.name, "email": None}

    def _github_emails(self, auth):
        person = self._person(auth)
        if person is None:
            return "401 Unauthorized", {"message": "Bad credentials"}
        if person.email is None:
            return "200 OK", []
        return "200 OK", [
            {"email": person.email, "primary": True, "verified": person.email_verified, "visibility": None}
        ]

    def _userinfo(self, auth):
        person = self._person(auth)
        if person is None:
            return "401 Unauthorized", {"error": "invalid_token"}
        info = {"sub": person.uid, "name": person.name}
        if person.email is not None:
            info |= {"email": person.email, "email_verified": person.email_verified}
        return "200 OK", info


# Public GitHub's and Google's fixed hosts -> the fake provider's prefixes.
PUBLIC_HOSTS = {
    "https://github.com/": "/github/",
    "https://api.github.com/": "/github/",
    "https://accounts.google.com/o/oauth2/": "/google/",
    "https://www.googleapis.com/oauth2/v3/": "/google/",
}


def route_public_hosts(rsps, provider: FakeProvider):
    """Send requests for github.com and Google's hosts to the fake provider over real HTTP.

    `rsps` is a `responses.RequestsMock`; calls to the loopback server itself pass through, with
    the timeout the backend chose, so a hanging provider is a real client timeout.
    """
    rsps.add_passthru(provider.base)

    def forward(request):
        prefix = next(p for p in PUBLIC_HOSTS if request.url.startswith(p))
        url = provider.base + PUBLIC_HOSTS[prefix] + request.url.removeprefix(prefix)
        answer = requests.request(
            request.method,
            url,
            data=request.body,
            headers=dict(request.headers),
            timeout=request.req_kwargs.get("timeout"),
        )
        return answer.status_code, {"Content-Type": "application/json"}, answer.content

    for prefix in PUBLIC_HOSTS:
        for method in ("GET", "POST"):
            rsps.add_callback(method, re.compile(re.escape(prefix) + ".*"), callback=forward)
