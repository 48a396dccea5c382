"""Reminders two days and two hours before an event, at the right local times in Brussels.

The clocks go forward on Sunday 29 March 2026 (02:00 → 03:00) and back on Sunday 25 October 2026
(03:00 → 02:00). An event at 10:00 on such a Sunday is reminded at 10:00 on the Friday (the
same wall-clock time, 47 or 49 hours earlier) and at 08:00 on the day itself.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from events import reminders
from events.models import Event, Registration
from events.tasks import send_due_reminders
from tests.factories import EventFactory, PersonFactory, RegistrationFactory
from tests.query_counts import assert_query_count

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
UTC = datetime.UTC


def brussels(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BRUSSELS)


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    "starts_at, two_days, two_hours",
    [
        # Spring: the event is in summer time (UTC+2), Friday still in winter time (UTC+1).
        (brussels(2026, 3, 29, 10, 0), utc(2026, 3, 27, 9, 0), utc(2026, 3, 29, 6, 0)),
        # Autumn: the event is in winter time (UTC+1), Friday still in summer time (UTC+2).
        (brussels(2026, 10, 25, 10, 0), utc(2026, 10, 23, 8, 0), utc(2026, 10, 25, 7, 0)),
        # An evening event two days after the change: the two-day reminder falls on the Sunday.
        (brussels(2026, 3, 31, 19, 30), utc(2026, 3, 29, 17, 30), utc(2026, 3, 31, 15, 30)),
        # No change in between: 48 hours.
        (brussels(2026, 11, 26, 14, 0), utc(2026, 11, 24, 13, 0), utc(2026, 11, 26, 11, 0)),
    ],
    ids=["spring-forward", "fall-back", "evening-after-change", "no-change"],
)
def test_reminders_fall_at_the_same_local_time_across_a_daylight_saving_change(
    starts_at, two_days, two_hours
):
    due_two_days = reminders.due_at(starts_at, reminders.TWO_DAYS)
    due_two_hours = reminders.due_at(starts_at, reminders.TWO_HOURS)

    assert (due_two_days, due_two_hours) == (two_days, two_hours)
    local = due_two_days.astimezone(BRUSSELS)
    start = starts_at.astimezone(BRUSSELS)
    assert (local.time(), local.date()) == (start.time(), start.date() - datetime.timedelta(2))
    assert starts_at - due_two_hours == datetime.timedelta(hours=2)


def test_forty_eight_hours_would_be_an_hour_off_across_the_change():
    # As the database returns it: in UTC, where subtracting hours subtracts elapsed time.
    starts_at = brussels(2026, 3, 29, 10, 0).astimezone(UTC)
    naive = (starts_at - datetime.timedelta(hours=48)).astimezone(BRUSSELS)
    assert naive.strftime("%a %H:%M") == "Fri 09:00", "what a plain 48 hours gives"
    right = reminders.due_at(starts_at, reminders.TWO_DAYS).astimezone(BRUSSELS)
    assert right.strftime("%a %H:%M") == "Fri 10:00"


def test_a_wall_clock_time_that_does_not_exist_moves_an_hour_later():
    # Two days before Tuesday 31 March 02:30 is Sunday 29 March 02:30, which the clocks skip.
    due = reminders.due_at(brussels(2026, 3, 31, 2, 30), reminders.TWO_DAYS)
    assert due.astimezone(BRUSSELS).strftime("%a %d %H:%M %Z") == "Sun 29 03:30 CEST"


@pytest.fixture
def spring_event(kempen, centre):
    """An event at 10:00 on the Sunday the clocks go forward, registered for in February."""
    return EventFactory(
        title="Innovatieforum",
        slug="innovatieforum-lente",
        organiser=kempen,
        centre=centre,
        starts_at=brussels(2026, 3, 29, 10, 0),
        ends_at=brussels(2026, 3, 29, 17, 0),
    )


def register(event, *, status=Registration.Status.CONFIRMED, on=None, **person):
    """A registration made on `on` (early February unless said otherwise)."""
    registration = RegistrationFactory(
        event=event,
        person=PersonFactory(**person),
        status=status,
        waiting_list_position=1 if status == Registration.Status.WAITLISTED else None,
        cancelled_at=brussels(2026, 2, 5) if status == Registration.Status.CANCELLED else None,
    )
    Registration.objects.filter(pk=registration.pk).update(created_at=on or brussels(2026, 2, 1))
    return registration


def run_at(moment, django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return reminders.send_due_reminders(now=moment)


def test_the_scan_sends_each_reminder_at_its_local_time_once(
    spring_event, django_capture_on_commit_callbacks
):
    els = register(spring_event, first_name="Els", email="els@example.be")
    register(spring_event, status=Registration.Status.WAITLISTED, email="wacht@example.be")
    register(spring_event, status=Registration.Status.CANCELLED, email="weg@example.be")
    register(spring_event, on=brussels(2026, 3, 28, 9, 0), email="laat@example.be")

    # Friday 27 March, 09:59 in Brussels (winter time): nothing yet.
    assert run_at(brussels(2026, 3, 27, 9, 59), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    # 10:00, the same wall-clock time as the event two days later: Els, and only Els.
    assert run_at(brussels(2026, 3, 27, 10, 0), django_capture_on_commit_callbacks) == 1
    [two_days] = mail.outbox
    assert two_days.to == ["els@example.be"]
    assert two_days.subject == "Over twee dagen: Innovatieforum"
    assert "zo 29 mrt. 2026, 10:00" in two_days.body
    # The beat comes again five minutes later, and again: nothing twice.
    assert run_at(brussels(2026, 3, 27, 10, 5), django_capture_on_commit_callbacks) == 0
    assert run_at(brussels(2026, 3, 28, 10, 0), django_capture_on_commit_callbacks) == 0

    # Sunday 29 March (summer time since 03:00): 07:59 nothing, 08:00 the two-hour reminder,
    # now also for whoever registered on Saturday, before it was due.
    assert run_at(brussels(2026, 3, 29, 7, 59), django_capture_on_commit_callbacks) == 0
    assert run_at(brussels(2026, 3, 29, 8, 0), django_capture_on_commit_callbacks) == 2
    two_hours = {message.to[0]: message for message in mail.outbox[1:]}
    assert set(two_hours) == {"els@example.be", "laat@example.be"}
    assert two_hours["els@example.be"].subject == "Straks, om 10:00: Innovatieforum"
    assert f"/me/tickets/{els.ticket_code}/" in two_hours["els@example.be"].body
    assert run_at(brussels(2026, 3, 29, 9, 55), django_capture_on_commit_callbacks) == 0
    assert run_at(brussels(2026, 3, 29, 10, 5), django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 3


def test_the_autumn_reminder_falls_at_ten_in_summer_time(
    kempen, centre, django_capture_on_commit_callbacks
):
    event = EventFactory(
        organiser=kempen,
        starts_at=brussels(2026, 10, 25, 10, 0),
        ends_at=brussels(2026, 10, 25, 12, 0),
    )
    register(event, email="els@example.be", on=brussels(2026, 10, 1))
    assert run_at(brussels(2026, 10, 23, 9, 59), django_capture_on_commit_callbacks) == 0
    assert run_at(brussels(2026, 10, 23, 10, 0), django_capture_on_commit_callbacks) == 1
    assert brussels(2026, 10, 23, 10, 0) == utc(2026, 10, 23, 8, 0)


def test_reminders_are_in_the_recipients_language(spring_event, django_capture_on_commit_callbacks):
    register(spring_event, email="claire@example.be", preferred_language="fr")
    run_at(brussels(2026, 3, 27, 10, 0), django_capture_on_commit_callbacks)
    [message] = mail.outbox
    # Rendered in French: Django's own French day and month names in the date.
    assert "dim 29 mar. 2026, 10:00" in message.body


def test_a_missed_reminder_is_caught_up_but_not_after_the_next_one_is_due(
    spring_event, django_capture_on_commit_callbacks
):
    register(spring_event, email="els@example.be")
    # The beat was down on Friday; on Saturday evening the two-day reminder still goes out.
    assert run_at(brussels(2026, 3, 28, 20, 0), django_capture_on_commit_callbacks) == 1
    assert mail.outbox[0].subject.startswith("Over twee dagen")


def test_a_stale_two_day_reminder_gives_way_to_the_two_hour_one(
    spring_event, django_capture_on_commit_callbacks
):
    register(spring_event, email="els@example.be")
    assert run_at(brussels(2026, 3, 29, 8, 30), django_capture_on_commit_callbacks) == 1
    assert mail.outbox[0].subject.startswith("Straks")


def test_cancelled_and_draft_events_remind_nobody(spring_event, django_capture_on_commit_callbacks):
    register(spring_event, email="els@example.be")
    for status in (Event.Status.CANCELLED, Event.Status.DRAFT):
        Event.objects.filter(pk=spring_event.pk).update(status=status)
        assert run_at(brussels(2026, 3, 27, 10, 0), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_a_moved_event_is_reminded_again_at_its_new_time(
    spring_event, django_capture_on_commit_callbacks
):
    register(spring_event, email="els@example.be")
    run_at(brussels(2026, 3, 27, 10, 0), django_capture_on_commit_callbacks)
    Event.objects.filter(pk=spring_event.pk).update(
        starts_at=brussels(2026, 3, 29, 14, 0), ends_at=brussels(2026, 3, 29, 17, 0)
    )
    assert run_at(brussels(2026, 3, 27, 13, 59), django_capture_on_commit_callbacks) == 0
    assert run_at(brussels(2026, 3, 27, 14, 0), django_capture_on_commit_callbacks) == 1
    assert "14:00" in mail.outbox[-1].body


def test_the_scan_takes_the_same_queries_for_few_or_many_people(
    kempen, django_capture_on_commit_callbacks
):
    def remind(people: int, starts_at) -> None:
        event = EventFactory(organiser=kempen, starts_at=starts_at)
        for n in range(people):
            register(event, email=f"persoon{people}-{n}@example.be")
        # Events, registrations with their people, keys already sent (and a savepoint).
        with (
            assert_query_count("events.reminders.send_due_reminders"),
            django_capture_on_commit_callbacks(execute=False) as enqueued,
        ):
            sent = reminders.send_due_reminders(now=reminders.due_at(starts_at, "2d"))
        assert sent == len(enqueued) == people

    remind(3, brussels(2026, 3, 29, 10, 0))
    remind(15, brussels(2026, 4, 29, 10, 0))


def test_the_periodic_task_runs_the_scan_now(kempen, django_capture_on_commit_callbacks):
    from django.utils import timezone

    event = EventFactory(
        organiser=kempen, starts_at=timezone.now() + datetime.timedelta(hours=1, minutes=30)
    )
    register(event, email="els@example.be", on=timezone.now() - datetime.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders.delay().get() == 1
    assert mail.outbox[0].subject.startswith("Straks")
