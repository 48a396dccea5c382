"""The back-office's invoice list and its exports: one FilterSet for the page, the CSV and the
UBL zip (the period the accountant asks for)."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chambers.models import Chamber
from invoicing import permissions
from invoicing.models import Invoice


class InvoiceFilterSet(django_filters.FilterSet):
    chamber = django_filters.ModelChoiceFilter(
        label=_("Kamer"),
        queryset=Chamber.objects.none(),
        to_field_name="slug",
        empty_label=_("Al mijn kamers"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Soort"), choices=Invoice.Kind.choices, empty_label=_("Facturen en creditnota's")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Invoice.Status.choices, empty_label=_("Alle statussen")
    )
    start = django_filters.DateFilter(
        label=_("Van"),
        field_name="issue_date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = django_filters.DateFilter(
        label=_("Tot en met"),
        field_name="issue_date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    q = django_filters.CharFilter(
        label=_("Zoek"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "maxlength": 100,
                "placeholder": _("Nummer, onderneming of mededeling"),
                "autocomplete": "off",
            }
        ),
    )

    class Meta:
        model = Invoice
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ids = permissions.staff_chamber_ids(getattr(self.request, "user", None))
        self.filters["chamber"].queryset = Chamber.objects.filter(pk__in=ids).order_by("name")

    def filter_q(self, queryset, name, value):
        value = value.strip()
        digits = re.sub(r"\D", "", value)
        condition = Q(number__icontains=value) | Q(buyer_name__icontains=value)
        if len(digits) >= 6:
            condition |= Q(structured_communication__contains=digits) | Q(
                buyer_enterprise_number__contains=digits
            )
        return queryset.filter(condition)
