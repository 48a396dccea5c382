"""Background tasks of events: thin, idempotent, scheduled by beat (manage.py setup_schedules)."""

from celery import shared_task

from events import allocations, exports, reminders, services


@shared_task(name="events.send_due_reminders")
def send_due_reminders() -> int:
    """Every five minutes: the reminders two days and two hours before an event that are due."""
    return reminders.send_due_reminders()


@shared_task(name="events.expire_offers")
def expire_offers() -> int:
    """Every five minutes: offers from the waiting list that expired pass to the next in line."""
    return services.offers_expire()


@shared_task(name="events.pool_allocations")
def pool_allocations() -> int:
    """Every five minutes: seats reserved per chamber whose pooling date passed go to the
    waiting list."""
    return allocations.pool_due()


# Long file work: acknowledged on receipt with its own time limit (see members/tasks.py).
@shared_task(
    name="events.export_attendees",
    acks_late=False,
    reject_on_worker_lost=False,
    soft_time_limit=570,
    time_limit=600,
)
def export_attendees(job_id: str) -> None:
    """An attendee list too long to write during a request (events/exports.py).

    Not retried: a failure is not transient (the state file says "failed" and the page offers to
    start again); running it twice writes the same file twice.
    """
    exports.run_export(job_id)
