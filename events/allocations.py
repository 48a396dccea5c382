"""Per-chamber seat allocations: staff reserve seats of an event for one chamber's members.

The rules (who has how many places left) are events/seats.py. Every write here takes the
registration services' locks in their fixed order (the event's row, then its allocation rows by
chamber) and passes places it frees on to the waiting list through the same service
(events.services.waiting_list_promote). Audited: SeatAllocation and Event are tracked models.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.base.models import DomainError
from chambers.models import Chamber
from events import services
from events.models import Event, Registration, SeatAllocation


def allocation_chambers(event: Event):
    """The chambers that may get an allocation: the organiser and the co-organisers."""
    co_organised = Event.co_organisers.through.objects.filter(event=event).values("chamber_id")
    return Chamber.objects.filter(pk__in=[event.organiser_id]) | Chamber.objects.filter(
        pk__in=co_organised
    )


def _locked(event: Event, actor) -> Event:
    event = services._lock_event(event)
    services._refuse_unless_event_manager(actor, event)
    services._refuse_if_cancelled(event)
    list(SeatAllocation.objects.filter(event=event).order_by("chamber_id").select_for_update())
    return event


def allocation_set(*, event: Event, chamber: Chamber, places: int, actor) -> SeatAllocation:
    """Reserve `places` of the event for the members of `chamber` (new, or changed).

    The organiser or a co-organiser; the event has a capacity, and all allocations together fit
    in it. A reservation below what the chamber's members already hold is refused (set it to
    that number to stop reserving more).
    """
    if places < 1:
        raise DomainError(
            _("Geef minstens één plaats, of verwijder de plaatsen van deze kamer."),
            code="allocation_places",
            field="places",
        )
    with transaction.atomic():
        event = _locked(event, actor)
        if not allocation_chambers(event).filter(pk=chamber.pk).exists():
            raise DomainError(
                _("Enkel de organiserende en co-organiserende kamers krijgen plaatsen."),
                code="not_an_organiser",
                field="chamber",
            )
        if event.capacity is None:
            raise DomainError(
                _("Deze activiteit heeft onbeperkt plaatsen: geef eerst een capaciteit."),
                code="unlimited_event",
                field="places",
            )
        others = sum(
            event.seat_allocations.exclude(chamber=chamber).values_list("places", flat=True)
        )
        if others + places > event.capacity:
            raise DomainError(
                _(
                    "Er zijn %(capacity)s plaatsen en al %(others)s voorbehouden voor andere "
                    "kamers: geef hoogstens %(most)s."
                )
                % {
                    "capacity": event.capacity,
                    "others": others,
                    "most": max(event.capacity - others, 0),
                },
                code="allocations_beyond_capacity",
                field="places",
            )
        allocation, _created = SeatAllocation.objects.update_or_create(
            event=event, chamber=chamber, defaults={"places": places}
        )
        # A smaller reservation frees pool places: the waiting list gets them.
        _promote(event)
    return allocation


def allocation_remove(*, allocation: SeatAllocation, actor) -> None:
    """No more seats reserved for this chamber: its unused ones join the pool."""
    with transaction.atomic():
        event = _locked(allocation.event, actor)
        SeatAllocation.objects.filter(pk=allocation.pk).delete()
        _promote(event)


def pooling_set(*, event: Event, pooling_at: datetime.datetime | None, actor) -> Event:
    """Set when unused reserved seats open to everyone (None: when registration closes)."""
    with transaction.atomic():
        event = _locked(event, actor)
        if pooling_at is not None and pooling_at > event.starts_at:
            raise DomainError(
                _("De plaatsen komen ten laatste bij het begin van de activiteit vrij."),
                code="pooling_after_start",
                field="pooling_at",
            )
        event.pooling_at = pooling_at
        event.save(update_fields=["pooling_at", "updated_at"])
        _promote(event)
    return event


def _promote(event: Event) -> None:
    if event.status == Event.Status.PUBLISHED:
        services.waiting_list_promote(event=event)


def pool_due(*, now=None) -> int:
    """Pass the seats of allocations whose pooling date passed on to the waiting list (a
    scheduled task, every five minutes; idempotent: nothing happens where nobody waits or no
    place is free). Each event in its own transaction, under its lock. Returns how many people
    got a place or an offer."""

    now = now or timezone.now()
    due = (
        Event.objects.filter(
            status=Event.Status.PUBLISHED,
            pooling_at__lte=now,
            starts_at__gt=now,
            registrations__status=Registration.Status.WAITLISTED,
        )
        .filter(pk__in=SeatAllocation.objects.values("event_id"))
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    count = 0
    for event_id in list(due):
        with transaction.atomic():
            event = services._lock_event(Event(pk=event_id))
            count += len(services.waiting_list_promote(event=event))
    return count
