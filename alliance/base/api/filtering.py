"""The API's filter backend: django-filter, with empty values refused where they mean nothing.

On a page, an empty field means "no filter"; in the API `?kind=` or `?since=` is most likely a
mistake, so a filter that expects a choice, a date or a number says so instead of returning
everything.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


class FilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        empty = [
            name
            for name, field in filterset.form.fields.items()
            if request.query_params.get(name) == "" and type(field) is not forms.CharField
        ]
        if empty:
            raise ValidationError(
                {name: [_("Geef een waarde, of laat deze parameter weg.")] for name in empty}
            )
        return filterset
