"""What the API shows of chambers, alliances, partners, a partner's keys, log and webhooks."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from alliance.base.api import fields
from alliance.base.api.fields import SlugRelatedField
from chambers.models import (
    Alliance,
    AllianceChamber,
    ApiCall,
    Chamber,
    Partner,
    PartnerAPIKey,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEventType,
)


class ChamberSerializer(serializers.ModelSerializer):
    alliances = SlugRelatedField(many=True, read_only=True)

    class Meta:
        model = Chamber
        fields = [
            "slug",
            "name",
            "short_name",
            "kind",
            "region",
            "country",
            "email",
            "phone",
            "website",
            "is_active",
            "alliances",
        ]


class AllianceChamberSerializer(serializers.ModelSerializer):
    chamber = SlugRelatedField(read_only=True)

    class Meta:
        model = AllianceChamber
        fields = ["chamber", "joined_on"]


class AllianceSerializer(serializers.ModelSerializer):
    chambers = AllianceChamberSerializer(source="memberships", many=True, read_only=True)

    class Meta:
        model = Alliance
        fields = ["slug", "name", "signed_on", "target_date", "description", "chambers"]


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["slug", "name", "kind", "country", "website", "description"]


class ApiKeySerializer(serializers.ModelSerializer):
    scopes = serializers.ListField(child=serializers.CharField(), read_only=True)
    chambers = SlugRelatedField(many=True, read_only=True)
    expires_at = serializers.DateTimeField(source="expiry_date", read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(source="created", read_only=True)

    class Meta:
        model = PartnerAPIKey
        fields = [
            "prefix",
            "name",
            "scopes",
            "chambers",
            "expires_at",
            "last_used_at",
            "created_at",
        ]


class MeSerializer(serializers.Serializer):
    """The calling key, its partner, and the rate it is allowed."""

    partner = PartnerSerializer()
    key = ApiKeySerializer()
    rate_limit = serializers.CharField(help_text=_("bv. 600/minute"))


class ApiCallSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiCall
        fields = ["id", "key_prefix", "method", "path", "status_code", "duration_ms", "created_at"]


class WebhookEndpointSerializer(serializers.ModelSerializer):
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEventType.choices), read_only=True
    )
    chambers = SlugRelatedField(many=True, read_only=True)

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "event_types",
            "chambers",
            "is_active",
            "disabled_at",
            "disabled_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    """Only the answer to a creation shows the secret; store it, it is not shown again."""

    secret = serializers.CharField(read_only=True)

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookEndpointRotatedSerializer(WebhookEndpointCreatedSerializer):
    """The answer to a rotation: the new `secret`, shown only this once, and until when the
    previous one still signs beside it."""

    previous_secret_expires_at = serializers.DateTimeField(read_only=True)

    class Meta(WebhookEndpointCreatedSerializer.Meta):
        fields = [*WebhookEndpointCreatedSerializer.Meta.fields, "previous_secret_expires_at"]
        read_only_fields = fields


class WebhookEndpointWriteSerializer(serializers.Serializer):
    url = fields.URLField(max_length=500)
    description = fields.CharField(max_length=200, required=False, allow_blank=True)
    event_types = serializers.ListField(
        child=fields.ChoiceField(choices=WebhookEventType.choices),
        min_length=1,
        max_length=len(WebhookEventType.values),
    )
    chambers = SlugRelatedField(
        many=True,
        required=False,
        queryset=Chamber.objects.all(),
        help_text=_("Leeg: alle kamers (binnen wat de sleutel mag)."),
    )


class WebhookEndpointUpdateSerializer(WebhookEndpointWriteSerializer):
    is_active = fields.BooleanField(required=False)


class WebhookDeliverySerializer(serializers.ModelSerializer):
    payload = serializers.JSONField(read_only=True, help_text=_("Het veld ‘data’ van het bericht."))

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint",
            "event_type",
            "status",
            "attempts",
            "last_attempt_at",
            "last_status_code",
            "last_error",
            "next_attempt_at",
            "delivered_at",
            "created_at",
            "payload",
        ]
        read_only_fields = fields
