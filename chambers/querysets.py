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
