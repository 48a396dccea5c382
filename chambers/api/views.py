"""The catalogue (chambers, alliances, partners) and what belongs to the calling partner."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from alliance.base.api.authentication import api_key_of
from alliance.base.api.permissions import HasScope, IsPartnerKey
from alliance.base.api.views import ID_REGEX, ApiView, GenericViewSet, ReadOnlyViewSet
from chambers import services
from chambers.api import serializers
from chambers.api.filtersets import ApiCallFilterSet, WebhookDeliveryFilterSet
from chambers.models import (
    Alliance,
    AllianceChamber,
    ApiCall,
    ApiScope,
    Chamber,
    Partner,
    WebhookDelivery,
    WebhookEndpoint,
)


class ChamberViewSet(ReadOnlyViewSet):
    """The chambers of commerce. Catalogue: every caller may read it."""

    serializer_class = serializers.ChamberSerializer
    queryset = Chamber.objects.prefetch_related("alliances")
    cursor_ordering = ("name", "pk")


class AllianceViewSet(ReadOnlyViewSet):
    """Alliances and the chambers in them, with the date each joined."""

    serializer_class = serializers.AllianceSerializer
    queryset = Alliance.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=AllianceChamber.objects.select_related("chamber").order_by("chamber__name"),
        )
    )
    cursor_ordering = ("name", "pk")


class PartnerViewSet(ReadOnlyViewSet):
    """The organisations that cooperate with the alliance by agreement."""

    serializer_class = serializers.PartnerSerializer
    queryset = Partner.objects.all()
    cursor_ordering = ("name", "pk")


class MeView(ApiView):
    """The calling key: its partner, scopes, chambers, expiry and rate limit."""

    permission_classes = [IsPartnerKey]

    @extend_schema(responses=serializers.MeSerializer)
    def get(self, request):
        key = api_key_of(request)
        data = {
            "partner": key.partner,
            "key": key,
            "rate_limit": api_settings.DEFAULT_THROTTLE_RATES.get("api_key") or "",
        }
        return Response(serializers.MeSerializer(data).data)


class ApiCallViewSet(mixins.ListModelMixin, GenericViewSet):
    """The calling partner's own log: every call made with any of its keys, newest first."""

    permission_classes = [IsPartnerKey]
    serializer_class = serializers.ApiCallSerializer
    filterset_class = ApiCallFilterSet
    cursor_ordering = ("-created_at", "-pk")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApiCall.objects.none()
        return api_key_of(self.request).partner.api_calls.all()


class WebhookEndpointViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    GenericViewSet,
):
    """The calling partner's webhook endpoints."""

    permission_classes = [IsPartnerKey, HasScope]
    required_scopes = dict.fromkeys(
        ["list", "retrieve", "create", "partial_update", "destroy", "rotate_secret"],
        ApiScope.WEBHOOKS_MANAGE,
    )
    serializer_class = serializers.WebhookEndpointSerializer
    lookup_value_regex = ID_REGEX
    cursor_ordering = ("-created_at", "-pk")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WebhookEndpoint.objects.none()
        return api_key_of(self.request).partner.webhook_endpoints.prefetch_related("chambers")

    @extend_schema(
        request=serializers.WebhookEndpointWriteSerializer,
        responses={201: serializers.WebhookEndpointCreatedSerializer},
    )
    def create(self, request):
        """Register an endpoint. The answer holds its `secret`, shown only this once."""
        key = api_key_of(request)
        data = self._valid(serializers.WebhookEndpointWriteSerializer)
        endpoint = services.webhook_endpoint_create(
            partner=key.partner, allowed_chamber_ids=key.chamber_ids, **data
        )
        endpoint = self.get_queryset().get(pk=endpoint.pk)
        return Response(
            serializers.WebhookEndpointCreatedSerializer(endpoint).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=serializers.WebhookEndpointUpdateSerializer,
        responses=serializers.WebhookEndpointSerializer,
    )
    def partial_update(self, request, pk=None):
        """Change an endpoint; `is_active: true` switches it on again after a 410."""
        endpoint = self.get_object()
        data = self._valid(serializers.WebhookEndpointUpdateSerializer, partial=True)
        services.webhook_endpoint_update(
            endpoint=endpoint, allowed_chamber_ids=api_key_of(request).chamber_ids, **data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=endpoint.pk)).data)

    @extend_schema(request=None, responses=serializers.WebhookEndpointRotatedSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        """A new `secret`, shown only in this answer. Until `previous_secret_expires_at` each
        delivery carries a signature with either secret (two `v1=`), then only the new one."""
        endpoint = services.webhook_endpoint_rotate_secret(endpoint=self.get_object())
        endpoint = self.get_queryset().get(pk=endpoint.pk)
        return Response(serializers.WebhookEndpointRotatedSerializer(endpoint).data)

    def _valid(self, serializer_class, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class WebhookDeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """The deliveries to the calling partner's endpoints, newest first, with their attempts."""

    permission_classes = [IsPartnerKey, HasScope]
    required_scopes = dict.fromkeys(["list", "retrieve", "redeliver"], ApiScope.WEBHOOKS_MANAGE)
    serializer_class = serializers.WebhookDeliverySerializer
    filterset_class = WebhookDeliveryFilterSet
    lookup_value_regex = r"[0-9a-fA-F-]{36}"
    cursor_ordering = ("-created_at", "-pk")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WebhookDelivery.objects.none()
        partner = api_key_of(self.request).partner
        return WebhookDelivery.objects.filter(endpoint__partner=partner)

    @extend_schema(request=None, responses={202: serializers.WebhookDeliverySerializer})
    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        """Send a delivery again, with the same id. Only once it has succeeded or failed."""
        delivery = services.webhook_redeliver(delivery=self.get_object())
        return Response(self.get_serializer(delivery).data, status=status.HTTP_202_ACCEPTED)
