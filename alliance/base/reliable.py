"""The class every background task of the project runs as (alliance/celery.py names it).

It imports no model: Celery loads a task class by its dotted name whenever it first builds a
task, which may be before Django's apps are ready (alliance/base/tasks.py, which records
failures in the database, may not be loaded that early).
"""

from __future__ import annotations

import datetime
import logging

from celery import Task
from django.conf import settings
from django.utils import timezone

from alliance.base import audit

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

    def __call__(self, *args, **kwargs):
        # The audit trail names the system (and the task) for what a worker changes; run
        # eagerly inside a request, the request stays the actor.
        with audit.system_context(task=self.name):
            return super().__call__(*args, **kwargs)

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
