"""The base of every API view: conditional GETs, caching headers, rate headers, the call log."""

import hashlib
import logging
import time

from django.db import DatabaseError
from django.http import HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.cache import parse_etags, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, mixins, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from alliance.base.api.authentication import api_key_of
from alliance.base.api.throttling import rate_limit_headers

logger = logging.getLogger(__name__)

SLUG_REGEX = r"[-a-zA-Z0-9_]+"
# Path ids stay within PostgreSQL's bigint: a longer number is a 404, not a database error.
ID_REGEX = r"[0-9]{1,18}"


def _etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:40] + '"'


def _matches(if_none_match: str, etag: str) -> bool:
    etags = parse_etags(if_none_match)
    return "*" in etags or any(candidate.removeprefix("W/") == etag for candidate in etags)


class ApiViewMixin:
    """What every API answer gets, whichever view produced it.

    - GET/HEAD 200: an ETag over the body; If-None-Match with that ETag gets 304 and no body.
    - Vary and Cache-Control: answers differ per key, session and language, and may be cached
      only privately and revalidated.
    - RateLimit headers where a rate applied.
    - A line in the partner's call log for every call made with a known key.
    """

    def initialize_request(self, request, *args, **kwargs):
        request.api_started = time.monotonic()
        return super().initialize_request(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        django_request = request._request
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response = self._conditional(django_request, response)
        patch_vary_headers(response, ("Authorization", "Cookie", "Accept-Language"))
        patch_cache_control(response, private=True, no_cache=True)
        rate_limit = getattr(django_request, "rate_limit", None)
        if rate_limit:
            for header, value in rate_limit_headers(rate_limit).items():
                response[header] = value
        self._log_call(django_request, response)
        return response

    @staticmethod
    def _conditional(django_request, response):
        response.render()
        etag = _etag(response.content)
        if_none_match = django_request.headers.get("If-None-Match")
        if if_none_match and _matches(if_none_match, etag):
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = etag
            return not_modified
        response["ETag"] = etag
        return response

    @staticmethod
    def _log_call(django_request, response) -> None:
        key = getattr(django_request, "partner_api_key", None)
        if key is None:
            return
        started = getattr(django_request, "api_started", None)
        duration_ms = int((time.monotonic() - started) * 1000) if started else 0
        try:
            key.record_call(
                method=django_request.method,
                path=django_request.get_full_path(),
                status_code=response.status_code,
                duration_ms=duration_ms,
            )
        except DatabaseError:
            # The answer matters more than its log line.
            logger.exception("Could not log an API call")


class ScopedQuerysetMixin:
    """The one place where an API read is scoped to its caller.

    A viewset that sets `scoped = True` gives its rows in `base_queryset()`; what the caller may
    see is the QuerySet's own `visible_to_partner(key)` (the partner's API key, or None), applied
    here, so that no viewset scopes by hand. `get_queryset()` may add what depends on the
    caller (annotations) to the scoped rows.
    """

    scoped = False

    def base_queryset(self):
        return super().get_queryset()

    def get_queryset(self):
        queryset = self.base_queryset()
        if not self.scoped:
            return queryset
        if getattr(self, "swagger_fake_view", False):
            return queryset.none()
        return queryset.visible_to_partner(api_key_of(self.request))


class ApiView(ApiViewMixin, APIView):
    pass


class GenericViewSet(ApiViewMixin, ScopedQuerysetMixin, viewsets.GenericViewSet):
    lookup_value_regex = SLUG_REGEX


class ReadOnlyViewSet(ApiViewMixin, ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """List and detail, by slug unless the view says otherwise."""

    lookup_field = "slug"
    lookup_value_regex = SLUG_REGEX


class ListViewSet(
    ApiViewMixin, ScopedQuerysetMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    pass


class NotFoundView(APIView):
    """Every other address under /api/: a problem body, never the portal's HTML page."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    schema = None

    def initial(self, request, *args, **kwargs):
        path = request.path
        if not path.endswith("/"):
            try:
                match = resolve(path + "/")
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "view_class", None) is not NotFoundView:
                raise exceptions.NotFound(
                    _("Deze API-adressen eindigen op een schuine streep: %(path)s/")
                    % {"path": path}
                )
        raise exceptions.NotFound(_("Dit API-adres bestaat niet."))
