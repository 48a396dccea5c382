"""Webhook retries through a real worker on a real broker: they back off, then they stop."""

import time

import pytest
from django.utils import timezone

from chambers import services as chamber_services
from chambers.models import WebhookDelivery
from chambers.tasks import webhook_deliver_due
from events import services
from events.models import Event
from tests.api.test_webhooks import Receiver
from tests.background.worker import wait_until
from tests.factories import EventFactory, PartnerFactory, staff_user

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


def attempts_recorded(delivery_id: int, attempts: int):
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    return delivery if delivery.attempts >= attempts and delivery.status != "sending" else None


def test_webhook_retries_back_off_and_stop_on_a_real_worker(
    start_worker, celery_broker, monkeypatch, settings, kempen
):
    # The receiver listens on 127.0.0.1: allowed here, in the worker too.
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "true")
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    receiver = Receiver()
    receiver.statuses = [500] * 10
    try:
        chamber_services.webhook_endpoint_create(
            partner=PartnerFactory(), url=receiver.url, event_types=["event.published"]
        )
        start_worker()
        event = EventFactory(organiser=kempen, status=Event.Status.DRAFT)
        services.event_publish(event=event, actor=staff_user("event_manager", kempen))

        # First attempt, by the worker, after the commit: refused, next try in a minute.
        delivery = wait_until(
            lambda: WebhookDelivery.objects.filter(attempts__gte=1).first(),
            timeout=30,
            what="the first delivery attempt",
        )
        delivery = wait_until(lambda: attempts_recorded(delivery.pk, 1), timeout=30, what="1")
        first_wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
        assert (delivery.status, delivery.last_status_code) == ("pending", 500)
        assert 50 < first_wait <= 60

        # Due now: the beat's task, run by the worker, tries again and doubles the wait.
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        webhook_deliver_due.delay()
        delivery = wait_until(lambda: attempts_recorded(delivery.pk, 2), timeout=30, what="2")
        second_wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
        assert 110 < second_wait <= 120

        # The last attempt of the three-day window fails: the delivery stops for good.
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            series_attempts=19, next_attempt_at=timezone.now()
        )
        webhook_deliver_due.delay()
        delivery = wait_until(lambda: attempts_recorded(delivery.pk, 3), timeout=30, what="3")
        assert (delivery.status, delivery.next_attempt_at) == ("failed", None)

        webhook_deliver_due.delay()
        time.sleep(2)
        assert len(receiver.received) == 3, "a failed delivery is not tried again"
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
