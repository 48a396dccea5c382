"""Reminders two days and two hours before an event, at the right local time.

They are not delayed tasks: a delay of days cannot be left to the broker (see
alliance/base/tasks.py, ReliableTask). A periodic task (events.send_due_reminders, every five
minutes) asks which reminders are due and sends each one once, under a key per registration,
reminder and start time: a moved event gets its reminders again, a repeated run sends nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alliance.base import mail
from events.models import Event, Registration

TWO_DAYS = "2d"
TWO_HOURS = "2h"


def due_at(starts_at: datetime.datetime, kind: str) -> datetime.datetime:
    """When the reminder of `kind` for an event starting at `starts_at` is due (in UTC).

    Two days: the same wall-clock time in Brussels two calendar days earlier, so that an event at
    10:00 on the Sunday the clocks change is announced at 10:00 on Friday, not at 09:00 or 11:00.
    (A wall-clock time that does not exist, in the hour skipped in spring, moves an hour later.)
    Two hours: two hours of real time earlier, whatever the clocks do in between.
    """
    utc = starts_at.astimezone(datetime.UTC)
    if kind == TWO_HOURS:
        return utc - datetime.timedelta(hours=2)
    if kind != TWO_DAYS:
        raise ValueError(f"unknown reminder {kind!r}")
    brussels = timezone.get_default_timezone()
    wall_clock = starts_at.astimezone(brussels).replace(tzinfo=None) - datetime.timedelta(days=2)
    return wall_clock.replace(tzinfo=brussels).astimezone(datetime.UTC)


def reminder_due(event: Event, now: datetime.datetime) -> tuple[str, datetime.datetime] | None:
    """The reminder due for `event` at `now` and its due time; None before the first one.

    Once the two-hour reminder is due, a two-day reminder that was missed (the beat was down)
    is not sent any more: one reminder at a time, the latest.
    """
    if now >= event.starts_at:
        return None
    for kind in (TWO_HOURS, TWO_DAYS):
        due = due_at(event.starts_at, kind)
        if now >= due:
            return kind, due
    return None


def reminder_key(registration: Registration, kind: str, starts_at: datetime.datetime) -> str:
    start = starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%MZ")
    return f"event_reminder:{kind}:{registration.pk}:{start}"


def send_due_reminders(*, now: datetime.datetime | None = None) -> int:
    """Enqueue the reminders due at `now` that were not sent yet; returns how many.

    Confirmed registrations only (the waiting list has no place to be reminded of), made before
    the reminder was due (who registers a day before the event gets a confirmation, no two-day
    reminder), for published events. Three queries, however many events and people.
    """
    now = now or timezone.now()
    latest_start = now + datetime.timedelta(days=2, hours=2)
    due = {}
    for event in Event.objects.published().filter(starts_at__gt=now, starts_at__lte=latest_start):
        reminder = reminder_due(event, now)
        if reminder:
            due[event.pk] = reminder
    if not due:
        return 0
    registrations = (
        Registration.objects.filter(event_id__in=due, status=Registration.Status.CONFIRMED)
        .select_related("person", "event", "event__organiser")
        .order_by("pk")
    )
    todo = []
    for registration in registrations:
        kind, due_time = due[registration.event_id]
        if registration.created_at < due_time:
            todo.append(
                (registration, kind, reminder_key(registration, kind, registration.event.starts_at))
            )
    sent = mail.keys_known(key for *_, key in todo)
    messages = [
        _reminder(registration, kind, key) for registration, kind, key in todo if key not in sent
    ]
    with transaction.atomic():
        mail.send_all_on_commit(messages)
    return len(messages)


def _reminder(registration: Registration, kind: str, key: str) -> dict:
    event, person = registration.event, registration.person
    return {
        "name": "event_reminder",
        "to": [person.email],
        "language": person.preferred_language,
        "key": key,
        "context": {
            "kind": kind,
            "registration": registration,
            "event": event,
            "person": person,
            "ticket_url": mail.absolute_url(reverse("me:ticket", args=[registration.ticket_code])),
            "manage_url": mail.absolute_url(reverse("events:detail", args=[event.slug])),
        },
    }
