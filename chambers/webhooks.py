"""Signing and sending one webhook delivery over HTTP, and the retry schedule.

No database here: chambers.services loads and records; this module only builds the request,
sends it and says what happened.

The body is JSON: {"id": <delivery id>, "type": "event.published", "created_at": ...,
"data": {...}}.
The signature header is `Alliance-Signature: t=<unix time>,v1=<hex>` where the hex is
HMAC-SHA256(endpoint secret, "<t>." + body). The receiver recomputes it (docs/api.md).
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "Alliance-Signature"
DELIVERY_HEADER = "Alliance-Delivery"
EVENT_HEADER = "Alliance-Event"
ATTEMPT_HEADER = "Alliance-Attempt"
USER_AGENT = "Alliantieportaal-Webhooks/1.0"
# What we keep of an answer's body, for the delivery log.
RESPONSE_EXCERPT = 200


def body_of(*, delivery_id: str, event_type: str, created_at, payload: dict) -> bytes:
    """The same bytes for every attempt of a delivery, so a retry is recognisable."""
    message = {
        "id": str(delivery_id),
        "type": event_type,
        "created_at": created_at,
        "data": payload,
    }
    return json.dumps(message, cls=DjangoJSONEncoder, separators=(",", ":")).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str | list[str], body: bytes, timestamp: int | None = None) -> str:
    """`t=<t>,v1=<signature>`, with one v1 per secret (during a rotation's overlap, the new
    secret's first): a receiver accepts the delivery when one of them matches its secret."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    secrets = [secret] if isinstance(secret, str) else secret
    return f"t={timestamp}," + ",".join(f"v1={signature(s, timestamp, body)}" for s in secrets)


class Refused(Exception):
    """The address may not be called: not https, not resolvable, or not public."""


def public_address(address: str) -> bool:
    """True for an address on the public internet, and only then.

    Python's `is_global` alone lets through multicast, the reserved ranges (so the NAT64
    prefix 64:ff9b::/96, which reaches any IPv4 address through a translator) and the 6to4
    range 2002::/16, which embeds an IPv4 address; an embedded address is judged itself.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is not None and not public_address(str(embedded)):
            return False
        if ip in _NAT64 or ip.teredo:
            return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


_NAT64 = [ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48")]


def resolve(url: str) -> tuple[str, str, int, str, str]:
    """(scheme, host, port, address, path) for a URL we may call, resolved once.

    The connection goes to `address` itself, so a name that resolves to a public address when
    checked and to 127.0.0.1 a moment later (DNS rebinding) cannot redirect it. Only https and
    public addresses, unless WEBHOOK_ALLOW_PRIVATE_ADDRESSES (development and tests; off in
    production) allows http and any address.
    """
    allow_private = settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise Refused from error
    if not parts.hostname or parts.scheme not in ("https", "http"):
        raise Refused
    if parts.scheme != "https" and not allow_private:
        raise Refused
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Refused from error
    addresses = [info[4][0] for info in infos]
    if not addresses or not (allow_private or all(map(public_address, addresses))):
        raise Refused
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.scheme, parts.hostname, port, addresses[0], path


def address_allowed(url: str) -> bool:
    """Whether `url` may be called now (resolve() without the result)."""
    try:
        resolve(url)
    except Refused:
        return False
    return True


@dataclass(frozen=True)
class Result:
    """What one attempt got: a status code, or an error when no answer came."""

    status_code: int | None
    error: str = ""
    # The address may not be called: waiting will not mend it.
    refused: bool = False

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        return self.status_code == 410


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address resolved before, not to whatever the name resolves to now."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS; the certificate is still checked against the host's name."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def refused_text() -> str:
    return gettext("Dit adres is niet publiek bereikbaar.")


def send(*, url: str, body: bytes, headers: dict, timeout: float) -> Result:
    """POST once. A redirect is an answer (3xx, retried), never followed: it could point anywhere.

    A failed connection says only that it failed: whether the port was closed, filtered or
    answered in a foreign protocol is logged here, never shown to the partner.
    """
    try:
        scheme, host, port, address, path = resolve(url)
    except Refused:
        return Result(status_code=None, error=refused_text(), refused=True)
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address=address, timeout=timeout)
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
        )
        response = connection.getresponse()
        excerpt = response.read(RESPONSE_EXCERPT)
    except (http.client.HTTPException, OSError, ValueError) as error:
        logger.info("Webhook to %s (%s) failed: %r", host, address, error)
        return Result(status_code=None, error=gettext("Het adres gaf geen antwoord."))
    finally:
        connection.close()
    if 200 <= response.status < 300:
        return Result(status_code=response.status)
    return Result(status_code=response.status, error=excerpt.decode("utf-8", "replace"))


def retry_delay(attempts_made: int) -> float | None:
    """Seconds to wait before the next attempt, or None when the retry window is used up.

    Exponential back-off: 1, 2, 4 ... minutes, at most 6 hours between attempts, for 3 days
    (the WEBHOOK_RETRY_* settings): 20 attempts in all, the last about 68 hours after the first.
    """
    base = settings.WEBHOOK_RETRY_BACKOFF_SECONDS
    cap = settings.WEBHOOK_RETRY_BACKOFF_MAX_SECONDS
    window = settings.WEBHOOK_RETRY_WINDOW_SECONDS
    delays = [min(base * 2**n, cap) for n in range(attempts_made)]
    if sum(delays) > window:
        return None
    return delays[-1] if delays else 0.0
