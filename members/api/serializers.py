"""The partners' member directory: company profiles, never personal data."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance.base.api.fields import SlugRelatedField
from members.models import Company


class MemberSerializer(serializers.ModelSerializer):
    """A member company that agreed to be shown to partners. No people, no contact persons."""

    sectors = SlugRelatedField(many=True, read_only=True)
    home_chamber = serializers.SerializerMethodField()

    class Meta:
        model = Company
        fields = [
            "slug",
            "name",
            "country",
            "enterprise_number",
            "registration_number",
            "vat_number",
            "legal_form",
            "size_class",
            "postcode",
            "municipality",
            "website",
            "description",
            "is_family_business",
            "founded_year",
            "export_countries",
            "languages",
            "sectors",
            "home_chamber",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_home_chamber(self, company) -> str | None:
        # From members.search.for_directory_display: no query per row.
        memberships = getattr(company, "current_memberships", [])
        return memberships[0].chamber.slug if memberships else None
