"""The idempotency record: a message that arrives twice, even at the same moment, is sent once."""

import threading
import time

import pytest
from django.core import mail
from django.db import connection

from alliance.base.mail import deliver, send_on_commit
from alliance.base.models import SentMessage
from tests.background.worker import Mailbox, wait_until

MESSAGE = {
    "name": "registration_confirmed",
    "key": "registration_confirmed:twice",
    "subject": "Je bent ingeschreven: Innovatieforum",
    "text": "Dag Els,",
    "html": "<p>Dag Els,</p>",
    "to": ["els@example.be"],
    "attachments": [],
}


@pytest.mark.django_db
def test_the_same_message_delivered_twice_is_sent_once():
    deliver.delay(MESSAGE)
    deliver.delay(MESSAGE)
    assert len(mail.outbox) == 1
    record = SentMessage.objects.get()
    assert (record.key, record.name, record.subject, record.recipients) == (
        "registration_confirmed:twice",
        "registration_confirmed",
        "Je bent ingeschreven: Innovatieforum",
        "els@example.be",
    )


@pytest.mark.django_db
def test_a_message_without_a_key_is_known_by_its_content():
    """Messages enqueued before keys existed still go out once."""
    legacy = {key: value for key, value in MESSAGE.items() if key not in ("key", "name")}
    deliver.delay(legacy)
    deliver.delay(legacy)
    deliver.delay(legacy | {"subject": "Iets anders"})
    assert len(mail.outbox) == 2
    keys = SentMessage.objects.values_list("key", flat=True)
    assert all(key.startswith("content:") for key in keys)


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_of_one_message_at_the_same_moment_send_one_email(
    settings, tmp_path, monkeypatch
):
    """The second waits on the first one's record (a row lock), then finds it and stops."""
    settings.EMAIL_BACKEND = "tests.background.mailbox.Mailbox"
    monkeypatch.setenv("MAILBOX_DIR", str(tmp_path))
    mailbox = Mailbox(tmp_path)
    mailbox.pause("els@example.be", seconds=1.5)
    started, finished = {}, {}

    def run(name):
        try:
            started[name] = time.monotonic()
            deliver.apply(args=[MESSAGE])
            finished[name] = time.monotonic()
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first",))
    first.start()
    wait_until(lambda: mailbox.pid_of("sending", "els@example.be"), timeout=10, what="the send")
    second = threading.Thread(target=run, args=("second",))
    second.start()
    first.join(10)
    second.join(10)

    assert len(mailbox.messages(to="els@example.be")) == 1
    # The second started while the first was held in its 1.5 s send, and could only finish
    # once the first committed: it waited most of that time. (Comparing the two finishing
    # moments raced: both threads wake at the commit.)
    assert finished["second"] - started["second"] >= 0.5, "the second waited for the first"
    assert SentMessage.objects.count() == 1


@pytest.mark.django_db
def test_a_key_given_by_the_caller_names_the_message_for_good(django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            send_on_commit(
                "join_request_rejected",
                to=["els@example.be"],
                language="nl",
                key="join_request_rejected:7",
                context={"join_request": None, "company": None, "me_url": "/me/"},
            )
    assert len(mail.outbox) == 1
    assert SentMessage.objects.get().key == "join_request_rejected:7"


@pytest.mark.django_db
def test_without_a_key_every_message_is_its_own(django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            send_on_commit(
                "join_request_rejected",
                to=["els@example.be"],
                language="nl",
                context={"join_request": None, "company": None, "me_url": "/me/"},
            )
    assert len(mail.outbox) == 2
    keys = list(SentMessage.objects.values_list("key", flat=True))
    assert len(set(keys)) == 2 and all(key.startswith("join_request_rejected:") for key in keys)
