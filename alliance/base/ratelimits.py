"""Rate limits on the portal's own forms (asking to join a company, asking a centre), counted
like allauth's on log-in, sign-up and password reset: the same ACCOUNT_RATE_LIMITS setting,
the same cache, per user and per address (REMOTE_ADDR, the visitor's behind trusted proxies),
the same 429 page (templates/429.html, in the user's language)."""

import logging

from allauth.core import ratelimit
from django.http import HttpResponse

security_log = logging.getLogger("alliance.security")


def consume_or_429(request, action: str) -> HttpResponse | None:
    """Counts one attempt at `action` (a key of ACCOUNT_RATE_LIMITS); over the limit, the 429
    page to answer with, and a security event."""
    user = request.user if request.user.is_authenticated else None
    if ratelimit.consume(request, action=action, user=user):
        return None
    security_log.warning(
        "rate_limited action=%s user=%s address=%s",
        action,
        user.pk if user is not None else None,
        request.META.get("REMOTE_ADDR"),
    )
    return ratelimit.respond_429(request)
