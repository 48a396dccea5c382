"""The Celery app. Without a broker (REDIS_URL) tasks run eagerly in-process (see settings).

Every task is a ReliableTask (alliance/base/reliable.py): short waits; failures are recorded
(alliance/base/tasks.py). The reliability settings are CELERY_* in alliance/settings/base.py,
explained in docs/background-work.md. Every process, not only a worker, discovers the task
modules (AllianceConfig.ready()), because services enqueue tasks by name.
"""

import os

from celery import Celery, signals

from alliance.base import observability

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings.base")

app = Celery("alliance", task_cls="alliance.base.reliable:ReliableTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The request id of the page that enqueued a task follows it into the worker's logs
# (alliance/base/observability.py).

signals.before_task_publish.connect(observability.add_request_id_to_task, weak=False)
signals.task_prerun.connect(observability.adopt_request_id, weak=False)
signals.task_postrun.connect(observability.forget_request_id, weak=False)
