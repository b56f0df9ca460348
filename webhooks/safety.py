"""Where a webhook may go: https to public addresses only, checked after DNS, at registration and
again at every delivery (the delivery connects to the address checked here, so a DNS answer that
changes between the check and the connection cannot swap in another one).

WEBHOOK_ALLOW_PRIVATE (tests, on-premise receivers) lifts the address check and allows http://.
"""

import ipaddress
import socket
from typing import NamedTuple
from urllib.parse import urlsplit

from django.conf import settings


class UnsafeTarget(Exception):
    """The URL may not receive webhooks; the message says why, for the API's 400 and the attempt log."""


class Target(NamedTuple):
    scheme: str
    host: str
    port: int
    path: str
    address: str
    """The checked IP address to connect to."""


def resolve(host: str, port: int) -> list[str]:
    """The host's addresses, as the system resolver gives them (tests patch this, not the network)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeTarget(f"The host {host} could not be resolved.") from error
    return list(dict.fromkeys(info[4][0] for info in infos))


def public_address(text: str) -> bool:
    """Globally routable unicast: not private, loopback, link-local, multicast, reserved or unspecified.

    An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is judged as the IPv4 address it carries.
    """
    address = ipaddress.ip_address(text.split("%")[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_multicast
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
    )


def url_problem(url: str) -> str | None:
    """Why `url` cannot be an endpoint's URL without looking up its host (None if its form is fine)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return "Enter a valid URL."
    allowed = ("https", "http") if settings.WEBHOOK_ALLOW_PRIVATE else ("https",)
    if parts.scheme not in allowed:
        return "The URL must use https."
    if not parts.hostname:
        return "The URL needs a host."
    if parts.username or parts.password:
        return "The URL may not carry a user name or password; check the signature instead."
    return None


def target_for(url: str) -> Target:
    """The URL's parts and the one address to connect to; UnsafeTarget if it is not allowed.

    Every address the name resolves to must be public: a name that also resolves to a private
    address is refused, since which one a client would pick is up to chance.
    """
    problem = url_problem(url)
    if problem:
        raise UnsafeTarget(problem)
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname
    addresses = resolve(host, port)
    if not addresses:
        raise UnsafeTarget(f"The host {host} could not be resolved.")
    if not settings.WEBHOOK_ALLOW_PRIVATE:
        refused = [address for address in addresses if not public_address(address)]
        if refused:
            raise UnsafeTarget(f"The host {host} resolves to a non-public address ({refused[0]}).")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(parts.scheme, host, port, path, addresses[0])
