"""Filters over a partner's call log and webhook deliveries."""

import django_filters

from alliance.base.api.fields import BoundedIntegerFilter, DateTimeFilter
from chambers.models import ApiCall, WebhookDelivery, WebhookEventType


class ApiCallFilterSet(django_filters.FilterSet):
    since = DateTimeFilter(field_name="created_at", lookup_expr="gte")
    status_code = BoundedIntegerFilter(min_value=100, max_value=599)

    class Meta:
        model = ApiCall
        fields = ["since", "status_code"]


class WebhookDeliveryFilterSet(django_filters.FilterSet):
    endpoint = BoundedIntegerFilter(field_name="endpoint_id", min_value=1, max_value=2**63 - 1)
    status = django_filters.ChoiceFilter(choices=WebhookDelivery.Status.choices)
    event_type = django_filters.ChoiceFilter(choices=WebhookEventType.choices)

    class Meta:
        model = WebhookDelivery
        fields = ["endpoint", "status", "event_type"]
