"""Reads for the event pages."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from events.models import DelegationQuota, Event, Registration
from events.rules import terms_for
from members.models import Person
from members.selectors import member_terms_chamber_ids


def live_registration(event: Event, person: Person | None) -> Registration | None:
    """The person's registration that still counts; none at a cancelled event."""
    if person is None or event.status == Event.Status.CANCELLED:
        return None
    return event.registrations.live().filter(person=person).first()


def public_events():
    """What visitors and members may see: published and cancelled (to explain), never drafts."""
    return Event.objects.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])


def member_chambers_of(person: Person | None) -> dict:
    """{chamber id: home chamber} where `person`'s company gets member terms (one query)."""
    return member_terms_chamber_ids(person.company if person else None)


def priced_for(events, member_chambers: dict) -> list[Event]:
    """Events from .for_listing() with `.terms` (the viewer's price), `.left` (places left) and
    `.state` (Event.registration_state), with no query per event."""
    events = list(events)
    for event in events:
        event.terms = terms_for(event, None, member_chambers=member_chambers)
        event.left = event.places_left(taken=event.places_taken_count)
        event.state = event.registration_state()
    return events


def quotas_with_use(event: Event):
    """The event's delegation quotas with their partner and `used`: the live registrations the
    partner made through the API (one query, however many partners)."""
    used = (
        Registration.objects.live()
        .filter(event=OuterRef("event"), partner=OuterRef("partner"))
        .order_by()
        .values("partner")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        DelegationQuota.objects.filter(event=event)
        .select_related("partner")
        .annotate(used=Coalesce(Subquery(used), 0))
        .order_by("partner__name", "pk")
    )


def bookable_colleagues(event: Event, company):
    """The company's people with an e-mail address and no live registration for `event`: whom
    its admin may book (events.bookings)."""
    registered = event.registrations.live().values("person_id")
    return (
        company.people.exclude(email="")
        .exclude(pk__in=registered)
        .order_by("last_name", "first_name", "pk")
    )
