"""The alliance's figures, per chamber or for the alliance as a whole: aggregate queries only.

Used by the back-office's figures and dashboard (alliance/staff/) and by the REST API's
statistics (alliance/api.py). Every function takes `chamber_ids`: the chambers to count for; None
or empty means every chamber, the alliance as a whole (as for a partner's key that names no
chamber). Each returns plain rows (dicts of str, int, float, date), in a fixed order, with one or
two queries whatever the number of rows counted; no personal data, only counts.

Definitions, the same on every page and in every export:

- A registration *counts* when it got a place: confirmed, attended or no-show (PLACED). The
  waiting list and cancelled registrations do not.
- The *home chamber* of a registration is the chamber of the company's membership whose period
  covers the event's start (members.selectors.home_chamber_at): the same rule as the settlement
  ledger (events/ledger.py), so that a later change of membership does not rewrite history. A
  company without a membership then has no home chamber (None): a non-member. A member of a
  chamber outside the alliance has that chamber as home chamber.
- A membership is *due* in the period in which its valid_until falls, once that day has passed;
  it is *renewed* when the company has a later membership at the same chamber starting no more
  than RENEWAL_GRACE after it ended. Churn is due minus renewed.
- A chamber's events are the ones it organises (co-organisers are not counted twice).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncDate, TruncMonth, TruncQuarter, TruncYear
from django.utils import timezone

from chambers.models import Chamber
from events.models import Event, Registration
from members.models import JoinRequest, Membership, ServiceRequest
from members.selectors import home_chamber_at

PLACED = (
    Registration.Status.CONFIRMED,
    Registration.Status.ATTENDED,
    Registration.Status.NO_SHOW,
)
RENEWAL_GRACE = datetime.timedelta(days=92)
OPEN_REQUESTS = (
    ServiceRequest.Status.NEW,
    ServiceRequest.Status.ASSIGNED,
    ServiceRequest.Status.IN_PROGRESS,
)
PERIODS = ("year", "quarter", "month")


def _ids(chamber_ids: Iterable[int] | None) -> list[int] | None:
    """The chambers as a list, or None for all of them (None or empty)."""
    chamber_ids = list(chamber_ids) if chamber_ids is not None else []
    return chamber_ids or None


def _scoped(queryset, field: str, chamber_ids: Iterable[int] | None):
    chamber_ids = _ids(chamber_ids)
    if chamber_ids is None:
        return queryset
    return queryset.filter(**{f"{field}__in": chamber_ids})


def _rate(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide by (shown as "–", not as 0 %)."""
    return part / whole if whole else None


# --- periods --------------------------------------------------------------------------------------


def period_start(day: datetime.date, period: str) -> datetime.date:
    if period == "year":
        return day.replace(month=1, day=1)
    if period == "quarter":
        return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
    return day.replace(day=1)


def _previous(start: datetime.date, period: str) -> datetime.date:
    if period == "year":
        return start.replace(year=start.year - 1)
    months = 3 if period == "quarter" else 1
    month = start.month - months
    year = start.year
    if month < 1:
        month += 12
        year -= 1
    return start.replace(year=year, month=month)


