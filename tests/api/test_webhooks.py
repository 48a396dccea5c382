"""Webhooks: endpoints through the API, signed deliveries after commit, retries, 410, redelivery."""

import datetime
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone

from chambers import services as chamber_services
from chambers import webhooks
from chambers.models import WebhookDelivery, WebhookEndpoint
from chambers.tasks import webhook_deliver, webhook_deliver_due
from events import services
from events.models import Event
from tests.api.conftest import problem
from tests.factories import (
    EventFactory,
    WebhookDeliveryFactory,
    WebhookEndpointFactory,
    staff_user,
)
from tests.query_counts import assert_request_query_count

pytestmark = pytest.mark.django_db


class Receiver:
    """A partner's webhook endpoint on 127.0.0.1: records what it gets, answers `statuses`."""

    def __init__(self):
        self.received: list[tuple[dict, bytes]] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def endpoint(receiver, partner):
    return chamber_services.webhook_endpoint_create(
        partner=partner,
        url=receiver.url,
        event_types=["event.published", "event.updated", "event.cancelled"],
    )


@pytest.fixture
def publish(kempen, django_capture_on_commit_callbacks):
    """publish() -> a new Kempen event, published by its event manager, callbacks run."""
    manager = staff_user("event_manager", kempen)

    def publish(**fields):
        event = EventFactory(organiser=kempen, status=Event.Status.DRAFT, **fields)
        with django_capture_on_commit_callbacks(execute=True):
            services.event_publish(event=event, actor=manager)
        return event

    return publish


