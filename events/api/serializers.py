"""What the API shows of events and registrations, and what a partner may send.

The read serializers are also the `data` of webhook deliveries (events.services), so a partner
gets one shape whether it asks or is told.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance.base import mail
from alliance.base.api import fields
from alliance.base.api.fields import SlugRelatedField
from alliance.base.choices import Language
from chambers.models import Chamber
from competences.models import CompetenceCentre
from events.models import Event, Registration
from members import enterprise_numbers
from members.models import Sector


class DelegationSerializer(serializers.Serializer):
    places = serializers.IntegerField(help_text=_("Het quotum dat staff je gaf."))
    used = serializers.IntegerField(
        help_text=_("Niet-geannuleerde inschrijvingen van je delegatie.")
    )


class EventSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("De pagina van de activiteit."))
    organiser = SlugRelatedField(read_only=True)
    co_organisers = SlugRelatedField(many=True, read_only=True)
    partners = SlugRelatedField(many=True, read_only=True)
    proposed_by = SlugRelatedField(read_only=True, allow_null=True)
    centre = SlugRelatedField(read_only=True, allow_null=True)
    sectors = SlugRelatedField(many=True, read_only=True)
    places_left = serializers.SerializerMethodField(help_text=_("Leeg: onbeperkt."))
    registration_open = serializers.SerializerMethodField()
    delegation = serializers.SerializerMethodField(
        help_text=_("Jouw delegatie: quotum en gebruik; leeg zonder quotum.")
    )

    class Meta:
        model = Event
        fields = [
            "slug",
            "url",
            "title",
            "description",
            "kind",
            "status",
            "organiser",
            "co_organisers",
            "partners",
            "proposed_by",
            "centre",
            "sectors",
            "starts_at",
            "ends_at",
            "venue",
            "city",
            "country",
            "language",
            "audience",
            "capacity",
            "places_left",
            "has_waiting_list",
            "registration_opens_at",
            "registration_closes_at",
            "registration_open",
            "member_price",
            "non_member_price",
            "delegation",
            "created_at",
            "updated_at",
        ]

    def get_url(self, event) -> str:
        return mail.absolute_url(reverse("events:detail", args=[event.slug]))

    def get_places_left(self, event) -> int | None:
        # places_taken_count comes from EventQuerySet.for_listing(): no query per event.
        return event.places_left(taken=event.places_taken_count)

    def get_registration_open(self, event) -> bool:
        return event.registration_is_open()

    @extend_schema_field(DelegationSerializer(allow_null=True))
    def get_delegation(self, event):
        places = getattr(event, "delegation_places", None)
        if places is None:
            return None
        return {"places": places, "used": event.delegation_used or 0}


class EventProposalSerializer(serializers.Serializer):
    """A partner's proposal for an event it co-organises; staff publish it or turn it down."""

    title = fields.CharField(max_length=200)
    description = fields.CharField(max_length=10000, required=False, allow_blank=True)
    kind = fields.ChoiceField(choices=Event.Kind.choices)
    organiser = SlugRelatedField(queryset=Chamber.objects.active())
    co_organisers = SlugRelatedField(many=True, queryset=Chamber.objects.active(), required=False)
    centre = SlugRelatedField(
        queryset=CompetenceCentre.objects.all(), required=False, allow_null=True
    )
    sectors = SlugRelatedField(many=True, queryset=Sector.objects.all(), required=False)
    starts_at = fields.DateTimeField()
    ends_at = fields.DateTimeField()
    venue = fields.CharField(max_length=200, required=False, allow_blank=True)
    city = fields.CharField(max_length=100)
    country = fields.RegexField(r"^[A-Z]{2}$", max_length=2, required=False, default="BE")
    language = fields.ChoiceField(choices=Language.choices, required=False, default="nl")
    audience = fields.ChoiceField(
        choices=Event.Audience.choices, required=False, default=Event.Audience.EVERYONE
    )
    capacity = fields.IntegerField(min_value=1, max_value=100000, required=False, allow_null=True)
    has_waiting_list = fields.BooleanField(required=False, default=True)
    registration_opens_at = fields.DateTimeField(required=False, allow_null=True)
    registration_closes_at = fields.DateTimeField(required=False, allow_null=True)
    member_price = fields.DecimalField(
        max_digits=8, decimal_places=2, min_value=0, required=False, default=0
    )
    non_member_price = fields.DecimalField(
        max_digits=8, decimal_places=2, min_value=0, required=False, default=0
    )


class RegistrationCompanySerializer(serializers.Serializer):
    name = serializers.CharField()
    enterprise_number = serializers.CharField()


class RegistrationSerializer(serializers.ModelSerializer):
    """One person of the partner's own delegation."""

    event = SlugRelatedField(read_only=True)
    first_name = serializers.CharField(source="person.first_name", read_only=True)
    last_name = serializers.CharField(source="person.last_name", read_only=True)
    email = serializers.EmailField(source="person.email", read_only=True)
    company = RegistrationCompanySerializer(read_only=True)
    waiting_list_rank = serializers.IntegerField(
        source="waiting_rank",
        read_only=True,
        allow_null=True,
        help_text=_("1 = eerste op de wachtlijst; leeg als de inschrijving niet wacht."),
    )

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "status",
            "first_name",
            "last_name",
            "email",
            "company",
            "member_terms",
            "price",
            "waiting_list_rank",
            "created_at",
            "cancelled_at",
        ]
        read_only_fields = fields


class RegistrationCreateSerializer(serializers.Serializer):
    """A person of the partner's delegation, at a company the portal knows."""

    first_name = fields.CharField(max_length=100)
    last_name = fields.CharField(max_length=100)
    email = fields.EmailField(max_length=254)
    enterprise_number = fields.CharField(
        max_length=20,
        help_text=_("Het ondernemingsnummer (KBO) van de werkgever, bv. 0403.170.701."),
    )
    preferred_language = fields.ChoiceField(choices=Language.choices, required=False, default="nl")

    def validate_enterprise_number(self, value):
        # The form of the number only; whether the portal knows the company is the service's.
        try:
            return enterprise_numbers.normalise(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
