"""GET /metrics: Prometheus's text format, behind a bearer token (METRICS_TOKEN).

django-prometheus counts requests (by view, method, status, latency) and database queries; this
view adds what a scrape should read at that moment: the length of each Celery queue on the
broker, the e-mails waiting in the outbox and the background tasks that failed for good. With
several app server processes (gunicorn), PROMETHEUS_MULTIPROC_DIR makes each one's counters
part of every scrape (gunicorn.conf.py). docs/deploy.md.
"""

from __future__ import annotations

import hmac
import logging
import os

import prometheus_client
from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily

from alliance.base.models import FailedTask, OutboxMessage
from alliance.celery import app

logger = logging.getLogger(__name__)


def celery_queues() -> list[str]:
    queues = getattr(settings, "CELERY_TASK_QUEUES", None) or []
    names = [getattr(queue, "name", queue) for queue in queues]
    return names or [app.conf.task_default_queue]


def queue_lengths() -> dict[str, int] | None:
    """Messages waiting per queue on the broker; None without a broker (eager mode) or when it
    cannot be reached (the scrape still answers, saying so in alliance_broker_up)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            client = conn.default_channel.client
            return {name: int(client.llen(name)) for name in celery_queues()}
    except Exception:
        logger.warning("metrics: the broker could not be read")
        return None


class PortalCollector:
    """The gauges read at scrape time."""

    def collect(self):
        lengths = queue_lengths()
        up = GaugeMetricFamily(
            "alliance_broker_up", "1 when the Celery broker answered this scrape, else 0"
        )
        up.add_metric([], 0 if lengths is None else 1)
        yield up
        queue = GaugeMetricFamily(
            "alliance_celery_queue_length", "Messages waiting on the broker", labels=["queue"]
        )
        for name, length in (lengths or {}).items():
            queue.add_metric([name], length)
        yield queue
        failed = GaugeMetricFamily(
            "alliance_failed_tasks_waiting",
            "Background tasks that failed for good and were not put back in the queue",
        )
        failed.add_metric([], FailedTask.objects.filter(requeued_at__isnull=True).count())
        yield failed
        outbox = GaugeMetricFamily(
            "alliance_outbox_pending", "E-mails written to the outbox and not yet sent or given up"
        )
        outbox.add_metric([], OutboxMessage.objects.pending().count())
        yield outbox


def authorised(request) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@never_cache
@require_GET
def metrics(request):
    if not authorised(request):
        return HttpResponseForbidden("Metrics need the bearer token METRICS_TOKEN.\n")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = prometheus_client.CollectorRegistry()
        registry.register(_ProcessRegistry())
    registry.register(PortalCollector())
    return HttpResponse(
        prometheus_client.generate_latest(registry),
        content_type=prometheus_client.CONTENT_TYPE_LATEST,
    )


class _ProcessRegistry:
    """This process's own metrics (django-prometheus's counters in the default registry)."""

    def collect(self):
        yield from prometheus_client.REGISTRY.collect()
