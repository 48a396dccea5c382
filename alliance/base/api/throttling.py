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
    """A counter per key and fixed window (one cache increment per request), kept on the
    request for the RateLimit headers.

    DRF's own throttle keeps the time of every request of the window in one cache entry, read
    and written whole by every request: at a partner's hundreds of requests a second that list
    costs more than the answer (make bench). A fixed window may let up to twice the rate through
    across a window's edge, which is what the published policy (`w=60`) allows for.
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def __init__(self):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.reset = 0

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window_start = int(self.now // self.duration) * self.duration
        bucket = f"{self.key}:{window_start}"
        self.cache.add(bucket, 0, self.duration + 1)
        try:
            count = self.cache.incr(bucket)
        except ValueError:  # the window's entry expired between add and incr
            self.cache.set(bucket, 1, self.duration + 1)
            count = 1
        self.reset = max(math.ceil(window_start + self.duration - self.now), 1)
        request._request.rate_limit = {
            "limit": self.num_requests,
            "remaining": max(self.num_requests - count, 0),
            "reset": self.reset,
            "window": self.duration,
        }
        return count <= self.num_requests

    def wait(self):
        return self.reset


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
