"""Calendar files that add, update and cancel in the common clients (issue 11): METHOD, a UID
per registration that stays the same, and a SEQUENCE that only grows."""

import pytest
from django.core import mail
from icalendar import Calendar

from events import services

pytestmark = pytest.mark.django_db


def the_ics(message):
    [(filename, content, mimetype)] = message.attachments
    assert mimetype == "text/calendar" and filename.endswith(".ics")
    calendar = Calendar.from_ical(content)
    [entry] = calendar.walk("VEVENT")
    return calendar, entry


def test_a_registration_adds_then_a_cancellation_removes_the_same_entry(
    event, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(event=event, person=person)
    calendar, entry = the_ics(mail.outbox[0])
    assert calendar["method"] == "REQUEST"
    assert str(entry["uid"]) == f"registration-{registration.pk}@alliantie-portaal"
    assert str(entry["attendee"]) == f"mailto:{person.email}"
    assert str(entry["organizer"]).startswith("mailto:")
    first_sequence = int(entry["sequence"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=registration)
    calendar, entry = the_ics(mail.outbox[0])
    assert calendar["method"] == "CANCEL"
    assert str(entry["uid"]) == f"registration-{registration.pk}@alliantie-portaal"
    assert entry["status"] == "CANCELLED"
    assert int(entry["sequence"]) > first_sequence


def test_a_cancelled_event_sends_cancel_for_each_ticket(
    event, person, event_manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(event=event, person=person)
    _, request = the_ics(mail.outbox[0])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=event, actor=event_manager)
    calendar, entry = the_ics(mail.outbox[0])
    assert calendar["method"] == "CANCEL"
    assert entry["uid"] == request["uid"] == f"registration-{registration.pk}@alliantie-portaal"
    assert int(entry["sequence"]) > int(request["sequence"])


def test_feeds_and_the_event_file_publish(client, event):
    for url in (f"/events/{event.slug}/agenda.ics", "/events/agenda.ics"):
        calendar = Calendar.from_ical(client.get(url).content)
        assert calendar["method"] == "PUBLISH", url
