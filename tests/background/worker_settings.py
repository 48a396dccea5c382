"""Settings of the worker processes the background tests start (their DJANGO_SETTINGS_MODULE).

The test settings, the same reliability settings as production, and a mailbox of files
(tests/background/mailbox.py) instead of the in-memory outbox another process cannot see.
"""

from alliance.settings.test import *  # noqa: F403

EMAIL_BACKEND = "tests.background.mailbox.Mailbox"
CELERY_IMPORTS = ["tests.background.worker_side"]
# A worker's own tasks (retries, the reminders a scan enqueues) go to the broker too.
CELERY_TASK_ALWAYS_EAGER = False
