"""Who is a member where: the rule behind member terms, written once."""

import datetime

from django.db.models import Case, IntegerField, Subquery, Value, When

from chambers.models import Chamber
from members.models import Company, Membership


def current_membership(company: Company, on: datetime.date | None = None) -> Membership | None:
    """The company's current (active, in period) membership, if any: at most one exists."""
    return Membership.objects.current(on).filter(company=company).select_related("chamber").first()


def member_terms_chamber_ids(company: Company | None, on: datetime.date | None = None) -> dict:
    """{chamber id: home chamber} for every chamber whose events give `company` member terms.

    A company with a current membership at chamber H gets member terms at H's own events and
    at the events of every chamber sharing an alliance with H. One query, so that a list page
    can price every row without a query per row.
    """
    membership = current_membership(company, on) if company else None
    if membership is None:
        return {}
    chamber_ids = Chamber.objects.in_alliance_with(membership.chamber).values_list("pk", flat=True)
    return dict.fromkeys(chamber_ids, membership.chamber)


def is_alliance_member(company: Company, alliance, on: datetime.date | None = None) -> bool:
    """True when the company has a current membership at any chamber of `alliance`."""
    return Company.objects.alliance_members(alliance, on).filter(pk=company.pk).exists()


def colleagues_of(person):
    """The other people of `person`'s company with an e-mail address (whom they may send to an
    event in their place)."""
    return (
        person.company.people.exclude(pk=person.pk)
        .exclude(email="")
        .order_by("last_name", "first_name", "pk")
    )


def home_chamber_at(company_ref, date_ref):
    """A subquery: the chamber id of the company's membership whose period covers the date
    (the member's home chamber at that date; None when it had none). `company_ref` and
    `date_ref` are OuterRef()s or expressions. Applications not yet approved (pending) do not
    count; an active membership goes before a lapsed or ended one of the same day.

    The one rule for "home chamber at a date": the settlement ledger (events/ledger.py) and
    the participation matrix of the figures both use it.
    """
    memberships = (
        Membership.objects.filter(
            company=company_ref, valid_from__lte=date_ref, valid_until__gte=date_ref
        )
        .exclude(status=Membership.Status.PENDING)
        .annotate(
            active_first=Case(
                When(status=Membership.Status.ACTIVE, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("active_first", "-valid_from", "-pk")
    )
    return Subquery(memberships.values("chamber_id")[:1])
