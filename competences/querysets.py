"""Reads over competence centres and their services."""

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import models
from django.db.models import Q
from django.db.models.functions import Greatest


class CompetenceCentreQuerySet(models.QuerySet):
    def active(self):
        """The centres members and partners see (a deactivated one is kept for its history)."""
        return self.filter(is_active=True)

    def led_by(self, chamber_ids):
        """The centres whose lead chamber is one of `chamber_ids` (the back-office's scope)."""
        return self.filter(lead_chamber_id__in=chamber_ids)

    def for_listing(self):
        return self.select_related("lead_chamber", "alliance")


class ServiceQuerySet(models.QuerySet):
    def active(self):
        """Offered now: the service and its centre are both active."""
        return self.filter(is_active=True, centre__is_active=True)

    def for_listing(self):
        return self.select_related("centre", "centre__lead_chamber")

    def search(self, text: str):
        """Services whose name or description mentions `text` in any language, typos forgiven.

        A few hundred rows at most: a scan is cheaper here than keeping a search column.
        """
        fields = [
            f"{field}_{lang}" for field in ("name", "description") for lang in ("nl", "fr", "en")
        ]
        mentions = Q()
        for field in fields:
            mentions |= Q(**{f"{field}__icontains": text})
        similarity = Greatest(
            *(TrigramWordSimilarity(text, f"name_{lang}") for lang in ("nl", "fr", "en"))
        )
        return (
            self.annotate(similarity=similarity)
            .filter(mentions | Q(similarity__gte=0.5))
            .order_by("-similarity", "name")
        )
