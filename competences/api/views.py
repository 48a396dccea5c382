"""Competence centres and their services: catalogue, every caller may read it."""

import django_filters

from alliance.base.api.fields import StrictBooleanFilter
from alliance.base.api.views import ID_REGEX, ReadOnlyViewSet
from competences.api import serializers
from competences.models import CompetenceCentre, Service


class CompetenceCentreViewSet(ReadOnlyViewSet):
    """The themes one chamber leads for the members of every alliance chamber."""

    serializer_class = serializers.CompetenceCentreSerializer
    queryset = CompetenceCentre.objects.active().for_listing()
    cursor_ordering = ("name", "pk")


class ServiceFilterSet(django_filters.FilterSet):
    centre = django_filters.ModelChoiceFilter(
        queryset=CompetenceCentre.objects.all(), to_field_name="slug"
    )
    kind = django_filters.ChoiceFilter(choices=Service.Kind.choices)
    is_active = StrictBooleanFilter()

    class Meta:
        model = Service
        fields = ["centre", "kind", "is_active"]


class ServiceViewSet(ReadOnlyViewSet):
    """What the competence centres offer: advice, missions, trainings, ..."""

    serializer_class = serializers.ServiceSerializer
    # A deactivated centre is gone for partners, its services with it.
    queryset = Service.objects.filter(centre__is_active=True).for_listing()
    filterset_class = ServiceFilterSet
    lookup_field = "pk"
    lookup_url_kwarg = "id"
    lookup_value_regex = ID_REGEX
    cursor_ordering = ("name", "pk")
