"""What the test worker loads beside the portal's tasks (CELERY_IMPORTS in worker_settings).

- `tests.always_failing`: a task that fails like an unreachable server, with a short back-off,
  to watch retries back off and stop in real time;
- `tests.sleeps_too_long`: a task that outlives its hard time limit (2 s);
- a hook that holds a worker process after mail.send_outbox (or mail.deliver) has sent and
  committed but before the worker acknowledges the message, when the test left
  `linger-<address>` in MAILBOX_DIR: the window in which a killed worker makes the broker
  deliver an e-mail task that already ran.
"""

import os
import time
from pathlib import Path

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import task_postrun


@shared_task(
    name="tests.always_failing",
    autoretry_for=(OSError,),
    retry_backoff=1,
    retry_jitter=False,
    max_retries=3,
)
def always_failing(folder: str) -> None:
    Path(folder, f"attempt-{time.time():.3f}").write_text(str(os.getpid()))
    raise ConnectionRefusedError("the server refused the connection")


@task_postrun.connect(weak=False)
def linger_after_sending(sender=None, args=None, **kwargs):
    name = getattr(sender, "name", "")
    if name not in ("mail.deliver", "mail.send_outbox") or "MAILBOX_DIR" not in os.environ:
        return
    folder = Path(os.environ["MAILBOX_DIR"])
    if name == "mail.deliver":
        recipients = args[0]["to"]
    else:
        from alliance.base.models import OutboxMessage

        recipients = OutboxMessage.objects.get(key=args[0]).message["to"]
    for address in recipients:
        linger = folder / f"linger-{address}"
        if linger.exists():
            linger.unlink()
            (folder / f"lingering-{os.getpid()}").write_text(address)
            time.sleep(60)


@shared_task(name="tests.sleeps_too_long", soft_time_limit=1, time_limit=2)
def sleeps_too_long(folder: str) -> None:
    Path(folder, f"attempt-{time.time():.3f}").write_text(str(os.getpid()))
    try:
        time.sleep(30)
    except SoftTimeLimitExceeded:  # a call stuck in C code would not notice either
        time.sleep(30)
