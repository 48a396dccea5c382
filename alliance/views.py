"""Cross-app pages: the home page and the health check."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from alliance import health


class HomeView(TemplateView):
    template_name = "home.html"


@never_cache
@require_GET
def healthz(request):
    parts = {"database": health.database_status(), "broker": health.broker_status()}
    healthy = all(state in ("ok", "eager") for state in parts.values())
    body = {"status": "ok" if healthy else "error", **parts}
    if not healthy:
        body["failing"] = [name for name, state in parts.items() if state == "error"]
    return JsonResponse(body, status=200 if healthy else 503)
