"""Background tasks of members: thin, idempotent, scheduled by beat (manage.py setup_schedules)."""

from celery import shared_task

from members import imports, renewals, services


@shared_task(name="members.send_renewal_reminders")
def send_renewal_reminders() -> int:
    """Every morning: tell company admins of memberships ending in 30 days."""
    return renewals.send_renewal_reminders()


# Long file work: acknowledged on receipt with its own time limit, because the broker's
# 40 s visibility timeout (sized for the short tasks) would otherwise hand it out twice. A job
# whose worker dies stays "running" on the page and staff start it again.
FILE_TASK_OPTIONS = {
    "acks_late": False,
    "reject_on_worker_lost": False,
    "soft_time_limit": 570,
    "time_limit": 600,
}


@shared_task(name="members.import_companies", **FILE_TASK_OPTIONS)
def import_companies(job_id: str, write: bool = False) -> int:
    """Check (and when `write`, import) an uploaded file of companies: members/imports.py.

    The job id is all it takes; a job already written is left alone, so a second delivery of the
    same message imports nothing twice.
    """
    return imports.job_run(job_id, write=write).get("created", 0)


@shared_task(name="members.roll_over_memberships")
def roll_over_memberships() -> int:
    """Every morning: renewals made in advance become the active membership on their first day."""
    return services.membership_roll_over()
