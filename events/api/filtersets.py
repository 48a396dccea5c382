"""The events list's filters, as the API offers them: the page's own, plus dates."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from alliance.base.api.fields import DateTimeFilter
from chambers.models import Chamber
from events.filtersets import EventFilterSet


class ApiEventFilterSet(EventFilterSet):
    """chamber, centre, kind, sector and q (full text) as on the events page; and dates.

    The page's month, city, country and "open" filters are left out: dates do their work here.
    """

    month = None
    city = None
    country = None
    open = None

    chamber = extend_schema_field(OpenApiTypes.STR)(
        django_filters.ModelChoiceFilter(
            label=_("Kamer (slug) die organiseert of mee organiseert"),
            queryset=Chamber.objects.active(),
            to_field_name="slug",
            method="organised_by",
        )
    )

    starts_after = DateTimeFilter(
        field_name="starts_at", lookup_expr="gte", label=_("Begint op of na")
    )
    starts_before = DateTimeFilter(field_name="starts_at", lookup_expr="lt", label=_("Begint voor"))
    updated_since = DateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Gewijzigd sinds")
    )

    class Meta(EventFilterSet.Meta):
        fields = [
            "q",
            "chamber",
            "centre",
            "kind",
            "sector",
            "starts_after",
            "starts_before",
            "updated_since",
        ]
