"""Events and a partner's delegations: the catalogue, proposals, registrations."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.response import Response

from alliance.base.api.authentication import api_key_of
from alliance.base.api.views import GenericViewSet, ReadOnlyViewSet
from chambers.models import ApiScope
from events import payloads, services
from events.api import serializers
from events.api.filtersets import ApiEventFilterSet
from events.models import DelegationQuota, Event, Registration


def with_delegation(events, partner_id: int):
    """Annotates the partner's quota (`delegation_places`) and its use (`delegation_used`)."""
    used = (
        Registration.objects.live()
        .filter(event=OuterRef("pk"), partner_id=partner_id)
        .order_by()
        .values("event")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return events.annotate(
        delegation_places=Subquery(
            DelegationQuota.objects.filter(event=OuterRef("pk"), partner_id=partner_id).values(
                "places"
            )[:1]
        ),
        delegation_used=Subquery(used, output_field=IntegerField()),
    )


class EventViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """Every chamber's events; a partner also sees the events it proposed."""

    serializer_class = payloads.EventSerializer
    filterset_class = ApiEventFilterSet
    required_scopes = {
        "list": ApiScope.EVENTS_READ,
        "retrieve": ApiScope.EVENTS_READ,
        "create": ApiScope.EVENTS_WRITE,
    }
    cursor_ordering = ("starts_at", "pk")
    scoped = True

    def base_queryset(self):
        if self.action == "list":
            # for_api_rows (in list) adds what the list shows: no joins or prefetches here.
            return Event.objects.all()
        return Event.objects.for_api()

    def get_queryset(self):
        events = super().get_queryset()
        key = api_key_of(self.request)
        if key is not None:
            events = with_delegation(events, key.partner_id)
        return events

    def list(self, request, *args, **kwargs):
        """The lean list: one query of plain rows in the serializer's shape (payloads.event_rows),
        the same answer as EventSerializer(many=True) at a fraction of its cost."""
        events = self.filter_queryset(self.get_queryset())
        language = (translation.get_language() or "nl").split("-")[0]
        columns = payloads.EVENT_ROW_COLUMNS
        if api_key_of(request) is not None:
            columns += payloads.DELEGATION_COLUMNS
        rows = events.for_api_rows(language).values(*columns)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(payloads.event_rows(page))

    @extend_schema(
        request=serializers.EventProposalSerializer,
        responses={201: payloads.EventSerializer},
    )
    def create(self, request):
        """Propose an event the partner co-organises with a chamber. It has status `proposed`
        and only the partner sees it, until staff publish it (webhook `event.published`) or
        turn it down (`event.cancelled`)."""
        key = api_key_of(request)
        proposal = serializers.EventProposalSerializer(data=request.data)
        proposal.is_valid(raise_exception=True)
        event = services.event_propose(
            partner=key.partner, allowed_chamber_ids=key.chamber_ids, **proposal.validated_data
        )
        event = self.get_queryset().get(pk=event.pk)
        data = self.get_serializer(event).data
        headers = {"Location": request.build_absolute_uri(f"{event.slug}/")}
        return Response(data, status=status.HTTP_201_CREATED, headers=headers)


class RegistrationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """The calling partner's delegation for one event: its own registrations only."""

    serializer_class = payloads.RegistrationSerializer
    required_scopes = dict.fromkeys(
        ["list", "retrieve", "create", "cancel"], ApiScope.REGISTRATIONS_WRITE
    )
    cursor_ordering = ("created_at", "pk")
    scoped = True

    def get_event(self) -> Event:
        if not hasattr(self, "_event"):
            self._event = get_object_or_404(
                Event.objects.visible_to_partner(api_key_of(self.request)),
                slug=self.kwargs["event_slug"],
            )
        return self._event

    def base_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Registration.objects.none()
        return self.get_event().registrations.for_api()

    @extend_schema(
        request=serializers.RegistrationCreateSerializer,
        responses={201: payloads.RegistrationSerializer},
    )
    def create(self, request, event_slug=None):
        """Register one person of the partner's delegation, within its quota for this event.

        Confirmed, or on the waiting list when the event is full (then `registration.confirmed`
        follows when a place frees up). Refusals are 409 problems: `no_quota`,
        `quota_exhausted`, `unknown_company`, `person_mismatch` (the address is someone else's at
        that company), `already_registered`, `registration_closed`, ...
        """
        key = api_key_of(request)
        person = serializers.RegistrationCreateSerializer(data=request.data)
        person.is_valid(raise_exception=True)
        registration = services.registration_create_for_partner(
            event=self.get_event(), partner=key.partner, **person.validated_data
        )
        registration = self.get_queryset().get(pk=registration.pk)
        return Response(self.get_serializer(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=payloads.RegistrationSerializer)
    def cancel(self, request, event_slug=None, pk=None):
        """Cancel a registration of the delegation; a freed place goes to the waiting list."""
        services.registration_cancel(registration=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)
