"""What /healthz checks: the database always, the broker when one is configured."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from alliance.celery import app


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "not usable"; the name of the part is what we report
        return "error"
    return "ok"


def broker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return "error"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """The database always, the broker when one is configured: 503 naming what fails."""
    parts = {"database": database_status(), "broker": broker_status()}
    healthy = all(state in ("ok", "eager") for state in parts.values())
    body = {"status": "ok" if healthy else "error", **parts}
    if not healthy:
        body["failing"] = [name for name, state in parts.items() if state == "error"]
    return JsonResponse(body, status=200 if healthy else 503)
