"""The reliability settings agree with each other (docs/background-work.md says why)."""

from django.conf import settings

from alliance.base.reliable import ReliableTask
from alliance.celery import app

OPTIONS = settings.CELERY_BROKER_TRANSPORT_OPTIONS
VISIBILITY = OPTIONS["visibility_timeout"]


def test_a_task_is_acknowledged_when_done_and_comes_back_when_its_worker_dies():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_retry_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.worker_disable_prefetch is True
    assert app.conf.worker_cancel_long_running_tasks_on_connection_loss is True


def test_the_visibility_timeout_outlasts_twice_the_longest_task_and_any_countdown():
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit
    assert 2 * app.conf.task_time_limit <= VISIBILITY
    # A delayed message is held unacknowledged for its countdown and then its run.
    assert settings.TASK_MAX_COUNTDOWN + app.conf.task_time_limit < VISIBILITY
    assert ReliableTask.default_retry_delay < settings.TASK_MAX_COUNTDOWN
    assert ReliableTask.retry_backoff_max <= settings.TASK_MAX_COUNTDOWN


def test_a_killed_workers_task_comes_back_within_a_minute_not_a_hundred_seconds():
    sweep = OPTIONS["unacked_restore_interval"] * OPTIONS["unacked_restore_throttle"]
    assert sweep <= 5
    assert VISIBILITY + sweep + OPTIONS["unacked_mutex_expire"] < 60


def test_smtp_gives_up_before_the_soft_time_limit():
    assert app.conf.task_soft_time_limit > settings.EMAIL_TIMEOUT


def test_every_task_is_reliable_and_short_enough_for_the_visibility_timeout():
    app.loader.import_default_modules()
    ours = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    assert {"mail.deliver", "events.send_due_reminders", "members.send_renewal_reminders"} <= set(
        ours
    )
    for name, task in ours.items():
        assert isinstance(task, ReliableTask), name
        if task.acks_late:
            limit = task.time_limit or app.conf.task_time_limit
            assert 2 * limit <= VISIBILITY, f"{name} acks late: {VISIBILITY / 2}s at most"