def last_periods(on: datetime.date, period: str, count: int) -> list[datetime.date]:
    """The first days of the `count` periods up to the one containing `on`, oldest first."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    starts = [period_start(on, period)]
    while len(starts) < count:
        starts.append(_previous(starts[-1], period))
    return starts[::-1]


def period_label(start: datetime.date, period: str) -> str:
    """2025 · 2025 K3 · 2025-07"""
    if period == "year":
        return str(start.year)
    if period == "quarter":
        return f"{start.year} K{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


TRUNC = {"year": TruncYear, "quarter": TruncQuarter, "month": TruncMonth}


# --- members --------------------------------------------------------------------------------------


def members_by_chamber_and_tier(
    chamber_ids: Iterable[int] | None = None, *, on: datetime.date | None = None
) -> list[dict]:
    """Current members (active memberships covering `on`) per home chamber and tier."""
    rows = (
        _scoped(Membership.objects.current(on), "chamber_id", chamber_ids)
        .values("chamber__slug", "chamber__short_name", "tier")
        .annotate(count=Count("pk"))
        .order_by("chamber__short_name", "tier")
    )
    order = {tier: position for position, tier in enumerate(Membership.Tier.values)}
    return sorted(
        (
            {
                "chamber": row["chamber__slug"],
                "chamber_name": row["chamber__short_name"],
                "tier": row["tier"],
                "members": row["count"],
            }
            for row in rows
        ),
        key=lambda row: (row["chamber_name"], order.get(row["tier"], 99)),
    )


def retention(
    period: str = "year",
    chamber_ids: Iterable[int] | None = None,
    *,
    on: datetime.date | None = None,
    periods: int = 5,
) -> list[dict]:
    """Per period: memberships due, renewed and churned, and the retention and churn rates.

    Periods without any membership due are included (with rates None), so that a chart's axis
    has no holes.
    """
    on = on or timezone.localdate()
    starts = last_periods(on, period, periods)
    successor = Membership.objects.filter(
        company=OuterRef("company"),
        chamber=OuterRef("chamber"),
        valid_from__gt=OuterRef("valid_from"),
        valid_from__lte=OuterRef("valid_until") + RENEWAL_GRACE,
    )
    due = (
        _scoped(Membership.objects.all(), "chamber_id", chamber_ids)
        .exclude(status=Membership.Status.PENDING)
        .filter(valid_until__lt=on, valid_until__gte=starts[0])
        .annotate(period=TRUNC[period]("valid_until"), renewed=Exists(successor))
        .values("period")
        .annotate(due=Count("pk"), renewed_count=Count("pk", filter=Q(renewed=True)))
        .order_by("period")
    )
    counted = {row["period"]: row for row in due}
    rows = []
    for start in starts:
        row = counted.get(start, {"due": 0, "renewed_count": 0})
        renewed, due_count = row["renewed_count"], row["due"]
        rows.append(
            {
                "period": start,
                "label": period_label(start, period),
                "due": due_count,
                "renewed": renewed,
                "churned": due_count - renewed,
                "retention_rate": _rate(renewed, due_count),
                "churn_rate": _rate(due_count - renewed, due_count),
            }
        )
    return rows


# --- registrations --------------------------------------------------------------------------------


def registrations_over_time(
    chamber_ids: Iterable[int] | None = None,
    *,
    period: str = "month",
    on: datetime.date | None = None,
    periods: int = 12,
) -> list[dict]:
    """Registrations that got a place, by the period in which they were made, at the events of
    `chamber_ids`; the last `periods` periods, empty ones included."""
    on = on or timezone.localdate()
    starts = last_periods(on, period, periods)
    since = timezone.make_aware(datetime.datetime.combine(starts[0], datetime.time.min))
    counted = {
        row["period"].date() if isinstance(row["period"], datetime.datetime) else row["period"]: row
        for row in _scoped(Registration.objects.all(), "event__organiser_id", chamber_ids)
        .filter(status__in=PLACED, created_at__gte=since)
        .annotate(period=TRUNC[period]("created_at"))
        .values("period")
        .annotate(
            count=Count("pk"),
            member_terms=Count("pk", filter=Q(member_terms=True)),
            free_seats=Count("pk", filter=Q(free_seat=True)),
        )
        .order_by("period")
    }
    rows = []
    for start in starts:
        row = counted.get(start, {"count": 0, "member_terms": 0, "free_seats": 0})
        rows.append(
            {
                "period": start,
                "label": period_label(start, period),
                "count": row["count"],
                "member_terms": row["member_terms"],
                # Free seats of a membership tier (events/free_seats.py): placed, price 0.
                "free_seats": row["free_seats"],
            }
        )
    return rows


def _event_year(queryset, field: str, year: int | None):
    return queryset.filter(**{f"{field}__year": year}) if year else queryset


def _with_home(registrations):
    """Annotates `home_id`: the home chamber at the event's start (see the definitions)."""
    if "home_id" in registrations.query.annotations:
        return registrations
    return registrations.annotate(event_day=TruncDate("event__starts_at")).annotate(
        home_id=home_chamber_at(OuterRef("company_id"), OuterRef("event_day"))
    )


