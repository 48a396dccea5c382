"""The one filter set behind the events list page, its calendar feed and (later) the API."""

import datetime
import re

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chambers.models import Chamber
from competences.models import CompetenceCentre
from events.models import Event, Registration
from members.models import Sector

# The stored vector holds each language in its own configuration; a query is read in all three.
SEARCH_CONFIGS = ("dutch", "french", "english", "simple")
# Typo and compound tolerance on the titles, as the member directory has (members/search.py):
# every longer word of the query must look like part of a word of a title, in any language.
TITLE_FIELDS = ("title_nl", "title_fr", "title_en")
MIN_TYPO_WORD_LENGTH = 4
MAX_TYPO_WORDS = 6
_WORD = re.compile(r"\w+")


def _title_close_to(word: str) -> QuerySet:
    """Ids of events with a title that holds something like `word`: word similarity (`%>`,
    0.6) matches part of a word, so "innovatie" finds "Innovatiesubsidies" and "inovatie" too.
    One UNION branch per title column, each through its gin_trgm_ops index."""
    branches = [
        Event.objects.filter(**{f"{field}__trigram_word_similar": word}).order_by().values("pk")
        for field in TITLE_FIELDS
    ]
    return branches[0].union(*branches[1:])


def full_text_query(text: str) -> SearchQuery:
    query = None
    for config in SEARCH_CONFIGS:
        part = SearchQuery(text, config=config, search_type="websearch")
        query = part if query is None else query | part
    return query


class MonthField(forms.CharField):
    """'2026-10' → date(2026, 10, 1); anything else is a validation error, not a 500."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            year, month = (int(part) for part in value.split("-"))
            return datetime.date(year, month, 1)
        except ValueError as error:
            raise forms.ValidationError(_("Kies een maand als JJJJ-MM."), code="month") from error


class MonthFilter(django_filters.Filter):
    field_class = MonthField

    def filter(self, qs, value):
        if not value:
            return qs
        first = timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))
        next_month = (value.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        last = timezone.make_aware(datetime.datetime.combine(next_month, datetime.time.min))
        return qs.filter(starts_at__lt=last, ends_at__gte=first)


class EventFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Zoeken"), method="search", max_length=200)
    chamber = django_filters.ModelChoiceFilter(
        label=_("Kamer"),
        queryset=Chamber.objects.active(),
        to_field_name="slug",
        method="organised_by",
        empty_label=_("Alle kamers"),
    )
    centre = django_filters.ModelChoiceFilter(
        label=_("Competentiecentrum"),
        queryset=CompetenceCentre.objects.all(),
        to_field_name="slug",
        empty_label=_("Alle centra"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Soort"), choices=Event.Kind.choices, empty_label=_("Alle soorten")
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        field_name="sectors",
        to_field_name="slug",
        empty_label=_("Alle sectoren"),
    )
    month = MonthFilter(label=_("Maand"))
    city = django_filters.CharFilter(label=_("Plaats"), lookup_expr="iexact", max_length=100)
    country = django_filters.CharFilter(label=_("Land"), method="in_country", max_length=2)
    open = django_filters.BooleanFilter(
        label=_("Open voor inschrijving"),
        method="open_for_registration",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Event
        fields = ["q", "chamber", "centre", "kind", "sector", "month", "city", "country", "open"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        query = full_text_query(value)
        matching = Event.objects.filter(search_vector=query).order_by().values("pk")
        words = [w for w in _WORD.findall(value) if len(w) >= MIN_TYPO_WORD_LENGTH]
        if words := words[:MAX_TYPO_WORDS]:
            close_to_every_word = _title_close_to(words[0])
            if len(words) > 1:
                close_to_every_word = close_to_every_word.intersection(
                    *map(_title_close_to, words[1:])
                )
            matching = matching.union(close_to_every_word)
        rank = SearchRank(F("search_vector"), query) + TrigramWordSimilarity(value, "title_nl")
        return queryset.filter(pk__in=matching).annotate(rank=rank).order_by("-rank", "starts_at")

    def organised_by(self, queryset, name, chamber):
        return queryset.organised_or_co_organised_by(chamber)

    def in_country(self, queryset, name, value):
        return queryset.filter(country=value.upper())

    def open_for_registration(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.open_for_registration()


# The back-office (/staff/events/): the staff's list of events and an event's attendee table.


class StaffEventFilterSet(django_filters.FilterSet):
    """The staff's events: every status, by chamber, month and full text."""

    q = django_filters.CharFilter(label=_("Zoeken"), method="search", max_length=200)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Event.Status.choices, empty_label=_("Alle statussen")
    )
    chamber = django_filters.ModelChoiceFilter(
        label=_("Kamer"),
        queryset=Chamber.objects.active(),
        to_field_name="slug",
        method="organised_by",
        empty_label=_("Alle kamers"),
    )
    month = MonthFilter(label=_("Maand"))
    # A tab, not a narrowing filter: coming events (soonest first) or past ones (latest first).
    past = django_filters.BooleanFilter(method="in_period", widget=forms.HiddenInput)

    class Meta:
        model = Event
        fields = ["q", "status", "chamber", "month", "past"]

    search = EventFilterSet.search
    organised_by = EventFilterSet.organised_by

    def filter_queryset(self, queryset):
        now = timezone.now()
        if self.form.cleaned_data.get("past"):
            queryset = queryset.filter(ends_at__lte=now).order_by("-starts_at", "pk")
        else:
            queryset = queryset.filter(ends_at__gt=now).order_by("starts_at", "pk")
        return super().filter_queryset(queryset)

    def in_period(self, queryset, name, value):
        return queryset  # applied first, in filter_queryset: it orders the list too


class AttendeeFilterSet(django_filters.FilterSet):
    """An event's registrations, for its table and its exports; cancelled ones only on request."""

    MEMBER_TERMS_CHOICES = [("yes", _("Ledenprijs")), ("no", _("Niet-ledenprijs"))]

    q = django_filters.CharFilter(label=_("Naam of e-mail"), method="person", max_length=200)
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Registration.Status.choices,
        empty_label=_("Alle behalve geannuleerd"),
    )
    company = django_filters.CharFilter(
        label=_("Onderneming of ondernemingsnummer"), method="of_company", max_length=200
    )
    member_terms = django_filters.ChoiceFilter(
        label=_("Voorwaarden"),
        choices=MEMBER_TERMS_CHOICES,
        method="on_member_terms",
        empty_label=_("Alle voorwaarden"),
    )

    class Meta:
        model = Registration
        fields = ["q", "status", "company", "member_terms"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.exclude(status=Registration.Status.CANCELLED)
        return queryset

    def person(self, queryset, name, value):
        """Every word in the first name, the last name or the e-mail: "Els Janssens" finds her."""
        for word in value.split()[:MAX_TYPO_WORDS]:
            queryset = queryset.filter(
                Q(person__first_name__icontains=word)
                | Q(person__last_name__icontains=word)
                | Q(person__email__icontains=word)
            )
        return queryset

    def of_company(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q(company__name__icontains=value)
        digits = "".join(character for character in value if character.isdigit())
        if len(digits) >= 4:
            condition |= Q(company__enterprise_number__contains=digits)
        return queryset.filter(condition)

    def on_member_terms(self, queryset, name, value):
        return queryset.filter(member_terms=value == "yes") if value else queryset