def docs_verify():
    """The signature check docs/api.md gives partners, run as they would run it."""
    docs = (Path(django_settings.BASE_DIR) / "docs" / "api.md").read_text()
    section = docs.split("### Verifying the signature", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - our own documentation
    return namespace["verify"]


# Endpoints through the API


def test_endpoints_through_the_api(api_client, kempen, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    response = api_client.post(
        "/api/v1/webhook-endpoints/",
        {"url": "https://crm.liof.example/hooks", "event_types": ["event.published"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["secret"].startswith("whsec_") and len(created["secret"]) > 40
    url = f"/api/v1/webhook-endpoints/{created['id']}/"
    shown = api_client.get(url).json()
    assert "secret" not in shown, "the secret is shown once, on creation"
    assert shown == {key: value for key, value in created.items() if key != "secret"}
    assert [
        row["id"] for row in api_client.get("/api/v1/webhook-endpoints/").json()["results"]
    ] == [created["id"]]

    changed = api_client.patch(
        url,
        {"event_types": ["event.updated", "event.cancelled"], "chambers": ["kempen"]},
        format="json",
    ).json()
    assert (changed["event_types"], changed["chambers"]) == (
        ["event.cancelled", "event.updated"],
        ["kempen"],
    )
    off = api_client.patch(url, {"is_active": False}, format="json").json()
    assert (off["is_active"], bool(off["disabled_at"])) == (False, True)
    on = api_client.patch(url, {"is_active": True}, format="json").json()
    assert (on["is_active"], on["disabled_at"], on["disabled_reason"]) == (True, None, "")

    assert api_client.delete(url).status_code == 204
    problem(api_client.get(url), 404, "not_found")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"url": "http://crm.liof.example/hooks", "event_types": ["event.updated"]}, "url"),
        ({"url": "geen adres", "event_types": ["event.updated"]}, "url"),
        ({"url": "https://crm.liof.example/hooks", "event_types": []}, "event_types"),
        (
            {"url": "https://crm.liof.example/hooks", "event_types": ["event.deleted"]},
            "event_types[0]",
        ),
        ({"url": "https://crm.liof.example/hooks", "event_types": "event.updated"}, "event_types"),
    ],
)
def test_bad_endpoints_are_refused(api_client, settings, data, field):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    body = problem(
        api_client.post("/api/v1/webhook-endpoints/", data, format="json"), 400, "invalid_input"
    )
    assert [error["field"] for error in body["errors"]] == [field]
    assert not WebhookEndpoint.objects.exists()


def test_a_key_limited_to_chambers_makes_endpoints_limited_to_them(make_client, kempen, mechelen):
    client = make_client("webhooks:manage", chambers=[kempen])
    data = {"url": "https://crm.liof.example/hooks", "event_types": ["event.updated"]}
    created = client.post("/api/v1/webhook-endpoints/", data, format="json").json()
    assert created["chambers"] == ["kempen"]
    response = client.post(
        "/api/v1/webhook-endpoints/", data | {"chambers": ["mechelen"]}, format="json"
    )
    problem(response, 400, "invalid_input")


def test_a_partner_sees_only_its_own_endpoints_and_deliveries(
    api_client, make_client, other_partner, endpoint, publish
):
    publish()
    other = make_client("webhooks:manage", partner=other_partner)
    assert other.get("/api/v1/webhook-endpoints/").json()["results"] == []
    assert other.get("/api/v1/webhook-deliveries/").json()["results"] == []
    problem(other.get(f"/api/v1/webhook-endpoints/{endpoint.pk}/"), 404, "not_found")
    delivery = WebhookDelivery.objects.get()
    problem(other.get(f"/api/v1/webhook-deliveries/{delivery.pk}/"), 404, "not_found")
    problem(other.post(f"/api/v1/webhook-deliveries/{delivery.pk}/redeliver/"), 404, "not_found")
    assert len(api_client.get("/api/v1/webhook-deliveries/").json()["results"]) == 1


# Deliveries


def test_a_delivery_is_signed_and_the_docs_verify_it(receiver, endpoint, publish):
    event = publish(slug="brightlands")
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    delivery = WebhookDelivery.objects.get()
    assert headers["Content-Type"] == "application/json"
    assert headers["Alliance-Event"] == "event.published"
    assert headers["Alliance-Delivery"] == str(delivery.pk)
    assert headers["Alliance-Attempt"] == "1"
    message = json.loads(body)
    assert (message["id"], message["type"]) == (str(delivery.pk), "event.published")
    assert message["data"]["slug"] == event.slug
    assert message["data"]["status"] == "published"

    verify = docs_verify()
    assert verify(endpoint.secret, headers["Alliance-Signature"], body)
    assert not verify(endpoint.secret, headers["Alliance-Signature"], body + b" ")
    assert not verify("whsec_other", headers["Alliance-Signature"], body)
    old = webhooks.signature_header(endpoint.secret, body, timestamp=int(time_now()) - 3600)
    assert not verify(endpoint.secret, old, body), "an old signature is a replay"

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 1, 200)
    assert delivery.delivered_at and delivery.next_attempt_at is None


def test_a_webhooks_data_is_what_the_api_shows_of_the_event(
    receiver, endpoint, publish, api_client
):
    event = publish(slug="brightlands")
    data = json.loads(receiver.received[0][1])["data"]
    assert data == api_client.get(f"/api/v1/events/{event.slug}/").json()


def time_now() -> float:
    return timezone.now().timestamp()


def test_update_and_cancel_are_announced(
    receiver, endpoint, publish, kempen, django_capture_on_commit_callbacks
):
    event = publish()
    manager = staff_user("event_manager", kempen)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_capacity_change(event=event, capacity=50, actor=manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=event, actor=manager)
    kinds = [headers["Alliance-Event"] for headers, _body in receiver.received]
    assert kinds == ["event.published", "event.updated", "event.cancelled"]
    assert json.loads(receiver.received[1][1])["data"]["capacity"] == 50


def test_a_change_that_rolls_back_announces_nothing(
    receiver, endpoint, kempen, django_capture_on_commit_callbacks
):
    manager = staff_user("event_manager", kempen)
    event = EventFactory(organiser=kempen, status=Event.Status.DRAFT)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.event_publish(event=event, actor=manager)
        raise RuntimeError("something else went wrong")
    assert callbacks == []
    assert not WebhookDelivery.objects.exists()
    assert receiver.received == []