def cross_chamber_matrix(
    chamber_ids: Iterable[int] | None = None, *, year: int | None = None
) -> list[dict]:
    """Registrations at chamber A's events by members of chamber B: the alliance's promise.

    One row per (home chamber, organiser) pair that has registrations: home chamber as defined
    above (None: no member terms), the organising chamber, and the count of registrations that
    got a place, at events starting in `year` (all years when None). For a chamber, the pairs
    where it is the organiser or the home chamber: its column and its row of the full matrix.
    """
    registrations = Registration.objects.filter(status__in=PLACED)
    registrations = _event_year(registrations, "event__starts_at", year)
    chamber_ids = _ids(chamber_ids)
    if chamber_ids is not None:
        registrations = _with_home(registrations).filter(
            Q(event__organiser_id__in=chamber_ids) | Q(home_id__in=chamber_ids)
        )
    home_chambers = Chamber.objects.filter(pk=OuterRef("home_id"))
    rows = (
        _with_home(registrations)
        .annotate(
            home_slug=Subquery(home_chambers.values("slug")[:1]),
            home_name=Subquery(home_chambers.values("short_name")[:1]),
        )
        .values("home_slug", "home_name", "event__organiser__slug", "event__organiser__short_name")
        .annotate(count=Count("pk"))
        .order_by("home_name", "event__organiser__short_name")
    )
    return [
        {
            "home_chamber": row["home_slug"],
            "home_chamber_name": row["home_name"],
            "organiser": row["event__organiser__slug"],
            "organiser_name": row["event__organiser__short_name"],
            "count": row["count"],
        }
        for row in rows
    ]


def pivot_matrix(pairs: list[dict]) -> dict:
    """cross_chamber_matrix's pairs as a grid: row and column names (sorted, "no home chamber"
    last), cells[row][column], and the totals of each row and column."""
    homes = sorted({(p["home_chamber"], p["home_chamber_name"]) for p in pairs}, key=_home_order)
    organisers = sorted({(p["organiser"], p["organiser_name"]) for p in pairs}, key=lambda o: o[1])
    cells: dict = defaultdict(dict)
    for pair in pairs:
        cells[pair["home_chamber"]][pair["organiser"]] = pair["count"]
    grid = [[cells[home].get(organiser, 0) for organiser, _ in organisers] for home, _ in homes]
    return {
        "rows": homes,
        "columns": organisers,
        "grid": grid,
        "row_totals": [sum(row) for row in grid],
        "column_totals": [sum(column) for column in zip(*grid, strict=True)] if grid else [],
        "total": sum(sum(row) for row in grid),
    }


def _home_order(home: tuple) -> tuple:
    slug, name = home
    return (slug is None, name or "")


