"""GET /metrics: behind its token; requests, queries, the queue on the broker, failed tasks."""

import re

import pytest
from django.utils import timezone

from alliance.base.models import FailedTask, OutboxMessage

TOKEN = "scrape-token-for-the-tests"


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN
    return {"Authorization": f"Bearer {TOKEN}"}


def value(text: str, name: str, labels: str = "", missing: float | None = None) -> float:
    pattern = re.escape(name) + (r"\{" + labels + r"[^}]*\}" if labels else r"(?:\{[^}]*\})?")
    found = re.search(rf"^{pattern} (\S+)$", text, re.MULTILINE)
    if not found and missing is not None:
        return missing
    assert found, f"{name} {labels} not in the scrape"
    return float(found.group(1))


@pytest.mark.django_db
def test_metrics_are_refused_without_the_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 403
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics", headers={"Authorization": "Bearer nope"}).status_code == 403


@pytest.mark.django_db
def test_requests_and_queries_are_counted(client, metrics_token):
    before = client.get("/metrics", headers=metrics_token).content.decode()
    for _ in range(3):
        assert client.get("/events/").status_code == 200
    after = client.get("/metrics", headers=metrics_token).content.decode()
    name = "django_http_responses_total_by_status_view_method_total"
    labels = 'method="GET",status="200",view="events:list"'
    assert value(after, name, labels) - value(before, name, labels, missing=0) == 3
    assert value(after, "django_db_execute_total", 'alias="default"') > 0


@pytest.mark.django_db
def test_failed_tasks_waiting_for_staff_are_a_gauge(client, metrics_token):
    FailedTask.objects.create(task_name="mail.deliver", exception="refused")
    FailedTask.objects.create(task_name="mail.deliver", exception="refused")
    requeued = FailedTask.objects.create(task_name="webhooks.deliver", exception="timeout")
    requeued.requeued_at = requeued.failed_at
    requeued.save()
    text = client.get("/metrics", headers=metrics_token).content.decode()
    assert value(text, "alliance_failed_tasks_waiting") == 2
    # Without a broker (eager mode) the scrape says so instead of failing.
    assert value(text, "alliance_broker_up") == 0


@pytest.mark.django_db
def test_e_mails_waiting_in_the_outbox_are_a_gauge(client, metrics_token):
    def row(key, **state):
        message = {"subject": "Dag", "text": "Dag", "html": "<p>Dag</p>", "to": ["a@example.be"]}
        return OutboxMessage.objects.create(
            key=key, subject="Dag", recipients="a@example.be", message=message, **state
        )

    row("waiting-1")
    row("waiting-2")
    row("sent", sent_at=timezone.now())
    row("given-up", failed_at=timezone.now(), attempts=10)
    text = client.get("/metrics", headers=metrics_token).content.decode()
    assert value(text, "alliance_outbox_pending") == 2


@pytest.mark.broker
@pytest.mark.django_db
def test_the_queue_on_the_broker_is_measured(client, metrics_token, celery_broker):
    from tests.background.worker import publish_to_the_configured_broker, purge_broker

    publish_to_the_configured_broker(celery_broker)
    purge_broker(celery_broker)
    for _ in range(2):
        celery_broker.send_task("mail.deliver", args=[{}])
    text = client.get("/metrics", headers=metrics_token).content.decode()
    assert value(text, "alliance_broker_up") == 1
    assert value(text, "alliance_celery_queue_length", 'queue="celery"') == 2
    purge_broker(celery_broker)