def test_a_failed_attempt_is_retried_with_exponential_back_off(receiver, endpoint, publish):
    receiver.statuses = [500, 503]
    before = timezone.now()
    publish()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    wait = (delivery.next_attempt_at - before).total_seconds()
    assert 60 <= wait < 65

    # Not due yet: the periodic task leaves it alone.
    assert webhook_deliver_due.apply().result == 0
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    before = timezone.now()
    assert webhook_deliver_due.apply().result == 1
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status_code) == (2, 503)
    assert 120 <= (delivery.next_attempt_at - before).total_seconds() < 125

    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    webhook_deliver_due.apply()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 3, 200)
    assert [headers["Alliance-Attempt"] for headers, _body in receiver.received] == ["1", "2", "3"]
    assert len({headers["Alliance-Delivery"] for headers, _body in receiver.received}) == 1


def test_the_retry_schedule_spans_three_days():
    delays = [webhooks.retry_delay(attempt) for attempt in range(1, 21)]
    assert delays[:4] == [60, 120, 240, 480]
    assert max(delay for delay in delays if delay) == 6 * 3600
    assert delays[-1] is None, "the 20th failure is the last"
    total = sum(delay for delay in delays if delay)
    assert datetime.timedelta(days=2, hours=18) < datetime.timedelta(seconds=total)
    assert datetime.timedelta(seconds=total) <= datetime.timedelta(days=3)


def test_retries_stop_when_the_window_is_used_up(receiver, endpoint, publish):
    receiver.statuses = [500, 500]
    publish()
    WebhookDelivery.objects.update(series_attempts=19, next_attempt_at=timezone.now())
    webhook_deliver_due.apply()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 2, None)
    webhook_deliver_due.apply()
    assert len(receiver.received) == 2, "a failed delivery is not tried again"


def test_an_unreachable_endpoint_is_retried_too(settings, partner, publish):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    chamber_services.webhook_endpoint_create(
        partner=partner, url="http://127.0.0.1:9/nobody", event_types=["event.published"]
    )
    publish()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == ("pending", None)
    assert delivery.last_error and delivery.next_attempt_at


def test_410_gone_switches_the_endpoint_off(receiver, endpoint, publish):
    receiver.statuses = [410]
    publish()
    delivery = WebhookDelivery.objects.get()
    endpoint.refresh_from_db()
    assert (delivery.status, delivery.last_status_code) == ("failed", 410)
    assert (endpoint.is_active, endpoint.disabled_reason) == (
        False,
        "Het adres antwoordde 410 Gone.",
    )
    publish()
    assert WebhookDelivery.objects.count() == 1, "a switched-off endpoint gets nothing new"


def test_a_private_address_is_refused_in_production(settings, partner, publish, receiver):
    endpoint = WebhookEndpointFactory(
        partner=partner, url=receiver.url, event_types=["event.published"]
    )
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    publish()
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert (delivery.status, delivery.last_error) == (
        "failed",
        "Dit adres is niet publiek bereikbaar.",
    )
    assert receiver.received == []


def test_running_a_delivery_twice_sends_it_once(receiver, endpoint, publish):
    publish()
    webhook_deliver.apply(args=[str(WebhookDelivery.objects.get().pk)])
    assert len(receiver.received) == 1


