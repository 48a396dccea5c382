"""What the portal knows about a chamber, per accreditation principle, for a cycle's report and
pages. Each figure says how it was computed and for which period.

On the top floor because it reads members, events and competence centres (chambers may not).
The period is the three full calendar years before the cycle was opened (the federation
accredits for three years), plus, for the membership count, the day the cycle was opened.

Which principle a figure belongs to (local chambers' numbers; bilateral chambers' pillars):
- 1 Membership: members at each year's end and their trend; retention and churn per year
  (a membership is due in the year its valid_until falls; renewed when a later membership at the
  same chamber starts within RENEWAL_GRACE: alliance/figures/queries.py, the same rule as the
  figures pages);
- 9 Territoriality and cooperation: events held (organised, published, started in the period),
  of them co-organised with another chamber, and other chambers' events it co-organised;
  services delivered to members of other chambers (places at its events taken on another
  chamber's member terms; service requests to the centres it leads, from companies that were no
  member of it, answered as done);
- 12 Internal quality monitoring (pillar 2, quality of service, abroad): service requests to the
  centres it leads, the hours to a first reply (median and average) and how many still wait.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.figures import charts, queries
from chambers.models import AccreditationCycle, Chamber
from events.models import Event, Registration
from members.models import Membership, ServiceRequest, ServiceRequestMessage

YEARS = 3


@dataclass
class Figure:
    """One figure: its numbers as a small table, how they were computed, a chart if any."""

    principle: int
    title: str
    method: str
    period: tuple[datetime.date, datetime.date]
    headers: list[str]
    rows: list[list]
    chart: str = ""
    values: dict = field(default_factory=dict)


def period_of(cycle: AccreditationCycle) -> tuple[datetime.date, datetime.date]:
    """The three full calendar years before the cycle was opened: (first day, last day)."""
    opened = timezone.localdate(cycle.created_at) if cycle.created_at else timezone.localdate()
    return datetime.date(opened.year - YEARS, 1, 1), datetime.date(opened.year - 1, 12, 31)


def _aware(day: datetime.date, *, end=False) -> datetime.datetime:
    moment = datetime.datetime.combine(day, datetime.time.max if end else datetime.time.min)
    return timezone.make_aware(moment)


def _counted_memberships(chamber: Chamber):
    # Pending memberships were never in force; lapsed and ended ones were, for their period.
    return Membership.objects.filter(chamber=chamber).exclude(status=Membership.Status.PENDING)


def members_trend(chamber: Chamber, start: datetime.date, end: datetime.date, on: datetime.date):
    """Members (companies with a membership in force) at each year's end, and on `on`."""
    days = [datetime.date(year, 12, 31) for year in range(start.year, end.year + 1)] + [on]
    memberships = _counted_memberships(chamber)
    counts = memberships.aggregate(
        **{
            f"d{index}": Count(
                "company", distinct=True, filter=Q(valid_from__lte=day, valid_until__gte=day)
            )
            for index, day in enumerate(days)
        }
    )
    return [(day, counts[f"d{index}"]) for index, day in enumerate(days)]


def events_held(chamber: Chamber, start: datetime.date, end: datetime.date) -> dict:
    """Events organised and published that started in the period, those with a co-organiser,
    and other chambers' events this chamber co-organised."""
    window = Q(starts_at__gte=_aware(start), starts_at__lte=_aware(end, end=True))
    published = Event.objects.filter(window, status=Event.Status.PUBLISHED)
    organised = published.filter(organiser=chamber).aggregate(
        held=Count("pk", distinct=True),
        with_others=Count("pk", distinct=True, filter=Q(co_organisers__isnull=False)),
    )
    co_organised = published.filter(co_organisers=chamber).exclude(organiser=chamber).count()
    return organised | {"co_organised_for_others": co_organised}


