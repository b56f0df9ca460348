"""One signed HTTP POST to a checked address (Standard Webhooks: standardwebhooks.com).

Headers: `webhook-id`, `webhook-timestamp` (Unix seconds, the moment of signing) and
`webhook-signature`, `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` under each valid secret,
space-separated. Redirects are not followed (a 3xx is a failed attempt). The whole attempt has one
deadline (WEBHOOK_TIMEOUT_SECONDS); at most 64 KB of the answer is read and 1 KB kept.
"""

import base64
import hashlib
import hmac
import http.client
import socket
import ssl
import time
from typing import NamedTuple

from django.conf import settings

from webhooks.safety import Target

SECRET_PREFIX = "whsec_"
READ_LIMIT = 64 * 1024
KEEP_LIMIT = 1024


def signature(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """`v1,<base64 HMAC-SHA256>` of `id.timestamp.body` with a `whsec_` secret (base64 after the prefix)."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signed_headers(secrets: list[str], webhook_id: str, body: bytes, timestamp: int | None = None) -> dict:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signature(secret, webhook_id, timestamp, body) for secret in secrets),
        "Content-Type": "application/json",
        "User-Agent": f"{settings.SITE_NAME.replace(' ', '')}-Webhooks/1.0 (+{settings.FRONTEND_URL})",
    }


class Outcome(NamedTuple):
    status_code: int | None
    error: str
    response_body: str
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address while the Host header keeps the URL's name."""

    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As above, with TLS verified against the URL's name (SNI and certificate), not the address."""

    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self.address = target.address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(target: Target, headers: dict, body: bytes) -> Outcome:
    """POST `body` to `target` within WEBHOOK_TIMEOUT_SECONDS; never raises for network trouble."""
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    started = time.monotonic()
    deadline = started + timeout
    kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = kind(target, timeout)
    status_code, error, kept = None, "", b""
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        sock = connection.sock  # http.client drops its reference once the response owns the socket
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        response = connection.getresponse()
        status_code = response.status
        read = b""
        while len(read) < READ_LIMIT:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            sock.settimeout(remaining)
            chunk = response.read1(READ_LIMIT - len(read))
            if not chunk:
                break
            read += chunk
        kept = read[:KEEP_LIMIT]
    except TimeoutError:
        error = f"Timed out after {timeout:g} s."
    except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    finally:
        connection.close()
    duration_ms = int((time.monotonic() - started) * 1000)
    return Outcome(status_code, error, kept.decode("utf-8", errors="replace"), duration_ms)
