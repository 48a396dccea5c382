"""What every background task shares: the retry limits, and the record of tasks that failed.

Every task of the project is a ReliableTask (alliance/celery.py makes it the app's task class).
The settings (CELERY_TASK_ACKS_LATE and friends) make a task run again when its worker dies; this
class keeps its waits short enough for that to stay safe, and `record_failure` writes a
FailedTask for every task that failed for good. docs/background-work.md has the why.
"""

from __future__ import annotations

import datetime
import json
import logging

from celery import Task, shared_task
from celery.signals import task_failure
from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)


def max_countdown() -> int:
    """The longest a task may be delayed on the broker (settings.TASK_MAX_COUNTDOWN)."""
    return settings.TASK_MAX_COUNTDOWN


class ReliableTask(Task):
    """A task that may wait at most TASK_MAX_COUNTDOWN seconds before it runs.

    On Redis a delayed message is held, unacknowledged, by the worker that will run it; if the
    delay outlived the visibility timeout the broker would hand the message to a second worker
    and the task would run twice. Retries are therefore capped (with a warning), and an explicit
    countdown or eta beyond the cap is refused: work that is due later (a reminder in two days)
    is found by a periodic task instead (see events/reminders.py).
    """

    # A task whose worker process was killed runs again after this many seconds
    # (CELERY_TASK_RETRY_ON_WORKER_LOST); Celery's default of three minutes is too long to wait.
    default_retry_delay = 3
    # The cap of autoretry's exponential back-off: settings.TASK_MAX_COUNTDOWN.
    retry_backoff_max = 15

    def retry(self, *args, countdown=None, eta=None, **options):
        limit = max_countdown()
        if countdown is not None and countdown > limit:
            logger.warning("%s: retry in %ss shortened to %ss", self.name, countdown, limit)
            countdown = limit
        if eta is not None and _aware(eta) > timezone.now() + datetime.timedelta(seconds=limit):
            logger.warning("%s: retry at %s brought forward to %ss", self.name, eta, limit)
            eta, countdown = None, limit
        return super().retry(*args, countdown=countdown, eta=eta, **options)

    def apply_async(self, args=None, kwargs=None, task_id=None, producer=None, **options):
        countdown, eta = options.get("countdown"), options.get("eta")
        limit = max_countdown()
        too_late = (countdown is not None and countdown > limit) or (
            eta is not None and _aware(eta) > timezone.now() + datetime.timedelta(seconds=limit + 1)
        )
        if too_late:
            raise ValueError(
                f"{self.name}: a delay of more than {limit}s cannot be left to the broker "
                "(it would outlive the visibility timeout and run twice); keep the due time in "
                "the database and let a periodic task enqueue it."
            )
        return super().apply_async(args, kwargs, task_id, producer, **options)


def _aware(moment: datetime.datetime) -> datetime.datetime:
    """Celery reads a naive eta in the app's time zone (Europe/Brussels), as Django does."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _json_safe(value):
    """Arguments as JSON (they are JSON on the broker; eager calls may pass other things)."""
    return json.loads(json.dumps(value, default=repr))


def record_failure(sender=None, task_id=None, exception=None, args=None, kwargs=None, **extra):
    """Keep a FailedTask for a task that failed for good (retries exhausted or not retried).

    Celery sends task_failure from the worker process that ran the task, or from the main
    worker process when that process was lost or killed at its hard time limit.
    """
    from alliance.base.models import FailedTask

    request = getattr(sender, "request", None)
    einfo = extra.get("einfo")
    try:
        FailedTask.objects.create(
            task_name=getattr(sender, "name", "") or "",
            task_id=task_id or "",
            args=_json_safe(list(args or [])),
            kwargs=_json_safe(dict(kwargs or {})),
            exception=repr(exception)[:2000],
            traceback=str(einfo.traceback if einfo else "")[:20000],
            retries=getattr(request, "retries", 0) or 0,
        )
    except Exception:  # the record must never hide the failure it records
        logger.exception("Could not record the failure of task %s[%s]", sender, task_id)


def connect_signals() -> None:
    task_failure.connect(record_failure, weak=False, dispatch_uid="alliance.record_failure")


@shared_task(name="base.purge_sent_messages")
def purge_sent_messages(days: int = 180) -> int:
    """Forget sent e-mails older than `days`: long after any message could come back."""
    from alliance.base.models import SentMessage

    before = timezone.now() - datetime.timedelta(days=days)
    deleted, _ = SentMessage.objects.filter(sent_at__lt=before).delete()
    return deleted
