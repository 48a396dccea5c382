"""Reads over chambers and staff roles."""

from django.db import models
from django.db.models import Q


class ChamberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_postcode(self, postcode: str):
        """The active chamber whose region holds `postcode` (its longest matching prefix), or
        None: the chamber the portal suggests to a company there."""
        postcode = (postcode or "").strip()
        if not postcode:
            return None
        prefixes = [postcode[:length] for length in range(1, len(postcode) + 1)]
        candidates = self.active().filter(postcode_prefixes__overlap=prefixes)
        best, best_length = None, 0
        for chamber in candidates:
            length = max(len(p) for p in chamber.postcode_prefixes if p in prefixes)
            if length > best_length:
                best, best_length = chamber, length
        return best

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
