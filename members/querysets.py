"""Reads over companies, memberships and service requests."""

import datetime

from django.db import models
from django.utils import timezone


class MembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        """Active memberships whose period covers `on` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(status="active", valid_from__lte=on, valid_until__gte=on)


class CompanyQuerySet(models.QuerySet):
    def members_of(self, chamber, on: datetime.date | None = None):
        """Companies with a current membership at `chamber`."""
        from members.models import Membership

        current = Membership.objects.current(on).filter(chamber=chamber)
        return self.filter(pk__in=current.values("company_id"))

    def alliance_members(self, alliance, on: datetime.date | None = None):
        """Companies with a current membership at any chamber of `alliance`."""
        from members.models import Membership

        current = Membership.objects.current(on).filter(chamber__alliances=alliance)
        return self.filter(pk__in=current.values("company_id"))

    def in_directory(self):
        return self.filter(directory_consent=True)


class ServiceRequestQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("company", "person", "centre", "service", "assignee")
