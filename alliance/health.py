"""/healthz says the process is alive; /readyz says it can serve (docs/deploy.md).

A load balancer sends traffic to an instance only while /readyz answers 200; a process manager
restarts one whose /healthz stops answering. /healthz therefore checks nothing outside the
process: a database outage must not make every app server restart at once.
"""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from alliance.celery import app


def database_status() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "not usable"; the name of the part is what we report
        return "error"
    return "ok"


def migrations_status() -> str:
    """ "ok" when every migration of the code is applied to the database, else "pending"."""
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        return "error"
    return "pending" if plan else "ok"


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
    """Alive: the process answers. Nothing else is asked (see the module's docstring)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Ready: the database answers, its migrations are applied, the broker (when configured)
    answers. 503 naming what fails."""
    database = database_status()
    parts = {
        "database": database,
        "migrations": migrations_status() if database == "ok" else "error",
        "broker": broker_status(),
    }
    ready = all(state in ("ok", "eager") for state in parts.values())
    body = {"status": "ok" if ready else "error", **parts}
    if not ready:
        body["failing"] = [name for name, state in parts.items() if state not in ("ok", "eager")]
    return JsonResponse(body, status=200 if ready else 503)
