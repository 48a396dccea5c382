"""The Celery app. Without a broker (REDIS_URL) tasks run eagerly in-process (see settings).

Every task is a ReliableTask (alliance/base/tasks.py): short waits, failures recorded. The
reliability settings are CELERY_* in alliance/settings/base.py, explained in
docs/background-work.md.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings.base")

app = Celery("alliance", task_cls="alliance.base.tasks:ReliableTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
