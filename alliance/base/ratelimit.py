"""A small per-address limit for public writes that need no account (a prospect's registration)
or that ask people to act (a join request): counted in the cache, per visitor address
(REMOTE_ADDR, which alliance.security.ClientAddressMiddleware sets behind trusted proxies).

A fixed window: at most `limit` hits per address in each `window` seconds.
"""

import time

from django.core.cache import cache


def allow(request, action: str, *, limit: int, window: int = 3600) -> bool:
    """Count one hit of `action` for the visitor; False once they went over `limit`."""
    address = request.META.get("REMOTE_ADDR", "")
    key = f"ratelimit:{action}:{address}:{int(time.time() // window)}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count <= limit
