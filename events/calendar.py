"""iCalendar (.ics) files: one event, a filtered list, a person's own registrations."""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar
from icalendar import Event as CalendarEntry

from events.models import Event


def _entry(event: Event, *, status: str | None = None) -> CalendarEntry:
    entry = CalendarEntry()
    entry.add("uid", f"event-{event.pk}@alliantie-portaal")
    entry.add("summary", event.title)
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("dtstamp", event.updated_at)
    place = ", ".join(part for part in (event.venue, event.city, event.country) if part)
    entry.add("location", place)
    entry.add("url", settings.PORTAL_URL + reverse("events:detail", args=[event.slug]))
    entry.add("description", event.description)
    entry.add("organizer", f"mailto:{event.organiser.email}" if event.organiser.email else "")
    if event.status == Event.Status.CANCELLED:
        entry.add("status", "CANCELLED")
    elif status:
        entry.add("status", status)
    return entry


def calendar_for(events: Iterable[Event], *, name: str) -> bytes:
    """A calendar with one entry per event (use Event.objects...for_listing() to avoid N+1)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Alliantie van Kamers van Koophandel//Portaal//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_entry(event))
    return calendar.to_ical()


def calendar_file(event: Event) -> bytes:
    return calendar_for([event], name=event.title)
