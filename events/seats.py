"""Seats: how many places are left for whom, with per-chamber seat allocations.

A co-organised event (a trade mission of 20 seats, say) may keep 5 seats for the members of each
co-organising chamber until its pooling date (Event.pooling_at); after it, unused reserved seats
are open to every alliance member. A registration counts against the allocation of the member's
home chamber (Registration.member_terms_chamber); non-members and members of chambers without an
allocation use the pool: the capacity less every allocation (less what each chamber used of it).

For a member of a chamber with an allocation, the places left are
    max(reserved - used, 0)  +  max(capacity - taken - unused reservations, 0)
and for anyone else only the second term. After the pooling date (or with no allocation) it is
the ordinary capacity less places taken.

Writers hold the event's row lock first (events.services._lock_event) and then lock the event's
allocation rows ordered by chamber (`allowance(event, lock=True)`): the one fixed order, so two
requests never wait on each other the other way round. events/services.py asks this module
whether a place is free for a person; events/allocations.py changes the allocations.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.base.models import DomainError
from events.models import Event, Registration, RegistrationState, SeatAllocation


@dataclass
class Allowance:
    """Where an event's places stand, per chamber allocation, at one moment."""

    capacity: int
    reserved: dict[int, int]
    used: dict[int | None, int] = field(default_factory=dict)

    @property
    def taken(self) -> int:
        return sum(self.used.values())

    @property
    def unused_reservations(self) -> int:
        return sum(
            max(places - self.used.get(chamber, 0), 0) for chamber, places in self.reserved.items()
        )

    @property
    def pool_left(self) -> int:
        """Free places anyone may take (not reserved for a chamber)."""
        return max(self.capacity - self.taken - self.unused_reservations, 0)

    def own_left(self, chamber_id: int | None) -> int:
        """Free places reserved for members of `chamber_id`."""
        if chamber_id not in self.reserved:
            return 0
        return max(self.reserved[chamber_id] - self.used.get(chamber_id, 0), 0)

    def left_for(self, chamber_id: int | None) -> int:
        return self.own_left(chamber_id) + self.pool_left

    def take(self, chamber_id: int | None) -> None:
        self.used[chamber_id] = self.used.get(chamber_id, 0) + 1


def holds(event: Event, now: datetime.datetime | None = None) -> bool:
    """Allocations hold (before the pooling date, on an event with a capacity)."""
    if event.capacity is None:
        return False
    now = now or timezone.now()
    return event.pooling_at is None or now < event.pooling_at


def allowance(event: Event, *, now=None, lock: bool = False) -> Allowance | None:
    """The event's Allowance while allocations hold, else None (the ordinary capacity rule).

    With `lock`, the allocation rows are locked, ordered by chamber: the caller already holds the
    event's lock (the fixed order is event, then its allocations).
    """
    if not holds(event, now):
        return None
    allocations = SeatAllocation.objects.filter(event=event).order_by("chamber_id")
    if lock:
        allocations = allocations.select_for_update()
    reserved = dict(allocations.values_list("chamber_id", "places"))
    if not reserved:
        return None
    used = dict(
        event.registrations.taking_capacity()
        .order_by()
        .values_list("member_terms_chamber")
        .annotate(n=Count("pk"))
        .values_list("member_terms_chamber", "n")
    )
    return Allowance(capacity=event.capacity, reserved=reserved, used=used)


def place_free(event: Event, chamber_id: int | None) -> bool:
    """Whether a newcomer counted against `chamber_id` gets a place now (under the event's lock,
    after waiting_list_promote passed free places on).

    Without allocations: strictly in order, a newcomer waits while anyone is in line. With them:
    whoever is still waiting after the promotion has no place of their own nor in the pool, so a
    newcomer with a place left (in their chamber's reservation or the pool) takes it.
    """
    state = allowance(event, lock=True)
    if state is None:
        return not event.registrations.in_line().exists() and (
            event.capacity is None or event.places_taken() < event.capacity
        )
    return state.left_for(chamber_id) > 0


def next_in_line(event: Event, waiting) -> list[Registration]:
    """Who on the waiting list (ordered, locked) gets the free places now, first in line first;
    with allocations, each only where a place is left for their chamber."""
    state = allowance(event, lock=True)
    if state is None:
        free = event.places_left()
        return list(waiting[: free if free is not None else None])
    chosen = []
    for registration in waiting:
        if state.pool_left == 0 and not any(state.own_left(chamber) for chamber in state.reserved):
            break
        if state.left_for(registration.member_terms_chamber_id) > 0:
            state.take(registration.member_terms_chamber_id)
            chosen.append(registration)
    return chosen


def places_left_for(
    event: Event, chamber_id: int | None, *, taken: int | None = None
) -> int | None:
    """How many places a person counted against `chamber_id` can still take (None: unlimited)."""
    state = allowance(event)
    if state is None:
        return event.places_left(taken=taken)
    return state.left_for(chamber_id)


def refuse_capacity_below_reserved(event: Event, capacity: int | None) -> None:
    """A capacity keeps room for the allocations (the caller holds the event's lock)."""
    reserved = sum(event.seat_allocations.values_list("places", flat=True))
    if not reserved:
        return
    if capacity is None or capacity < reserved:
        raise DomainError(
            _(
                "Er zijn %(reserved)s plaatsen voorbehouden voor kamers: kies een capaciteit van "
                "minstens %(reserved)s, of verlaag eerst de plaatsen per kamer."
            )
            % {"reserved": reserved},
            code="capacity_below_allocations",
            field="capacity",
        )


def allocations_with_use(event: Event):
    """The event's allocations with their chamber and `used` (registrations taking a place
    whose member's home chamber it is), in one query."""
    used = (
        Registration.objects.taking_capacity()
        .filter(event=OuterRef("event"), member_terms_chamber=OuterRef("chamber"))
        .order_by()
        .values("member_terms_chamber")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        SeatAllocation.objects.filter(event=event)
        .select_related("chamber")
        .annotate(used=Coalesce(Subquery(used), 0))
        .order_by("chamber__name", "pk")
    )


def state_for(event: Event, state: str, left: int | None, *, allocated: bool) -> str:
    """Event.registration_state for one person: with allocations, a newcomer whose chamber (or
    the pool) has a place left registers even when others wait, and waits when only other
    chambers' reserved seats are free."""
    if not allocated or state not in (RegistrationState.OPEN, RegistrationState.WAITING_LIST):
        return state
    if left:
        return RegistrationState.OPEN
    return RegistrationState.WAITING_LIST if event.has_waiting_list else RegistrationState.FULL
