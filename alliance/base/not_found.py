"""The portal's own 404 page in development too.

With DEBUG on, Django answers a stale link with its technical 404 page (the URL patterns, in
English): not what someone trying the portal should see. This middleware, active only with DEBUG
(and not when DEBUG_404 asks for Django's page), answers with templates/404.html instead, as
production does. Other 404 answers (the API's problem+json) are left as they are.
"""

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import Http404
from django.views.defaults import page_not_found


class PortalNotFoundMiddleware:
    def __init__(self, get_response):
        if not settings.DEBUG or getattr(settings, "DEBUG_404", False):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and not getattr(response, "portal_not_found", False)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            # Django's technical page for an address no URL pattern matches.
            return self.not_found(request, None)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return self.not_found(request, exception)
        return None

    @staticmethod
    def not_found(request, exception):
        response = page_not_found(request, exception or Http404())
        response.portal_not_found = True
        return response
