"""Reads over companies, memberships and service requests.

members/models.py imports this module (its managers are these querysets), so the models are not
imported here: a queryset that joins another model of this app looks it up in Django's app
registry, which is filled before any query runs.
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone

from chambers import roles
from members import identifiers


class MembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        """Active memberships whose period covers `on` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(status="active", valid_from__lte=on, valid_until__gte=on)

    def at_chambers(self, chamber_ids):
        """Memberships at any of `chamber_ids` (the back-office's scope)."""
        return self.filter(chamber_id__in=chamber_ids)

    def with_followed(self):
        """Annotates `is_followed`: a later period of the same company, not ended, comes after
        this one (such a period is no longer renewed, lapsed or ended)."""
        later = self.model.objects.filter(
            company_id=models.OuterRef("company_id"), valid_from__gt=models.OuterRef("valid_from")
        ).exclude(status="ended")
        return self.annotate(is_followed=models.Exists(later))

    def current_first(self):
        """The active period first, then the latest: the one that says where a company stands."""
        active_first = models.Case(
            models.When(status="active", then=models.Value(0)),
            default=models.Value(1),
            output_field=models.IntegerField(),
        )
        return self.order_by(active_first, "-valid_from", "-pk")


def _memberships() -> MembershipQuerySet:
    """Membership.objects, looked up in the app registry (see the module's docstring)."""
    return apps.get_model("members", "Membership").objects.all()


class CompanyQuerySet(models.QuerySet):
    def by_identifier(self, value: str, country: str | None = None):
        """The company with the number a user typed, or None: a Belgian enterprise number, a
        KvK or other registration number (of `country`), or an EU VAT number (its prefix says
        the country). Raises ValidationError, with the reason in the user's language, when the
        number is malformed (members/identifiers.parse). A Belgian VAT number finds the company
        by its enterprise number ("BE0403170701" is 0403.170.701)."""
        identifier = identifiers.parse(value, country)
        return self.filter(identifier.lookup()).first()

    def members_of(self, chamber, on: datetime.date | None = None):
        """Companies with a current membership at `chamber`."""
        current = _memberships().current(on).filter(chamber=chamber)
        return self.filter(pk__in=current.values("company_id"))

    def alliance_members(self, alliance, on: datetime.date | None = None):
        """Companies with a current membership at any chamber of `alliance`."""
        current = _memberships().current(on).filter(chamber__alliances=alliance)
        return self.filter(pk__in=current.values("company_id"))

    def in_directory(self):
        return self.filter(directory_consent=True)

    def with_membership_at(self, chamber_ids):
        """Companies with a current or past membership at any of `chamber_ids`."""
        return self.filter(
            models.Exists(
                _memberships().filter(company=models.OuterRef("pk"), chamber_id__in=chamber_ids)
            )
        )

    def visible_to_partner(self, key):
        """What the API shows partners: companies with a current membership (at one of the key's
        chambers, when it is limited) that agreed to be shown to partners (the partner consent,
        not the public directory's)."""
        current = _memberships().current().filter(company=models.OuterRef("pk"))
        if key is not None and key.chamber_ids:
            current = current.filter(chamber_id__in=key.chamber_ids)
        return self.filter(models.Exists(current), partner_consent=True)

    def with_recent_membership_at(self, chamber_ids, on: datetime.date | None = None):
        """Companies with a membership at any of `chamber_ids` that is current, to come, or
        over for at most FORMER_MEMBERS_VISIBLE_DAYS (ended early: counted from the day it was
        ended)."""
        on = on or timezone.localdate()
        cutoff = on - datetime.timedelta(days=settings.FORMER_MEMBERS_VISIBLE_DAYS)
        recent = (
            _memberships()
            .filter(company=models.OuterRef("pk"), chamber_id__in=chamber_ids)
            .filter(valid_until__gte=cutoff)
            .exclude(status="ended", updated_at__date__lt=cutoff)
        )
        return self.filter(models.Exists(recent))

    def visible_to(self, user):
        """The companies `user` sees in the back-office: a membership at a chamber where they
        hold any staff role, current or recent (with_recent_membership_at). A company that left
        that chamber long ago, and its people, are out of their sight (data minimisation)."""
        return self.with_recent_membership_at(roles.chamber_ids_where(user, roles.READ_ROLES))

    def for_staff_listing(self, chamber_ids):
        """The back-office member list: each company with its standing at `chamber_ids`.

        Annotates the membership that says where the company stands there (the active one, else
        the latest: `membership_status`, `_tier`, `_until`, `_chamber`, `_accent`) and the number
        of pending requests to join it, all in the same query: no query per row.
        """
        standing = (
            _memberships()
            .at_chambers(chamber_ids)
            .filter(company=models.OuterRef("pk"))
            .current_first()
        )
        pending = (
            apps.get_model("members", "JoinRequest")
            .objects.filter(company=models.OuterRef("pk"), status="pending")
            .order_by()
            .values("company")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return (
            self.with_membership_at(chamber_ids)
            .annotate(
                membership_status=models.Subquery(standing.values("status")[:1]),
                membership_tier=models.Subquery(standing.values("tier")[:1]),
                membership_until=models.Subquery(standing.values("valid_until")[:1]),
                membership_chamber=models.Subquery(standing.values("chamber__short_name")[:1]),
                membership_accent=models.Subquery(standing.values("chamber__accent")[:1]),
                pending_join_requests=Coalesce(
                    models.Subquery(pending, output_field=models.IntegerField()), 0
                ),
            )
            .defer("search_vector", "description")
        )


class ServiceRequestQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("company", "person", "centre", "service", "assignee")

    def open(self):
        """Not yet done or declined."""
        return self.filter(status__in=["new", "assigned", "in_progress"])

    def led_by(self, chamber_ids):
        """Requests to the competence centres that `chamber_ids` lead (their inbox)."""
        return self.filter(centre__lead_chamber_id__in=chamber_ids)

    def from_members_of(self, chamber_ids, on: datetime.date | None = None):
        """Requests of companies whose current membership is at one of `chamber_ids`."""
        current = (
            _memberships()
            .current(on)
            .filter(company=models.OuterRef("company_id"), chamber_id__in=chamber_ids)
        )
        return self.filter(models.Exists(current))

    def for_staff_listing(self):
        """The back-office inbox: the listing's joins plus the centre's lead chamber."""
        return self.for_listing().select_related("centre__lead_chamber")

    def visible_to(self, user):
        """The back-office's requests for `user`: the inbox of the centres their chambers lead,
        and the requests of their chambers' members (read-only for them)."""
        chamber_ids = roles.chamber_ids_where(user, roles.READ_ROLES)
        return self.led_by(chamber_ids) | self.from_members_of(chamber_ids)


class ProspectQuerySet(models.QuerySet):
    def open(self):
        """Not yet converted into a membership."""
        return self.filter(converted_at__isnull=True)

    def at_chambers(self, chamber_ids):
        return self.filter(chamber_id__in=chamber_ids)

    def visible_to(self, user):
        """The prospects of the chambers where `user` holds a staff role."""
        return self.at_chambers(roles.chamber_ids_where(user, roles.READ_ROLES))

    def for_staff_listing(self):
        return self.select_related("company", "chamber", "contact", "converted_by")


class MembershipApplicationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status="pending")

    def visible_to(self, user):
        """The applications to the chambers where `user` holds a staff role."""
        return self.filter(chamber_id__in=roles.chamber_ids_where(user, roles.READ_ROLES))

    def for_staff_listing(self):
        return self.select_related("company", "chamber", "applicant", "decided_by")
