"""Reads over chambers and staff roles."""

from django.db import models
from django.db.models import Q


class ChamberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_alliance_with(self, chamber):
        """The chambers that share an alliance with `chamber`, itself included."""
        return self.filter(Q(pk=chamber.pk) | Q(alliances__memberships__chamber=chamber)).distinct()


class StaffRoleQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def team_of(self, chamber_ids):
        """The roles held for one of `chamber_ids` (a chamber's team; alliance-wide roles are
        nobody's team)."""
        return self.filter(chamber_id__in=chamber_ids)

    def for_team_listing(self):
        return self.select_related("user", "chamber").order_by(
            "chamber__name", "user__last_name", "user__first_name", "user__email", "pk"
        )