def test_a_partner_asks_for_a_delivery_again_and_gets_the_same_id(
    api_client, receiver, endpoint, publish, django_capture_on_commit_callbacks
):
    publish()
    delivery = WebhookDelivery.objects.get()
    listed = api_client.get("/api/v1/webhook-deliveries/", {"status": "succeeded"}).json()[
        "results"
    ]
    assert [row["id"] for row in listed] == [str(delivery.pk)]
    assert listed[0]["attempts"] == 1 and listed[0]["last_status_code"] == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(f"/api/v1/webhook-deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 202
    assert len(receiver.received) == 2
    (first_headers, first_body), (again_headers, again_body) = receiver.received
    assert again_headers["Alliance-Delivery"] == first_headers["Alliance-Delivery"]
    assert json.loads(again_body)["id"] == json.loads(first_body)["id"]
    assert again_body == first_body, "a receiver that saw this id may ignore it"
    shown = api_client.get(f"/api/v1/webhook-deliveries/{delivery.pk}/").json()
    assert (shown["status"], shown["attempts"]) == ("succeeded", 2)


def test_a_switched_off_endpoint_cannot_be_redelivered_to(api_client, receiver, endpoint, publish):
    receiver.statuses = [410]
    publish()
    delivery = WebhookDelivery.objects.get()
    response = api_client.post(f"/api/v1/webhook-deliveries/{delivery.pk}/redeliver/")
    problem(response, 409, "endpoint_disabled")


@pytest.mark.parametrize(
    "query",
    [{"status": "ok"}, {"event_type": "event.deleted"}, {"endpoint": "x"}, {"endpoint": "-1"}],
)
def test_bad_delivery_filters_are_400(api_client, query):
    problem(api_client.get("/api/v1/webhook-deliveries/", query), 400, "invalid_input")


def test_list_queries_do_not_grow_with_the_rows(api_client, partner, kempen):
    def add(count):
        for _ in range(count):
            endpoint = chamber_services.webhook_endpoint_create(
                partner=partner,
                url="https://liof.example/hooks",
                event_types=["event.updated"],
                chambers=[kempen],
            )
            WebhookDeliveryFactory(endpoint=endpoint, event_type="event.updated")

    add(3)
    for name, url in ENDPOINT_LISTS:
        assert_request_query_count(name, api_client, url)
    add(12)
    for name, url in ENDPOINT_LISTS:
        assert_request_query_count(name, api_client, url)


ENDPOINT_LISTS = [
    ("api:webhook-endpoint-list, one delivery each", "/api/v1/webhook-endpoints/"),
    ("api:webhook-delivery-list, one delivery each", "/api/v1/webhook-deliveries/"),
]


def test_a_rotated_secret_is_shown_once_and_both_sign_during_the_overlap(
    api_client, receiver, partner, publish, settings
):
    endpoint = chamber_services.webhook_endpoint_create(
        partner=partner, url=receiver.url, event_types=["event.published"]
    )
    old_secret = endpoint.secret
    url = f"/api/v1/webhook-endpoints/{endpoint.pk}/rotate-secret/"
    response = api_client.post(url)
    assert response.status_code == 200, response.content
    body = response.json()
    new_secret = body["secret"]
    assert new_secret.startswith("whsec_") and new_secret != old_secret
    overlap = datetime.timedelta(hours=settings.WEBHOOK_SECRET_OVERLAP_HOURS)
    until = datetime.datetime.fromisoformat(body["previous_secret_expires_at"])
    assert abs(until - (timezone.now() + overlap)) < datetime.timedelta(minutes=1)
    # Never shown again.
    shown = api_client.get(f"/api/v1/webhook-endpoints/{endpoint.pk}/").json()
    assert "secret" not in shown and new_secret not in json.dumps(shown)

    verify = docs_verify()
    publish(slug="tijdens-de-overlap")
    headers, sent = receiver.received[-1]
    assert headers["Alliance-Signature"].count("v1=") == 2
    assert verify(new_secret, headers["Alliance-Signature"], sent)
    assert verify(old_secret, headers["Alliance-Signature"], sent)

    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        previous_secret_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    publish(slug="na-de-overlap")
    headers, sent = receiver.received[-1]
    assert headers["Alliance-Signature"].count("v1=") == 1
    assert verify(new_secret, headers["Alliance-Signature"], sent)
    assert not verify(old_secret, headers["Alliance-Signature"], sent)


def test_another_partners_endpoint_is_not_rotated(api_client, receiver, publish):
    other = WebhookEndpointFactory()
    secret = other.secret
    response = api_client.post(f"/api/v1/webhook-endpoints/{other.pk}/rotate-secret/")
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.secret == secret
