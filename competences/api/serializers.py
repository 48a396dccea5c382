"""What the API shows of competence centres and their services."""

from rest_framework import serializers

from alliance.base.api.fields import SlugRelatedField
from competences.models import CompetenceCentre, Service


class CompetenceCentreSerializer(serializers.ModelSerializer):
    lead_chamber = SlugRelatedField(read_only=True)
    alliance = SlugRelatedField(read_only=True)

    class Meta:
        model = CompetenceCentre
        fields = ["slug", "name", "description", "email", "lead_chamber", "alliance"]


class ServiceSerializer(serializers.ModelSerializer):
    centre = SlugRelatedField(read_only=True)

    class Meta:
        model = Service
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "description",
            "audience",
            "price_note",
            "is_active",
            "centre",
        ]
