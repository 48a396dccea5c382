"""Retries back off and stop; a task out of retries is a FailedTask that staff see and requeue."""

import datetime
import time
from pathlib import Path

import pytest
from celery import shared_task
from celery.signals import task_retry
from django.contrib.admin.sites import site
from django.urls import reverse
from django.utils import timezone

from alliance.base.mail import deliver
from alliance.base.models import FailedTask, SentMessage
from alliance.celery import app
from tests.background.worker import drained, wait_until
from tests.background.worker_side import always_failing, sleeps_too_long
from tests.factories import FailedTaskFactory, SentMessageFactory
from tests.query_counts import assert_request_query_count

MESSAGE = {
    "name": "registration_confirmed",
    "key": "registration_confirmed:retry-test",
    "subject": "Je bent ingeschreven: Innovatieforum",
    "text": "Dag Els,",
    "html": "<p>Dag Els,</p>",
    "to": ["els@example.be"],
    "attachments": [],
}


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_a_failing_task_backs_off_in_real_time_then_stops_as_a_failed_task(
    start_worker, celery_broker, tmp_path
):
    """On a real worker: attempts 1, 2 and 4 s apart (no jitter here), then no more."""
    start_worker()
    attempts = tmp_path / "attempts"
    attempts.mkdir()
    always_failing.delay(str(attempts))

    failed = wait_until(
        lambda: FailedTask.objects.filter(task_name="tests.always_failing").first(),
        timeout=60,
        what="the task to run out of retries",
    )
    drained(celery_broker)
    times = sorted(float(path.name.split("-", 1)[1]) for path in attempts.glob("attempt-*"))
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    print("gaps between attempts:", ", ".join(f"{gap:.2f}s" for gap in gaps))
    assert len(times) == 4, "the first attempt and max_retries=3 retries"
    for gap, backoff in zip(gaps, [1, 2, 4], strict=True):
        assert backoff - 0.1 <= gap < backoff + 3
    assert gaps[0] < gaps[1] < gaps[2]
    assert (failed.retries, failed.args) == (3, [str(attempts)])
    assert "ConnectionRefusedError" in failed.exception
    assert "the server refused the connection" in failed.traceback
    time.sleep(1.5)
    assert len(list(attempts.glob("attempt-*"))) == 4, "and then it stops"


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_a_task_killed_at_its_hard_time_limit_is_recorded_and_not_run_again(
    start_worker, celery_broker, tmp_path
):
    worker = start_worker()
    attempts = tmp_path / "attempts"
    attempts.mkdir()
    sleeps_too_long.delay(str(attempts))

    failed = wait_until(
        lambda: FailedTask.objects.filter(task_name="tests.sleeps_too_long").first(),
        timeout=30,
        what="the time limit",
    )
    drained(celery_broker)
    assert "TimeLimitExceeded(2" in failed.exception
    assert failed.args == [str(attempts)]
    assert "Hard time limit (2" in worker.log_text()
    time.sleep(1)
    assert len(list(attempts.glob("attempt-*"))) == 1, "acknowledged, not given back"


@pytest.fixture
def eager_retries():
    """Run retries in-process, one after the other, and collect their countdowns."""
    countdowns = []

    def collect(sender=None, reason=None, **kwargs):
        countdowns.append(reason.when)

    task_retry.connect(collect, weak=False, dispatch_uid="tests.collect_retries")
    # Propagating would stop at the first Retry; the loop of retries needs it off.
    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield countdowns
    app.conf.task_eager_propagates = previous
    task_retry.disconnect(dispatch_uid="tests.collect_retries")


@pytest.fixture
def smtp_down(settings, tmp_path, monkeypatch):
    """An SMTP server that refuses every message to els@example.be until it is repaired."""
    settings.EMAIL_BACKEND = "tests.background.mailbox.Mailbox"
    monkeypatch.setenv("MAILBOX_DIR", str(tmp_path))
    refusal = tmp_path / "refuse-els@example.be"
    refusal.write_text("")
    return refusal


