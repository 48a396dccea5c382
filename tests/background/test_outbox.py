"""The outbox: with the broker down, pages keep answering and every e-mail goes out once later.

The e-mail is written to the outbox (OutboxMessage) in the registration's transaction; the kick
after the commit fails against a broker port where nothing listens, costing a log line; the drain
(`manage.py drain_outbox`, the beat's `mail.drain_outbox` on a real worker) sends it, once, also
when it runs twice or two drains run at the same moment.
"""

import datetime
import socket
import threading
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from alliance.base import mail as portal_mail
from alliance.base.models import OutboxMessage, SentMessage
from alliance.celery import app
from events.models import Registration
from tests.background.worker import Mailbox, publish_to_the_configured_broker, wait_until
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    """A local port where nothing listens (the broker is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def broker_down(settings):
    """The app publishes to a Redis that is not there, as when the broker is down."""
    previous = app.conf.broker_url, app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    app.conf.task_always_eager = False
    publish_to_the_configured_broker(app)
    # The Redis client is imported on a process's first publish (2 s of compiling here, once):
    # not what the page waits for when the broker is down.
    with app.connection_for_write() as conn:
        conn.transport  # noqa: B018
    yield
    app.conf.broker_url, app.conf.task_always_eager = previous
    settings.CELERY_TASK_ALWAYS_EAGER = previous[1]
    publish_to_the_configured_broker(app)


def test_with_the_broker_down_a_registration_answers_and_its_email_goes_out_once_later(
    broker_down, member_client, event, person, caplog
):
    # The confirmation step first, as a member does: the page's own first-request costs
    # (templates, translations) are not the broker's.
    assert member_client.get(reverse("events:register", args=[event.slug])).status_code == 200
    started = time.monotonic()
    response = member_client.post(reverse("events:register", args=[event.slug]))
    took = time.monotonic() - started
    print(f"registration answered {response.status_code} in {took:.2f}s with the broker down")

    assert response.status_code == 302
    assert response.url == reverse("events:detail", args=[event.slug])
    assert took < 1.5, "the page does not wait for a broker that is not there"
    assert Registration.objects.get(person=person).status == Registration.Status.CONFIRMED
    row = OutboxMessage.objects.get()
    assert (row.name, row.recipients, row.sent_at) == ("registration_confirmed", person.email, None)
    assert mail.outbox == []
    assert "Could not hand mail.send_outbox" in caplog.text

    # The next page answers too: the failed kick left nothing broken behind.
    assert member_client.get(reverse("events:detail", args=[event.slug])).status_code == 200

    call_command("drain_outbox")
    call_command("drain_outbox")
    assert [message.to for message in mail.outbox] == [[person.email]]
    assert mail.outbox[0].subject == "Je bent ingeschreven: Innovatieforum"
    assert {name for name, *_ in mail.outbox[0].attachments} == {"innovatieforum.ics"}
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 1
    assert SentMessage.objects.get().key == row.key


def test_a_rolled_back_change_leaves_nothing_in_the_outbox(broker_down, event, person):
    class Rollback(Exception):
        pass

    from events.services import registration_create

    with pytest.raises(Rollback), transaction.atomic():
        registration_create(event=event, person=person)
        assert OutboxMessage.objects.count() == 1
        raise Rollback
    assert not OutboxMessage.objects.exists()
    assert portal_mail.drain() == 0
    assert mail.outbox == []


def test_two_drains_at_the_same_moment_send_each_email_once(
    broker_down, settings, tmp_path, monkeypatch, event, person
):
    """The first drain holds one message mid-send; the second skips that locked row (SKIP
    LOCKED) and sends the rest; the first then finds each of the rest sent."""
    from events.services import registration_create

    people = [person] + [
        PersonFactory(company=person.company, email=f"deelnemer{n}@example.be") for n in range(4)
    ]
    for someone in people:
        registration_create(event=event, person=someone)
    assert OutboxMessage.objects.pending().count() == len(people)

    settings.EMAIL_BACKEND = "tests.background.mailbox.Mailbox"
    monkeypatch.setenv("MAILBOX_DIR", str(tmp_path))
    mailbox = Mailbox(tmp_path)
    mailbox.pause(person.email, seconds=1.5)
    counts = {}

    def drain(name):
        try:
            counts[name] = portal_mail.drain()
        finally:
            connection.close()

    first = threading.Thread(target=drain, args=("first",))
    first.start()
    wait_until(lambda: mailbox.pid_of("sending", person.email), timeout=10, what="the send")
    second = threading.Thread(target=drain, args=("second",))
    second.start()
    first.join(15)
    second.join(15)

    for someone in people:
        assert len(mailbox.messages(to=someone.email)) == 1, someone.email
    assert sorted(counts.values()) == [1, len(people) - 1]
    assert not OutboxMessage.objects.pending().exists()
    assert SentMessage.objects.count() == len(people)


def test_a_failing_mail_server_is_tried_again_with_back_off_and_given_up_visibly(
    broker_down, settings, tmp_path, monkeypatch, event, person, admin_client
):
    from events.services import registration_create

    settings.EMAIL_BACKEND = "tests.background.mailbox.Mailbox"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    monkeypatch.setenv("MAILBOX_DIR", str(tmp_path))
    mailbox = Mailbox(tmp_path)
    mailbox.refuse(person.email)
    registration_create(event=event, person=person)
    row = OutboxMessage.objects.get()

    base = settings.OUTBOX_RETRY_BACKOFF_SECONDS
    waits = []
    while True:
        before = timezone.now()
        assert portal_mail.drain(now=row.next_attempt_at) == 0
        row.refresh_from_db()
        if row.failed_at is not None:
            break
        assert "SMTP server down" in row.last_error
        waits.append((row.next_attempt_at - before).total_seconds())
        assert portal_mail.drain() == 0, "not due yet: the drain leaves it alone"
    # Waits of 1 and 2 minutes (doubling), then given up at the third attempt.
    assert [round(wait / base) for wait in waits] == [1, 2]
    assert row.attempts == settings.OUTBOX_MAX_ATTEMPTS
    assert mailbox.messages() == []
    assert not SentMessage.objects.exists(), "a failed send leaves no record of sending"

    # Staff see it in the admin and, once the mail server is back, send it again.
    changelist = reverse("admin:base_outboxmessage_changelist")
    page = admin_client.get(changelist, {"failed_at__isempty": "0"})
    assert page.status_code == 200 and "Je bent ingeschreven" in page.text
    (tmp_path / f"refuse-{person.email}").unlink()
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    response = admin_client.post(
        changelist, {"action": "send_again", "_selected_action": [row.pk]}, follow=True
    )
    assert response.status_code == 200
    assert len(mailbox.messages(to=person.email)) == 1
    row.refresh_from_db()
    assert row.sent_at is not None and row.failed_at is None


@pytest.mark.broker
def test_a_real_worker_drains_what_was_written_while_the_broker_was_down(
    start_worker, mailbox, celery_broker, broker_url, event, person
):
    """The broker is down at the commit; once it is back the beat's drain task, on a real
    worker, sends the e-mail; a second drain sends nothing more."""
    from events.services import registration_create
    from tests.background.worker import drained

    app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    publish_to_the_configured_broker(app)
    registration_create(event=event, person=person)
    assert OutboxMessage.objects.pending().count() == 1

    app.conf.broker_url = broker_url
    publish_to_the_configured_broker(app)
    start_worker()
    back = time.monotonic()
    portal_mail.drain_outbox.delay()
    [message] = wait_until(lambda: mailbox.messages(to=person.email), timeout=30, what="the mail")
    print(f"sent {time.monotonic() - back:.2f}s after the broker was back")
    portal_mail.drain_outbox.delay()
    drained(celery_broker)
    assert len(mailbox.messages()) == 1
    assert OutboxMessage.objects.get().sent_at is not None
    assert SentMessage.objects.count() == 1


def test_with_the_broker_down_a_webhook_waits_in_its_delivery_row_and_goes_out_later(
    broker_down, kempen, monkeypatch
):
    """The delivery row is the webhook's outbox: the failed kick costs the caller nothing, and
    the minute's webhook_deliver_due hands it to a worker once its lease has passed."""
    from chambers import services as chamber_services
    from chambers.models import WebhookDelivery
    from tests.factories import WebhookEndpointFactory

    endpoint = WebhookEndpointFactory()
    with transaction.atomic():
        [delivery] = chamber_services.webhook_enqueue(
            event_type="event.published",
            payload={"slug": "innovatieforum"},
            chamber_ids=[kempen.pk],
        )
    delivery = WebhookDelivery.objects.get()
    assert (delivery.endpoint, delivery.status) == (endpoint, WebhookDelivery.Status.PENDING)
    assert chamber_services.webhook_deliveries_due() == [], "leased to the kick for a while"

    later = timezone.now() + chamber_services.LEASE + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert chamber_services.webhook_deliveries_due() == [delivery.pk]
    assert chamber_services.webhook_deliveries_due() == [], "handed out once, leased again"
