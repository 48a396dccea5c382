"""Who is a member where: the rule behind member terms, written once."""

import datetime

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
