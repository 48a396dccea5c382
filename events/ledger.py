"""The settlement ledger: which chamber served whose members, for how much, per period.

An entry for every registration that got a place (confirmed, attended or no-show) and every
service request a competence centre completed:

- the serving chamber: the event's organiser, or the centre's lead chamber;
- the member's home chamber at that date (members.selectors.home_chamber_at: the membership
  whose period covers the event's start, or the request's completion; None for a non-member);
- the amount charged: what the organiser invoiced for the registration, less its credit notes
  (invoicing/, excluding VAT); the registration's price after free seats (events/free_seats.py)
  where the organiser does not invoice through the portal. A registration cancelled late keeps
  an entry for the fee its credit note held back. A service request has no price in the portal
  and counts 0 (its number still counts).

The entries are read from the registrations, requests and invoices themselves (no second copy
that could drift). The balance between two chambers is what
each served the other's members: A served B's members for X, B served A's for Y, so B owes A
X - Y. Registrations of a chamber's own members, and of non-members, are entries but no balance.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, DecimalField, F, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chambers.models import Chamber
from events.models import Registration
from invoicing.models import Invoice
from members.models import ServiceRequest
from members.selectors import home_chamber_at

PLACED = ("confirmed", "attended", "no_show")


class Kind:
    REGISTRATION = "registration"
    SERVICE_REQUEST = "service_request"


KIND_NAMES = {
    Kind.REGISTRATION: _("Inschrijving"),
    Kind.SERVICE_REQUEST: _("Vraag aan een competentiecentrum"),
}


@dataclass(frozen=True)
class Entry:
    kind: str
    pk: int
    on: datetime.date
    serving_id: int
    home_id: int | None
    company: str
    subject: str
    amount: Decimal


def _bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return since, until


def _invoiced_net() -> Subquery:
    """A registration's invoices less its credit notes, excluding VAT; None if never invoiced."""
    signed = Case(When(kind=Invoice.Kind.CREDIT_NOTE, then=-F("total_net")), default=F("total_net"))
    return Subquery(
        Invoice.objects.filter(source_kind=Invoice.Source.REGISTRATION, source_id=OuterRef("pk"))
        .order_by()
        .values("source_id")
        .annotate(net=Sum(signed))
        .values("net")[:1],
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


def entries(
    start: datetime.date, end: datetime.date, chamber_ids: list[int] | None = None
) -> list[Entry]:
    """The period's entries (from `start` to `end`, both included, Brussels dates), oldest first;
    for `chamber_ids`, those where one of them served or is the home chamber. Two queries."""
    since, until = _bounds(start, end)
    registrations = (
        Registration.objects.filter(event__starts_at__gte=since, event__starts_at__lt=until)
        .annotate(invoiced=_invoiced_net())
        .filter(Q(status__in=PLACED) | Q(invoiced__gt=0))
        .annotate(on=TruncDate("event__starts_at"), serving_id=F("event__organiser_id"))
        .annotate(home_id=home_chamber_at(OuterRef("company_id"), OuterRef("on")))
        .annotate(charged=Coalesce("invoiced", "price"))
        .values_list(
            "pk", "on", "serving_id", "home_id", "company__name", "event__title", "charged"
        )
    )
    requests = (
        ServiceRequest.objects.filter(
            status=ServiceRequest.Status.DONE, closed_at__gte=since, closed_at__lt=until
        )
        .annotate(on=TruncDate("closed_at"), serving_id=F("centre__lead_chamber_id"))
        .annotate(home_id=home_chamber_at(OuterRef("company_id"), OuterRef("on")))
        .values_list("pk", "on", "serving_id", "home_id", "company__name", "centre__name")
    )
    if chamber_ids is not None:
        scope = Q(serving_id__in=chamber_ids) | Q(home_id__in=chamber_ids)
        registrations = registrations.filter(scope)
        requests = requests.filter(scope)
    rows = [
        Entry(Kind.REGISTRATION, pk, on, serving, home, company, subject, price)
        for pk, on, serving, home, company, subject, price in registrations
    ]
    rows += [
        Entry(Kind.SERVICE_REQUEST, pk, on, serving, home, company, subject, Decimal("0.00"))
        for pk, on, serving, home, company, subject in requests
    ]
    return sorted(rows, key=lambda entry: (entry.on, entry.kind, entry.pk))


@dataclass(frozen=True)
class Balance:
    """Between chambers `a` and `b` (a.pk < b.pk): what each served the other's members."""

    a: Chamber
    b: Chamber
    a_served_b: Decimal
    a_served_b_count: int
    b_served_a: Decimal
    b_served_a_count: int

    @property
    def net(self) -> Decimal:
        """Positive: b owes a; negative: a owes b."""
        return self.a_served_b - self.b_served_a


def balances(rows: list[Entry]) -> list[Balance]:
    """The balance of every pair of chambers with entries between them (one query for names)."""
    served = defaultdict(lambda: [Decimal("0.00"), 0])
    for entry in rows:
        if entry.home_id is None or entry.home_id == entry.serving_id:
            continue
        cell = served[(entry.serving_id, entry.home_id)]
        cell[0] += entry.amount
        cell[1] += 1
    pairs = sorted({tuple(sorted(pair)) for pair in served})
    chambers = Chamber.objects.in_bulk({pk for pair in pairs for pk in pair})
    result = []
    for a, b in pairs:
        ab = served.get((a, b), [Decimal("0.00"), 0])
        ba = served.get((b, a), [Decimal("0.00"), 0])
        result.append(Balance(chambers[a], chambers[b], ab[0], ab[1], ba[0], ba[1]))
    return result


def chamber_names(rows: list[Entry]) -> dict[int, str]:
    ids = {entry.serving_id for entry in rows} | {entry.home_id for entry in rows if entry.home_id}
    return dict(Chamber.objects.filter(pk__in=ids).values_list("pk", "short_name"))


def header() -> list[str]:
    return [
        str(_("Datum")),
        str(_("Soort")),
        str(_("Kamer die diende")),
        str(_("Thuiskamer")),
        str(_("Onderneming")),
        str(_("Waarvoor")),
        str(_("Bedrag (EUR)")),
    ]


def export_rows(rows: list[Entry]) -> list[tuple]:
    """The entries as a table (header first) for CSV and XLSX: Python types, text safe."""
    names = chamber_names(rows)
    table = [tuple(header())]
    for entry in rows:
        table.append(
            (
                entry.on,
                str(KIND_NAMES[entry.kind]),
                names.get(entry.serving_id, ""),
                names.get(entry.home_id, "") if entry.home_id else "",
                entry.company,
                entry.subject,
                entry.amount,
            )
        )
    return table
