"""What every background task shares: enqueuing by name, and the record of tasks that failed.

Every task of the project is a ReliableTask (alliance/base/reliable.py; alliance/celery.py makes
it the app's task class). The settings (CELERY_TASK_ACKS_LATE and friends) make a task run again
when its worker dies; `record_failure` writes a FailedTask for every task that failed for good.
docs/background-work.md has the why.
"""

from __future__ import annotations

import datetime
import json
import logging

from celery import current_app, shared_task
from celery.signals import task_failure
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from alliance.base.models import FailedTask, OutboxMessage, SentMessage

logger = logging.getLogger(__name__)


def enqueue_on_commit(name: str, *arguments) -> None:
    """Hand the task registered as `name` to a worker once the current transaction commits.

    By name, so that a service need not import the tasks module that imports it (a task calls
    its service; the service only names the task). The task is looked up at once, so that a
    misspelt name fails where it is written and not after the commit; every process knows every
    task because AllianceConfig.ready() has the task modules discovered. The task's own
    apply_async runs, so eager mode and ReliableTask's limits hold as with `.delay()`.
    """
    task = current_app.tasks[name]
    transaction.on_commit(lambda: task.delay(*arguments))


def kick_on_commit(name: str, *arguments) -> None:
    """Hand task `name` to a worker after the commit, if the broker can be reached: best effort.

    For work whose row is already committed and that a periodic task finds anyway (the e-mail
    outbox, webhook deliveries): the kick only makes it fast. A broker that is down (or slow to
    answer) costs a log line, never the page: the change is committed, and the drain sends it
    when the broker is back. In eager mode (tests, no broker) the task runs here; its errors are
    logged the same way (a test that expects an e-mail sees it missing).
    """
    task = current_app.tasks[name]

    def kick():
        try:
            if task.app.conf.task_always_eager:
                # Tests and development run the task here; its failure (the database gone
                # between the commit and the send) must not turn a committed change into an
                # error page either: the row is still pending, and the drain sends it.
                task.delay(*arguments)
            else:
                task.apply_async(arguments, retry_policy=KICK_RETRY_POLICY)
        except Exception as error:  # kombu's OperationalError, a socket error, a timeout
            logger.warning(
                "Could not hand %s%r to the broker (%r); the drain will.", name, arguments, error
            )

    transaction.on_commit(kick)


# One quick second try (a pooled connection the broker closed when it restarted), no more:
# the page waits for this.
KICK_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}


def _json_safe(value):
    """Arguments as JSON (they are JSON on the broker; eager calls may pass other things)."""
    return json.loads(json.dumps(value, default=repr))


def record_failure(sender=None, task_id=None, exception=None, args=None, kwargs=None, **extra):
    """Keep a FailedTask for a task that failed for good (retries exhausted or not retried).

    Celery sends task_failure from the worker process that ran the task, or from the main
    worker process when that process was lost or killed at its hard time limit.
    """
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
def purge_sent_messages(days: int | None = None) -> int:
    """Forget sent e-mails older than `days` (RETENTION_SENT_MESSAGES_DAYS): long after any
    message could come back. alliance.apply_retention does the same every night."""
    days = settings.RETENTION_SENT_MESSAGES_DAYS if days is None else days
    before = timezone.now() - datetime.timedelta(days=days)
    deleted, _ = SentMessage.objects.filter(sent_at__lt=before).delete()
    # The outbox's sent rows hold whole messages (personal data): kept only a few days.
    sent_before = timezone.now() - datetime.timedelta(days=settings.OUTBOX_KEEP_SENT_DAYS)
    purged, _ = OutboxMessage.objects.filter(sent_at__lt=sent_before).delete()
    given_up, _ = OutboxMessage.objects.filter(failed_at__lt=before).delete()
    return deleted + purged + given_up
