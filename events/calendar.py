"""iCalendar (.ics) files: one event, a filtered list, a person's own registrations, and the file
an e-mail carries for one registration.

Feeds and the event's own file are METHOD:PUBLISH with one UID per event. The file in a
registration's e-mails is an iTIP message (RFC 5546) with a UID of its own per registration
(stable: the same entry is added, updated and removed): METHOD:REQUEST when the person has a
place, METHOD:CANCEL when the registration or the event is cancelled, and a SEQUENCE that only
grows (the last change of the event or the registration, in seconds), so that Outlook, Google
and Apple calendars replace or remove the entry instead of keeping the old one.
"""

from collections.abc import Iterable
from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as CalendarEntry

from events.models import Event, Registration


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


PRODID = "-//Alliantie van Kamers van Koophandel//Portaal//NL"


def calendar_for(events: Iterable[Event], *, name: str) -> bytes:
    """A calendar with one entry per event (use Event.objects...for_listing() to avoid N+1)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_entry(event))
    return calendar.to_ical()


def calendar_file(event: Event) -> bytes:
    return calendar_for([event], name=event.title)


def registration_uid(registration: Registration) -> str:
    return f"registration-{registration.pk}@alliantie-portaal"


def registration_sequence(registration: Registration) -> int:
    """Grows with every change of the event or the registration."""
    event = registration.event
    return int(max(event.updated_at, registration.updated_at).timestamp())


def registration_file(registration: Registration, *, cancel: bool = False) -> bytes:
    """The iTIP message for one registration's e-mail: REQUEST (add or update), or CANCEL."""
    event = registration.event
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    entry = _entry(event, status="CANCELLED" if cancel else "CONFIRMED")
    entry.pop("uid")
    entry.add("uid", registration_uid(registration))
    # A cancellation outranks the last request even within the same second.
    entry.add("sequence", registration_sequence(registration) + (1 if cancel else 0))
    organiser_email = event.organiser.email or settings.DEFAULT_FROM_EMAIL
    entry.pop("organizer")
    organizer = vCalAddress(f"mailto:{parseaddr(organiser_email)[1]}")
    organizer.params["cn"] = vText(event.organiser.name)
    entry.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{registration.person.email}")
    attendee.params["cn"] = vText(registration.person.full_name)
    attendee.params["partstat"] = vText("DECLINED" if cancel else "ACCEPTED")
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    entry.add("attendee", attendee)
    calendar.add_component(entry)
    return calendar.to_ical()
