"""The beat schedules: made by `manage.py setup_schedules`, idempotent, visible to staff."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from alliance.base.management.commands.setup_schedules import SCHEDULES
from alliance.celery import app

pytestmark = pytest.mark.django_db


def schedules():
    return {
        task.name: (task.task, task.crontab.minute, task.crontab.hour, str(task.crontab.timezone))
        for task in PeriodicTask.objects.select_related("crontab")
    }


def test_the_schedules_are_created_in_brussels_time_and_a_second_run_changes_nothing():
    call_command("setup_schedules")
    created = schedules()
    assert created["Herinneringen voor activiteiten"] == (
        "events.send_due_reminders",
        "*/5",
        "*",
        "Europe/Brussels",
    )
    assert created["Hernieuwing van lidmaatschappen"] == (
        "members.send_renewal_reminders",
        "0",
        "8",
        "Europe/Brussels",
    )
    counts = PeriodicTask.objects.count(), CrontabSchedule.objects.count()
    call_command("setup_schedules")
    assert schedules() == created
    assert (PeriodicTask.objects.count(), CrontabSchedule.objects.count()) == counts


def test_a_schedule_staff_switched_off_stays_off_but_its_timing_follows_the_code():
    call_command("setup_schedules")
    reminders = PeriodicTask.objects.get(task="events.send_due_reminders")
    reminders.enabled = False
    reminders.crontab = CrontabSchedule.objects.create(minute="7", hour="7")
    reminders.save()
    call_command("setup_schedules")
    reminders.refresh_from_db()
    assert reminders.enabled is False
    assert (reminders.crontab.minute, reminders.crontab.hour) == ("*/5", "*")


def test_every_scheduled_task_exists():
    app.loader.import_default_modules()
    assert {task for task, *_ in SCHEDULES.values()} <= set(app.tasks)


def test_staff_see_the_schedules_in_the_admin(admin_client):
    call_command("setup_schedules")
    response = admin_client.get(reverse("admin:django_celery_beat_periodictask_changelist"))
    assert response.status_code == 200
    assert "Herinneringen voor activiteiten" in response.content.decode()
