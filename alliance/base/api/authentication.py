"""Who is calling: a partner with a key (`Authorization: Api-Key <prefix>.<secret>`) or the
portal's own logged-in user with their session (for the htmx calls the pages make)."""

import datetime
import logging
import re

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from alliance.base import audit

KEYWORD = "Api-Key"
# Keys are made of letters and digits: anything else is refused before any query.
_KEY = re.compile(r"^([A-Za-z0-9]{1,8})\.([A-Za-z0-9]{1,64})$")
# last_used_at is written at most this often per key, not on every call.
LAST_USED_RESOLUTION_SECONDS = 60
# Wrong keys are counted per address (REMOTE_ADDR, the visitor's behind trusted proxies): over
# API_BAD_KEYS_PER_MINUTE in a minute, that address gets 429 before any key is looked up, so
# keys cannot be guessed at speed. Each wrong key is a security event.
BAD_KEY_WINDOW_SECONDS = 60
security_log = logging.getLogger("alliance.security")


def _bad_key_counter(request) -> str:
    return f"api-bad-keys:{request.META.get('REMOTE_ADDR', '')}"


def _refuse_bad_key(request, reason: str):
    counter = _bad_key_counter(request)
    cache.add(counter, 0, BAD_KEY_WINDOW_SECONDS)
    try:
        cache.incr(counter)
    except ValueError:  # expired between add and incr
        cache.set(counter, 1, BAD_KEY_WINDOW_SECONDS)
    security_log.warning(
        "api_key_refused reason=%s address=%s path=%s",
        reason,
        request.META.get("REMOTE_ADDR"),
        request.path,
    )
    return exceptions.AuthenticationFailed(_("Deze API-sleutel is ongeldig."), code="invalid_key")


def key_model():
    return apps.get_model(settings.API_KEY_MODEL)


def api_key_of(request):
    """The partner key the request was made with, or None (a session, or nobody)."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, key_model()) else None


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """A partner's key. Wrong, revoked and expired keys are refused with their own code."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        keyword, _sep, key = header.partition(" ")
        if keyword.lower() != KEYWORD.lower():
            return None  # no key: perhaps a session
        if (cache.get(_bad_key_counter(request)) or 0) >= settings.API_BAD_KEYS_PER_MINUTE:
            raise exceptions.Throttled(wait=BAD_KEY_WINDOW_SECONDS)
        match = _KEY.match(key.strip())
        if not match:
            raise _refuse_bad_key(request, "malformed")
        model = key_model()
        api_key = model.objects.select_related("partner").filter(prefix=match.group(1)).first()
        if api_key is None or not api_key.is_valid(match.group(0)):
            raise _refuse_bad_key(request, "unknown")
        # Known key: its calls are logged from here on, refused ones too.
        request._request.partner_api_key = api_key
        if api_key.revoked:
            raise exceptions.AuthenticationFailed(
                _("Deze API-sleutel is ingetrokken."), code="key_revoked"
            )
        if api_key.has_expired:
            raise exceptions.AuthenticationFailed(
                _("Deze API-sleutel is verlopen."), code="key_expired"
            )
        self._touch(api_key)
        # DRF authenticates here, after the middleware: the audit trail learns the key now.
        audit.attach(partner_key=str(api_key.pk), partner=api_key.partner_id)
        return AnonymousUser(), api_key

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="api"'

    @staticmethod
    def _touch(api_key) -> None:
        now = timezone.now()
        stale = now - datetime.timedelta(seconds=LAST_USED_RESOLUTION_SECONDS)
        if api_key.last_used_at is None or api_key.last_used_at < stale:
            # One UPDATE, skipped when another request just did it.
            type(api_key).objects.filter(
                Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale), pk=api_key.pk
            ).update(last_used_at=now)
            api_key.last_used_at = now


class ApiKeySchema(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(
                _(
                    "Een partnersleutel: `Authorization: Api-Key <sleutel>`. "
                    "Staff maakt sleutels aan; ze worden één keer getoond."
                )
            ),
        }
