"""Reads over events and registrations."""

from django.db import models
from django.db.models import Count, Q


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def upcoming(self, now=None):
        from django.utils import timezone

        return self.filter(ends_at__gt=now or timezone.now())

    def with_places_taken(self):
        """Annotates `places_taken` (confirmed + attended) in the same query."""
        return self.annotate(
            places_taken_count=Count(
                "registrations", filter=Q(registrations__status__in=["confirmed", "attended"])
            )
        )

    def for_listing(self):
        return (
            self.select_related("organiser", "centre", "centre__lead_chamber")
            .prefetch_related("co_organisers", "sectors")
            .with_places_taken()
        )

    def organised_or_co_organised_by(self, chamber):
        # A subquery, not a join: a join would multiply rows and so the annotated place counts.
        co_organised = self.model.co_organisers.through.objects.filter(chamber=chamber)
        return self.filter(Q(organiser=chamber) | Q(pk__in=co_organised.values("event_id")))


class RegistrationQuerySet(models.QuerySet):
    def holding_a_place(self):
        return self.filter(status__in=["confirmed", "attended"])

    def live(self):
        return self.exclude(status="cancelled")

    def waiting(self):
        return self.filter(status="waitlisted").order_by("waiting_list_position")
