"""Reads over events and registrations."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from chambers import roles
from chambers.models import Chamber, Partner
from members.models import Sector


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def upcoming(self, now=None):
        return self.filter(ends_at__gt=now or timezone.now())

    def open_for_registration(self, now=None):
        """Events whose registration window is open now: Event.registration_is_open in SQL.

        Published, opened (or no opening set), not yet closed and not yet started.
        """
        now = now or timezone.now()
        return self.filter(
            Q(registration_opens_at__isnull=True) | Q(registration_opens_at__lte=now),
            Q(registration_closes_at__isnull=True) | Q(registration_closes_at__gt=now),
            status="published",
            starts_at__gt=now,
        )

    def with_places_taken(self):
        """Annotates `places_taken_count` (confirmed + attended + offered) in the same query."""
        return self.annotate(
            places_taken_count=Count(
                "registrations",
                filter=Q(registrations__status__in=["confirmed", "attended", "offered"]),
            )
        )

    def for_listing(self):
        return (
            self.select_related("organiser", "centre", "centre__lead_chamber")
            .prefetch_related("co_organisers", "sectors")
            .with_places_taken()
            .with_waiting_count()
        )

    def for_api(self):
        """What the API (and a webhook) shows of an event, in a fixed number of queries."""
        return self.for_listing().prefetch_related("partners")

    def for_api_rows(self, language: str):
        """The API's list in one query of plain rows (events.payloads.event_rows): only the
        columns of `language` (with the Dutch fallback modeltranslation gives), the related
        slugs as arrays and the place count as a subquery per row (an index lookup each, where
        a COUNT over a join would group every event before the page's LIMIT)."""

        def translated(field: str):
            columns = [f"{field}_{code}" for code in dict.fromkeys([language, "nl"])]
            return Coalesce(
                *(NullIf(F(column), Value("")) for column in columns),
                Value(""),
                output_field=TextField(),
            )

        def slugs(model, relation: str):
            related = model.objects.filter(**{relation: OuterRef("pk")})
            return ArraySubquery(related.order_by("name", "pk").values("slug"))

        taken = (
            self.model.registrations.rel.related_model.objects.filter(
                event=OuterRef("pk"), status__in=["confirmed", "attended", "offered"]
            )
            .order_by()
            .values("event")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(
            api_title=translated("title"),
            api_description=translated("description"),
            organiser_slug=F("organiser__slug"),
            centre_slug=F("centre__slug"),
            proposed_by_slug=F("proposed_by__slug"),
            co_organiser_slugs=slugs(Chamber, "co_organised_events"),
            partner_slugs=slugs(Partner, "events"),
            sector_slugs=slugs(Sector, "events"),
            places_taken=Coalesce(Subquery(taken, output_field=IntegerField()), 0),
        )

    def organised_or_co_organised_by(self, chamber):
        # A subquery, not a join: a join would multiply rows and so the annotated place counts.
        co_organised = self.model.co_organisers.through.objects.filter(chamber=chamber)
        return self.filter(Q(organiser=chamber) | Q(pk__in=co_organised.values("event_id")))

    def organised_or_co_organised_by_any(self, chambers):
        """Events organised or co-organised by any of `chambers` (a queryset), without a join."""
        co_organised = self.model.co_organisers.through.objects.filter(chamber__in=chambers)
        return self.filter(Q(organiser__in=chambers) | Q(pk__in=co_organised.values("event_id")))

    def with_waiting_count(self):
        """Annotates `waiting_count` (people on the waiting list or holding an offer)."""
        return self.annotate(
            waiting_count=Count(
                "registrations", filter=Q(registrations__status__in=["waitlisted", "offered"])
            )
        )

    def for_staff_listing(self):
        """The back-office list: the public listing's joins and counts."""
        return self.for_listing()

    def visible_to(self, user):
        """The events `user` sees in the back-office: organised or co-organised by a chamber
        where they hold any staff role. Nothing else exists for them (a 404, never a leak)."""
        return self.organised_or_co_organised_by_any(
            list(roles.chamber_ids_where(user, roles.READ_ROLES))
        )

    def visible_to_partner(self, key):
        """What a caller of the API sees: published and cancelled events, and a partner's own
        proposals; for a key limited to some chambers, only those organised or co-organised by
        them. `key` is the partner's API key, or None (a session, or nobody)."""
        visible = Q(status__in=["published", "cancelled"])
        if key is not None:
            visible |= Q(status="proposed", proposed_by_id=key.partner_id)
        events = self.filter(visible)
        if key is not None and key.chamber_ids:
            events = events.organised_or_co_organised_by_any(key.chamber_ids)
        return events

    def manageable_by(self, user):
        """The events `user` may change: organised or co-organised where they hold an event role."""
        return self.organised_or_co_organised_by_any(
            list(roles.chamber_ids_where(user, roles.EVENT_ROLES))
        )


class RegistrationQuerySet(models.QuerySet):
    def visible_to_partner(self, key):
        """A partner's delegation: the registrations it made itself, nobody else's."""
        if key is None:
            return self.none()
        return self.filter(partner_id=key.partner_id)

    def visible_to(self, user):
        """The registrations of the events `user` sees in the back-office."""
        chamber_ids = list(roles.chamber_ids_where(user, roles.READ_ROLES))
        # A subquery, not a join over co-organisers: a join would repeat rows.
        co_organised = self.model.objects.filter(event__co_organisers__in=chamber_ids)
        return self.filter(
            Q(event__organiser_id__in=chamber_ids) | Q(pk__in=co_organised.values("pk"))
        )

    def for_api(self):
        """What the API (and a webhook) shows of a registration, in a fixed number of queries."""
        return self.select_related("event", "person", "company").with_waiting_rank()

    def holding_a_place(self):
        return self.filter(status__in=["confirmed", "attended"])

    def taking_capacity(self):
        """Places held, and places offered to someone from the waiting list."""
        return self.filter(status__in=["confirmed", "attended", "offered"])

    def live(self):
        return self.exclude(status="cancelled")

    def in_line(self):
        """Waiting, or holding an offer: while there is anyone, a newcomer waits too."""
        return self.filter(status__in=["waitlisted", "offered"])

    def waiting(self):
        return self.filter(status="waitlisted").order_by("waiting_list_position")

    def with_waiting_rank(self):
        """Annotates `waiting_rank` (1 = first in line, None unless waitlisted) in the same query.

        Positions keep their gaps when people leave the list, so the rank is the number of
        waiting registrations ahead, plus one: one query for a list of any length.
        """
        ahead = (
            self.model.objects.filter(
                event=OuterRef("event_id"),
                status="waitlisted",
                waiting_list_position__lt=OuterRef("waiting_list_position"),
            )
            .order_by()
            .values("event_id")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(
            waiting_rank=Case(
                When(
                    status="waitlisted",
                    then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1,
                ),
                default=None,
                output_field=IntegerField(),
            )
        )

    def for_staff_listing(self):
        """The back-office attendee table and exports: who, for which company, on which terms."""
        return self.select_related("person", "company", "member_terms_chamber")