@pytest.mark.django_db
def test_an_email_is_retried_with_back_off_then_recorded_as_failed(smtp_down, eager_retries):
    result = deliver.apply(args=[MESSAGE])

    assert result.state == "FAILURE" and isinstance(result.result, ConnectionRefusedError)
    # Exponential caps 2, 4, 8, then TASK_MAX_COUNTDOWN (15 s); full jitter below each cap.
    caps = [min(2 * 2**n, 15) for n in range(10)]
    assert len(eager_retries) == 10 == deliver.max_retries
    assert all(0 <= countdown <= cap for countdown, cap in zip(eager_retries, caps, strict=True))
    failed = FailedTask.objects.get()
    assert (failed.task_name, failed.retries, failed.args) == ("mail.deliver", 10, [MESSAGE])
    assert "SMTP server down" in failed.exception
    assert not SentMessage.objects.exists(), "a failed send leaves no record behind"
    assert len(list(Path(smtp_down.parent).glob("refused-*"))) == 11, "1 attempt + 10 retries"


@pytest.mark.django_db
def test_staff_put_a_failed_email_back_in_the_queue_once_smtp_works(
    smtp_down, eager_retries, admin_client
):
    deliver.apply(args=[MESSAGE])
    failed = FailedTask.objects.get()
    smtp_down.unlink()  # the SMTP server is repaired

    url = reverse("admin:base_failedtask_changelist")
    response = admin_client.post(
        url, {"action": "requeue", "_selected_action": [failed.pk]}, follow=True
    )
    assert "1 taak staat opnieuw in de wachtrij." in response.content.decode()
    failed.refresh_from_db()
    assert failed.requeued_at is not None
    assert list(SentMessage.objects.values_list("key", flat=True)) == [MESSAGE["key"]]
    # Requeued tasks are not requeued twice; and the message itself would not go out twice.
    admin_client.post(url, {"action": "requeue", "_selected_action": [failed.pk]})
    deliver.apply(args=[MESSAGE])
    assert len(list(Path(smtp_down.parent).glob("*.eml"))) == 1


def test_a_delay_longer_than_the_broker_can_hold_is_refused():
    with pytest.raises(ValueError, match="periodic task"):
        deliver.apply_async(args=[MESSAGE], countdown=2 * 24 * 3600)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    for eta in (tomorrow, timezone.make_naive(tomorrow)):
        with pytest.raises(ValueError, match="periodic task"):
            deliver.apply_async(args=[MESSAGE], eta=eta)


@shared_task(bind=True, name="tests.retry_in_an_hour", max_retries=1)
def retry_in_an_hour(self):
    if self.request.retries == 0:
        raise self.retry(countdown=3600)
    return "second attempt"


def test_a_retry_asked_for_in_an_hour_waits_at_most_the_longest_countdown(eager_retries):
    # .result, not .get(): an earlier test in the same process may have marked it as a worker
    # (task_join_will_block), and .get() then refuses to wait even on an eager result.
    assert retry_in_an_hour.apply().result == "second attempt"
    assert eager_retries == [15]


def make_failures(count: int) -> None:
    FailedTaskFactory.create_batch(count, args=[MESSAGE])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, model, text",
    [
        ("admin:base_failedtask_changelist", FailedTask, "ConnectionRefusedError"),
        ("admin:base_sentmessage_changelist", SentMessage, "Innovatieforum"),
    ],
    ids=["failed tasks", "sent e-mails"],
)
def test_staff_see_the_records_in_the_admin_in_a_constant_number_of_queries(
    admin_client, name, model, text
):
    url = reverse(f"admin:base_{model._meta.model_name}_changelist")

    def add(count):
        if model is FailedTask:
            make_failures(count)
        else:
            SentMessageFactory.create_batch(
                count, subject=MESSAGE["subject"], recipients="els@example.be"
            )

    def page():
        response = assert_request_query_count(name, admin_client, url)
        assert text in response.content.decode()

    add(3)
    page()
    add(12)
    page()
    assert admin_client.get(url + "?q=els").status_code == 200
    change = reverse(f"admin:base_{model._meta.model_name}_change", args=[model.objects.first().pk])
    page = admin_client.get(change)
    assert page.status_code == 200
    assert site.is_registered(model)
