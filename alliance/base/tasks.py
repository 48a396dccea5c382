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

from alliance.base.models import FailedTask, SentMessage

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
    return deleted
