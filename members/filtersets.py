"""Filters over member companies, written once for the directory page and the REST API."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from chambers.models import Chamber
from competences.models import CompetenceCentre
from members import search
from members.models import Company, Membership, Person, Sector


class DirectoryFilterSet(django_filters.FilterSet):
    """The member directory's search box and filters; all combinable, all in the URL.

    Takes any queryset of companies: the caller decides who is listed (see
    members.search.in_public_directory). Choices are addressed by slug so that URLs stay readable
    and stable across databases.
    """

    q = django_filters.CharFilter(
        label=_("Zoek"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "maxlength": search.MAX_QUERY_LENGTH,
                "placeholder": _("Naam, gemeente of trefwoord"),
                "autocomplete": "off",
            }
        ),
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"),
        field_name="sectors",
        queryset=Sector.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("Alle sectoren"),
        error_messages={"invalid_choice": _("Deze sector bestaat niet (meer). Kies een andere.")},
    )
    municipality = django_filters.CharFilter(
        label=_("Gemeente"),
        field_name="municipality",
        lookup_expr="iexact",
        widget=forms.TextInput(attrs={"list": "directory-municipalities", "autocomplete": "off"}),
    )
    chamber = django_filters.ModelChoiceFilter(
        label=_("Kamer"),
        method="filter_chamber",
        queryset=Chamber.objects.active().order_by("name"),
        to_field_name="slug",
        empty_label=_("Alle kamers"),
        error_messages={"invalid_choice": _("Deze kamer bestaat niet (meer). Kies een andere.")},
    )
    centre = django_filters.ModelChoiceFilter(
        label=_("Interesse in competentiecentrum"),
        method="filter_centre",
        queryset=CompetenceCentre.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("Alle competentiecentra"),
        error_messages={
            "invalid_choice": _("Dit competentiecentrum bestaat niet (meer). Kies een ander.")
        },
    )
    family_business = django_filters.BooleanFilter(
        label=_("Familiebedrijf"),
        field_name="is_family_business",
        widget=forms.Select(
            choices=[
                ("", _("Alle ondernemingen")),
                ("true", _("Alleen familiebedrijven")),
                ("false", _("Geen familiebedrijven")),
            ]
        ),
    )

    class Meta:
        model = Company
        fields = []

    def filter_q(self, queryset, name, value):
        return search.search(queryset, value)

    def filter_chamber(self, queryset, name, chamber):
        """Companies whose current membership is at `chamber` (their home chamber)."""
        current = Membership.objects.current().filter(company=OuterRef("pk"), chamber=chamber)
        return queryset.filter(Exists(current))

    def filter_centre(self, queryset, name, centre):
        """Companies where at least one person is interested in `centre`."""
        interested = Person.objects.filter(company=OuterRef("pk"), interest_centres=centre)
        return queryset.filter(Exists(interested))