def fill_and_no_show_rates_by_kind(
    chamber_ids: Iterable[int] | None = None,
    *,
    year: int | None = None,
    now: datetime.datetime | None = None,
) -> list[dict]:
    """Per event kind, over the published events of `chamber_ids` that have ended:

    fill rate = places taken (PLACED) / capacity, over the events that have a capacity;
    no-show rate = no-shows / (attended + no-shows), over all of them.
    """
    now = now or timezone.now()
    events = _event_year(
        _scoped(Event.objects.published(), "organiser_id", chamber_ids).filter(ends_at__lte=now),
        "starts_at",
        year,
    )
    per_kind = {
        row["kind"]: row
        for row in events.values("kind")
        .annotate(
            events=Count("pk"),
            capacity=Sum("capacity", filter=Q(capacity__isnull=False)),
        )
        .order_by("kind")
    }
    registrations = Registration.objects.filter(event__in=events.values("pk"))
    counts = {
        row["event__kind"]: row
        for row in registrations.values("event__kind")
        .annotate(
            taken=Count("pk", filter=Q(status__in=PLACED, event__capacity__isnull=False)),
            attended=Count("pk", filter=Q(status=Registration.Status.ATTENDED)),
            no_show=Count("pk", filter=Q(status=Registration.Status.NO_SHOW)),
        )
        .order_by("event__kind")
    }
    rows = []
    for kind, label in Event.Kind.choices:
        if kind not in per_kind:
            continue
        event_row = per_kind[kind]
        count = counts.get(kind, {"taken": 0, "attended": 0, "no_show": 0})
        capacity = event_row["capacity"] or 0
        showed_up_or_not = count["attended"] + count["no_show"]
        rows.append(
            {
                "kind": kind,
                "kind_name": str(label),
                "events": event_row["events"],
                "capacity": capacity,
                "places_taken": count["taken"],
                "fill_rate": _rate(count["taken"], capacity),
                "attended": count["attended"],
                "no_shows": count["no_show"],
                "no_show_rate": _rate(count["no_show"], showed_up_or_not),
            }
        )
    return rows


# --- service requests -----------------------------------------------------------------------------


def service_requests_by_centre_and_status(
    chamber_ids: Iterable[int] | None = None, *, year: int | None = None
) -> list[dict]:
    """Requests per competence centre (of the chambers that lead them) and status, made in
    `year` (all years when None)."""
    requests = _scoped(ServiceRequest.objects.all(), "centre__lead_chamber_id", chamber_ids)
    if year:
        requests = requests.filter(created_at__year=year)
    rows = (
        requests.values(
            "centre__slug", "centre__name", "centre__lead_chamber__short_name", "status"
        )
        .annotate(count=Count("pk"))
        .order_by("centre__name", "status")
    )
    order = {status: position for position, status in enumerate(ServiceRequest.Status.values)}
    return sorted(
        (
            {
                "centre": row["centre__slug"],
                "centre_name": row["centre__name"],
                "lead_chamber_name": row["centre__lead_chamber__short_name"],
                "status": row["status"],
                "count": row["count"],
            }
            for row in rows
        ),
        key=lambda row: (row["centre_name"], order.get(row["status"], 99)),
    )


# --- the dashboard's counts -----------------------------------------------------------------------


def dashboard_counts(
    chamber_ids: Iterable[int] | None = None, *, now: datetime.datetime | None = None
) -> dict:
    """What needs attention at `chamber_ids`: four counts, four queries.

    coming_events: published events still to end, organised or co-organised by them;
    registrations_this_month: registrations that got a place, made this month, at their events;
    open_requests: requests to the centres they lead, not yet done or declined;
    pending_join_requests: requests to join companies whose current membership is with them.
    """
    now = now or timezone.now()
    events = Event.objects.published().upcoming(now)
    chamber_ids = _ids(chamber_ids)
    if chamber_ids is not None:
        events = events.organised_or_co_organised_by_any(chamber_ids)
    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    registrations = _scoped(
        Registration.objects.filter(status__in=PLACED, created_at__gte=month_start),
        "event__organiser_id",
        chamber_ids,
    )
    requests = _scoped(
        ServiceRequest.objects.filter(status__in=OPEN_REQUESTS),
        "centre__lead_chamber_id",
        chamber_ids,
    )
    current = _scoped(
        Membership.objects.current(timezone.localdate(now)).filter(company=OuterRef("company")),
        "chamber_id",
        chamber_ids,
    )
    join_requests = JoinRequest.objects.filter(status=JoinRequest.Status.PENDING).filter(
        Exists(current)
    )
    return {
        "coming_events": events.count(),
        "registrations_this_month": registrations.count(),
        "open_requests": requests.count(),
        "pending_join_requests": join_requests.count(),
    }
