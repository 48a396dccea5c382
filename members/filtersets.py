"""Filters over member companies, written once for the directory page and the REST API."""

import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from chambers import roles
from chambers.models import Chamber
from competences.models import CompetenceCentre
from members import search
from members.models import (
    Company,
    Membership,
    MembershipApplication,
    Person,
    Prospect,
    Sector,
    ServiceRequest,
)


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


# The back-office (/staff/members/, /staff/requests/): the staff's own lists, scoped by the view
# (QuerySet.visible_to) and narrowed here.


class StaffMemberFilterSet(django_filters.FilterSet):
    """The member list's search box and filters, on the standing annotated by
    CompanyQuerySet.for_staff_listing (the membership that says where a company stands)."""

    chamber = django_filters.ModelChoiceFilter(
        label=_("Kamer"),
        queryset=Chamber.objects.none(),
        to_field_name="slug",
        method="filter_chamber",
        empty_label=_("Al mijn kamers"),
    )
    q = django_filters.CharFilter(
        label=_("Zoek"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "maxlength": 100,
                "placeholder": _("Naam of ondernemingsnummer"),
                "autocomplete": "off",
            }
        ),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        field_name="membership_status",
        choices=Membership.Status.choices,
        empty_label=_("Alle statussen"),
    )
    tier = django_filters.ChoiceFilter(
        label=_("Formule"),
        field_name="membership_tier",
        choices=Membership.Tier.choices,
        empty_label=_("Alle formules"),
    )
    municipality = django_filters.CharFilter(
        label=_("Gemeente"), field_name="municipality", lookup_expr="iexact"
    )
    join_requests = django_filters.BooleanFilter(
        label=_("Aanvragen om toe te treden"),
        method="filter_join_requests",
        widget=forms.Select(
            choices=[("", _("Alle ondernemingen")), ("true", _("Met openstaande aanvragen"))]
        ),
    )

    class Meta:
        model = Company
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read_ids = roles.chamber_ids_where(
            getattr(self.request, "user", None), roles.READ_ROLES
        )
        self.filters["chamber"].queryset = Chamber.objects.filter(pk__in=self.read_ids).order_by(
            "name"
        )

    def filter_queryset(self, queryset):
        # A company's standing (status, formula, until) is read at the chosen chamber, or at all
        # of the user's chambers: the filters below filter on that standing.
        chamber = self.form.cleaned_data.get("chamber")
        queryset = queryset.for_staff_listing({chamber.pk} if chamber else self.read_ids)
        return super().filter_queryset(queryset.order_by("name", "pk"))

    def filter_chamber(self, queryset, name, value):
        return queryset  # read in filter_queryset: it decides the standing, not only the rows

    def filter_q(self, queryset, name, value):
        value = value.strip()
        digits = re.sub(r"\D", "", value)
        condition = Q(name__icontains=value)
        if len(digits) >= 4:
            # 0403.170.701 is often written without its leading zero.
            condition |= Q(enterprise_number__startswith=digits)
            condition |= Q(enterprise_number__startswith=f"0{digits}")
            # A foreign company's KvK or registration number, or its VAT number.
            condition |= Q(registration_number__startswith=digits)
        compact = re.sub(r"[\s.\-]", "", value).upper()
        if len(compact) >= 6 and compact[:2].isalpha():
            condition |= Q(vat_number__startswith=compact)
        return queryset.filter(condition)

    def filter_join_requests(self, queryset, name, value):
        if value:
            return queryset.filter(pending_join_requests__gt=0)
        return queryset


class ServiceRequestFilterSet(django_filters.FilterSet):
    """The inbox's filters: whose requests (our centres' inbox or our members' elsewhere) and
    status ("open" is every status not yet done or declined)."""

    SCOPES = [
        ("inbox", _("Voor onze competentiecentra")),
        ("members", _("Van onze leden bij andere kamers")),
    ]
    STATUSES = [("open", _("Open")), *ServiceRequest.Status.choices]

    scope = django_filters.ChoiceFilter(
        label=_("Bekijk"), choices=SCOPES, method="filter_scope", empty_label=_("Alle vragen")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUSES, method="filter_status", empty_label=_("Alle statussen")
    )

    class Meta:
        model = ServiceRequest
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read_ids = roles.chamber_ids_where(
            getattr(self.request, "user", None), roles.READ_ROLES
        )

    def filter_scope(self, queryset, name, value):
        if value == "inbox":
            return queryset.led_by(self.read_ids)
        return queryset.exclude(centre__lead_chamber_id__in=self.read_ids)

    def filter_status(self, queryset, name, value):
        return queryset.open() if value == "open" else queryset.filter(status=value)


class ProspectFilterSet(django_filters.FilterSet):
    """The back-office's prospects: still to convert (the default tab) or members now, and a
    search on the company's name or enterprise number."""

    STATES = [("open", _("Nog geen lid")), ("converted", _("Lid geworden"))]

    state = django_filters.ChoiceFilter(
        label=_("Bekijk"), choices=STATES, method="filter_state", empty_label=_("Alle prospecten")
    )
    q = django_filters.CharFilter(
        label=_("Zoek"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "maxlength": 100,
                "placeholder": _("Naam of ondernemingsnummer"),
                "autocomplete": "off",
            }
        ),
    )

    class Meta:
        model = Prospect
        fields = []

    def filter_state(self, queryset, name, value):
        return queryset.filter(converted_at__isnull=value == "open")

    def filter_q(self, queryset, name, value):
        digits = re.sub(r"\D", "", value)
        match = Q(company__name__icontains=value.strip())
        if len(digits) >= 4:
            match |= Q(company__enterprise_number__contains=digits)
        return queryset.filter(match)


class MembershipApplicationFilterSet(django_filters.FilterSet):
    """The back-office's membership applications, by status (pending first is the order)."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=MembershipApplication.Status.choices,
        empty_label=_("Alle aanvragen"),
    )

    class Meta:
        model = MembershipApplication
        fields = []
