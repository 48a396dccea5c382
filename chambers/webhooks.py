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
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

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


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def address_allowed(url: str) -> bool:
    """Only public addresses, so that a partner cannot make us call our own network.

    Development and tests may allow private ones (WEBHOOK_ALLOW_PRIVATE_ADDRESSES).
    """
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return True
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return False
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return False
    return all(ipaddress.ip_address(info[4][0]).is_global for info in infos)


@dataclass(frozen=True)
class Result:
    """What one attempt got: a status code, or an error when no answer came."""

    status_code: int | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        return self.status_code == 410


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer (3xx, retried), never followed: it could point anywhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def send(*, url: str, body: bytes, headers: dict, timeout: float) -> Result:
    request = urllib.request.Request(url, data=body, method="POST")
    for name, value in {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **headers,
    }.items():
        request.add_header(name, value)
    try:
        with _opener.open(request, timeout=timeout) as response:
            response.read(RESPONSE_EXCERPT)
            return Result(status_code=response.status)
    except urllib.error.HTTPError as error:
        excerpt = error.read(RESPONSE_EXCERPT).decode("utf-8", "replace")
        return Result(status_code=error.code, error=excerpt)
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        return Result(status_code=None, error=str(getattr(error, "reason", error))[:500])


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