def services_to_other_chambers(chamber: Chamber, start: datetime.date, end: datetime.date) -> dict:
    """Places at the chamber's events taken on another chamber's member terms, and service
    requests to its centres, done, from companies that were no member of it when they asked."""
    window = Q(event__starts_at__gte=_aware(start), event__starts_at__lte=_aware(end, end=True))
    places = (
        Registration.objects.filter(
            window,
            event__organiser=chamber,
            status__in=queries.PLACED,
            member_terms_chamber__isnull=False,
        )
        .exclude(member_terms_chamber=chamber)
        .count()
    )
    member_here = _counted_memberships(chamber).filter(
        company=OuterRef("company"),
        valid_from__lte=OuterRef("created_at__date"),
        valid_until__gte=OuterRef("created_at__date"),
    )
    requests = (
        ServiceRequest.objects.filter(
            centre__lead_chamber=chamber,
            status=ServiceRequest.Status.DONE,
            created_at__gte=_aware(start),
            created_at__lte=_aware(end, end=True),
        )
        .exclude(Exists(member_here))
        .count()
    )
    return {"places": places, "requests": requests}


def response_times(chamber: Chamber, start: datetime.date, end: datetime.date) -> dict:
    """Service requests to the centres the chamber leads, asked in the period: how many, how
    many had a first reply, the median and average hours to it, how many still wait."""
    first_reply = (
        ServiceRequestMessage.objects.filter(
            service_request=OuterRef("pk"), kind=ServiceRequestMessage.Kind.REPLY
        )
        .order_by()
        .values("service_request")
        .annotate(first=Min("created_at"))
        .values("first")
    )
    rows = list(
        ServiceRequest.objects.filter(
            centre__lead_chamber=chamber,
            created_at__gte=_aware(start),
            created_at__lte=_aware(end, end=True),
        )
        .annotate(first_reply_at=first_reply[:1])
        .values_list("created_at", "first_reply_at", "status")
    )
    hours = [
        (replied - asked).total_seconds() / 3600 for asked, replied, _status in rows if replied
    ]
    waiting = sum(
        1 for _asked, replied, status in rows if replied is None and status in queries.OPEN_REQUESTS
    )
    return {
        "asked": len(rows),
        "answered": len(hours),
        "median_hours": round(statistics.median(hours), 1) if hours else None,
        "average_hours": round(statistics.fmean(hours), 1) if hours else None,
        "waiting": waiting,
    }


def _number(value) -> str:
    if value is None:
        return "—"
    return (
        f"{value:n}".replace(",", " ")
        if isinstance(value, int)
        else f"{value:.1f}".replace(".", ",")
    )


