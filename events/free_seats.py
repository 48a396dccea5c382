"""Free seats of a membership tier: e.g. two free trainings a year for a chamber's "premium".

A company whose active membership (at its home chamber, with its tier) includes free seats
(members.FreeSeatAllowance of that chamber and tier, for the event's kind or for any kind)
registers for free as long as fewer of its live registrations (not cancelled) took a free seat
for events (of that kind) starting in the same calendar year. A cancelled free seat therefore
comes back by itself. Only on member terms and for an event that costs something.

registration_create claims the seat under the event's lock and then the membership's row lock
(the fixed order: event, its allocations, the membership), so that two registrations of one
company for two events cannot take its last free seat together.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from events.models import Event, Registration
from events.rules import Terms
from members.models import Company, FreeSeatAllowance, Membership


@dataclass(frozen=True)
class FreeSeats:
    """A company's free seats for one event: how many its tier gives that year, and used."""

    seats: int
    used: int
    year: int

    @property
    def left(self) -> int:
        return max(self.seats - self.used, 0)


def _membership(company: Company | None, terms: Terms, *, lock: bool):
    if company is None or not terms.member_terms or terms.via_chamber is None:
        return None
    memberships = Membership.objects.filter(
        company=company, chamber=terms.via_chamber, status=Membership.Status.ACTIVE
    )
    if lock:
        memberships = memberships.select_for_update()
    return memberships.first()


def free_seats_for(
    event: Event, company: Company | None, terms: Terms, *, lock: bool = False
) -> FreeSeats | None:
    """The company's free seats for `event`, or None when its tier gives none (or the event is
    free anyway, or the company is no member)."""
    if terms.price <= 0:
        return None
    membership = _membership(company, terms, lock=lock)
    if membership is None:
        return None
    allowances = FreeSeatAllowance.objects.filter(
        Q(event_kind=event.kind) | Q(event_kind=""),
        chamber_id=membership.chamber_id,
        tier=membership.tier,
    ).order_by("-event_kind")  # the event's own kind before "any kind"
    allowance = allowances.first()
    if allowance is None:
        return None
    year = timezone.localtime(event.starts_at).year
    used = Registration.objects.live().filter(
        company=company, free_seat=True, event__starts_at__year=year
    )
    if allowance.event_kind:
        used = used.filter(event__kind=allowance.event_kind)
    return FreeSeats(seats=allowance.seats, used=used.count(), year=year)


def price_for(
    event: Event, company: Company | None, terms: Terms, *, lock: bool = False
) -> tuple[Decimal, bool]:
    """(price, free seat?) for a registration made now: 0 and True while a free seat is left."""
    seats = free_seats_for(event, company, terms, lock=lock)
    if seats is not None and seats.left:
        return Decimal("0.00"), True
    return terms.price, False
