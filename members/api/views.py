"""The member directory for partners: companies that consented to it, scoped to the key's
chambers, searchable with the directory page's own filters."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from alliance.base.api.fields import StrictBooleanFilter
from alliance.base.api.views import ReadOnlyViewSet
from chambers.models import ApiScope, Chamber
from competences.models import CompetenceCentre
from members import search
from members.api.serializers import MemberSerializer
from members.filtersets import DirectoryFilterSet
from members.models import Company


@extend_schema_field(OpenApiTypes.STR)
class _SlugFilter(django_filters.ModelChoiceFilter):
    """A choice by slug, documented as a string."""


class PartnerDirectoryFilterSet(DirectoryFilterSet):
    """The directory's filters; true/false is strict, so that a typo is an error, not all rows."""

    family_business = StrictBooleanFilter(field_name="is_family_business")
    chamber = _SlugFilter(
        label=_("Thuiskamer (slug)"),
        method="filter_chamber",
        queryset=Chamber.objects.active(),
        to_field_name="slug",
    )
    centre = _SlugFilter(
        label=_("Interesse in competentiecentrum (slug)"),
        method="filter_centre",
        queryset=CompetenceCentre.objects.all(),
        to_field_name="slug",
    )

    class Meta(DirectoryFilterSet.Meta):
        fields = []


class MemberViewSet(ReadOnlyViewSet):
    """Member companies that agreed to be shown to the alliance's partners."""

    serializer_class = MemberSerializer
    filterset_class = PartnerDirectoryFilterSet
    required_scopes = {"list": ApiScope.DIRECTORY_READ, "retrieve": ApiScope.DIRECTORY_READ}
    cursor_ordering = ("name", "pk")
    scoped = True

    def get_queryset(self):
        return search.for_directory_display(super().get_queryset())

    def base_queryset(self):
        return Company.objects.all()