def figures_for(cycle: AccreditationCycle) -> dict[int, list[Figure]]:
    """The figures per principle number, for the cycle's chamber and period."""
    chamber = cycle.chamber
    start, end = period_of(cycle)
    on = timezone.localdate(cycle.created_at) if cycle.created_at else timezone.localdate()
    result: dict[int, list[Figure]] = {}
    if chamber.kind == Chamber.Kind.LOCAL:
        trend = members_trend(chamber, start, end, on)
        labels = [day.strftime("%d/%m/%Y") for day, _count in trend]
        membership = Figure(
            principle=1,
            title=_("Leden en hun verloop"),
            method=_(
                "Ondernemingen met een lidmaatschap bij de kamer dat op die dag liep (aangevraagde "
                "lidmaatschappen niet meegeteld), op het einde van elk jaar en op de dag dat de "
                "ronde geopend werd."
            ),
            period=(start, on),
            headers=[_("Op"), _("Leden")],
            rows=[[label, count] for label, (_day, count) in zip(labels, trend, strict=True)],
            chart=charts.line_chart(
                title=_("Leden"),
                description=_("Leden op het einde van elk jaar"),
                categories=labels,
                series=[(_("Leden"), [count for _day, count in trend])],
                y_label=_("leden"),
                x_label=_("datum"),
            ),
            values={"trend": trend},
        )
        # Counted up to the first day after the period (a membership due on its last day has
        # passed by then); that day's own year is left out.
        retention = queries.retention(
            "year", [chamber.pk], on=end + datetime.timedelta(days=1), periods=YEARS + 1
        )[:YEARS]
        retention_figure = Figure(
            principle=1,
            title=_("Hernieuwing en verloop"),
            method=_(
                "Per jaar: de lidmaatschappen die dat jaar afliepen (te hernieuwen), hoeveel "
                "ervan hernieuwd werden (een volgend lidmaatschap bij dezelfde kamer binnen drie "
                "maanden) en hoeveel niet (verloop). Hernieuwd / te hernieuwen is de retentie."
            ),
            period=(start, end),
            headers=[_("Jaar"), _("Te hernieuwen"), _("Hernieuwd"), _("Verloop"), _("Retentie")],
            rows=[
                [
                    row["label"],
                    row["due"],
                    row["renewed"],
                    row["churned"],
                    "—" if row["retention_rate"] is None else f"{row['retention_rate']:.0%}",
                ]
                for row in retention
            ],
            chart=charts.bar_chart(
                title=_("Hernieuwing en verloop"),
                description=_("Hernieuwde en niet-hernieuwde lidmaatschappen per jaar"),
                categories=[row["label"] for row in retention],
                series=[
                    (_("Hernieuwd"), [row["renewed"] for row in retention]),
                    (_("Verloop"), [row["churned"] for row in retention]),
                ],
                y_label=_("lidmaatschappen"),
                x_label=_("jaar"),
            ),
            values={"retention": retention},
        )
        result[1] = [membership, retention_figure]

        events = events_held(chamber, start, end)
        services = services_to_other_chambers(chamber, start, end)
        result[9] = [
            Figure(
                principle=9,
                title=_("Activiteiten en samenwerking met andere kamers"),
                method=_(
                    "Gepubliceerde activiteiten die in de periode begonnen: door de kamer "
                    "georganiseerd, daarvan samen met een andere kamer, en activiteiten van "
                    "andere kamers die ze mee organiseerde."
                ),
                period=(start, end),
                headers=[_("Wat"), _("Aantal")],
                rows=[
                    [_("Georganiseerd"), events["held"]],
                    [_("Daarvan met een andere kamer"), events["with_others"]],
                    [_("Mee georganiseerd voor andere kamers"), events["co_organised_for_others"]],
                ],
                values=events,
            ),
            Figure(
                principle=9,
                title=_("Diensten voor leden van andere kamers"),
                method=_(
                    "Plaatsen op activiteiten van de kamer die leden van een andere kamer namen "
                    "tegen ledenprijs, en afgehandelde vragen aan de competentiecentra die de "
                    "kamer leidt van ondernemingen die toen geen lid van de kamer waren."
                ),
                period=(start, end),
                headers=[_("Wat"), _("Aantal")],
                rows=[
                    [_("Plaatsen op activiteiten"), services["places"]],
                    [_("Afgehandelde vragen"), services["requests"]],
                ],
                values=services,
            ),
        ]
    times = response_times(chamber, start, end)
    quality = Figure(
        principle=12 if chamber.kind == Chamber.Kind.LOCAL else 2,
        title=_("Antwoordtijd op vragen"),
        method=_(
            "Vragen aan de competentiecentra die de kamer leidt, gesteld in de periode: de tijd "
            "tussen de vraag en het eerste antwoord aan de onderneming (interne notities tellen "
            "niet), in uren."
        ),
        period=(start, end),
        headers=[_("Wat"), _("Waarde")],
        rows=[
            [_("Vragen"), times["asked"]],
            [_("Beantwoord"), times["answered"]],
            [_("Mediaan (uren)"), _number(times["median_hours"])],
            [_("Gemiddeld (uren)"), _number(times["average_hours"])],
            [_("Wachten nog op een antwoord"), times["waiting"]],
        ],
        values=times,
    )
    result.setdefault(quality.principle, []).append(quality)
    return result
