"""Rates per key (and per portal user), published in RateLimit headers on every answer.

The rates are REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], read at each request (so that a test or
an operator can change them), counted in the cache (Redis in production: shared by every
process). Over the limit: 429 with Retry-After.
"""

import math

from rest_framework import throttling
from rest_framework.settings import api_settings

from alliance.base.api.authentication import api_key_of


class _PublishedRateThrottle(throttling.SimpleRateThrottle):
    """Keeps what it counted on the request, for the RateLimit headers."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def __init__(self):
        # DRF reads the rate once per instance; ours are made per request, so this is current.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def allow_request(self, request, view):
        allowed = super().allow_request(request, view)
        if self.rate is not None and self.key is not None:
            history = self.history
            remaining = max(self.num_requests - len(history), 0)
            oldest = history[-1] if history else self.now
            reset = max(math.ceil(self.duration - (self.now - oldest)), 0)
            request._request.rate_limit = {
                "limit": self.num_requests,
                "remaining": remaining,
                "reset": reset,
                "window": self.duration,
            }
        return allowed


class KeyRateThrottle(_PublishedRateThrottle):
    """Each partner key has its own budget."""

    scope = "api_key"

    def get_cache_key(self, request, view):
        key = api_key_of(request)
        if key is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": key.prefix}


class SessionRateThrottle(_PublishedRateThrottle):
    """The portal's logged-in users, per user."""

    scope = "api_session"

    def get_cache_key(self, request, view):
        if api_key_of(request) is not None or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


def rate_limit_headers(rate_limit: dict) -> dict:
    """RateLimit-Limit / -Remaining / -Reset (IETF httpapi draft) and the policy behind them."""
    return {
        "RateLimit-Limit": str(rate_limit["limit"]),
        "RateLimit-Remaining": str(rate_limit["remaining"]),
        "RateLimit-Reset": str(rate_limit["reset"]),
        "RateLimit-Policy": f"{rate_limit['limit']};w={rate_limit['window']}",
    }
