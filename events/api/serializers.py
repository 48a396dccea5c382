"""What a partner may send about events and registrations.

What the API shows of them is events/payloads.py: the same shape as a webhook's data.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from alliance.base.api import fields
from alliance.base.api.fields import SlugRelatedField
from alliance.base.choices import Language
from chambers.models import Chamber
from competences.models import CompetenceCentre
from events.models import Event
from members import countries, identifiers
from members.models import Sector


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


class RegistrationCreateSerializer(serializers.Serializer):
    """A person of the partner's delegation, at a company the portal knows."""

    first_name = fields.CharField(max_length=100)
    last_name = fields.CharField(max_length=100)
    email = fields.EmailField(max_length=254)
    country = fields.ChoiceField(
        choices=countries.COUNTRIES,
        required=False,
        default=countries.BELGIUM,
        help_text=_("Het land van de werkgever (ISO 3166-1 alpha-2); standaard BE."),
    )
    enterprise_number = fields.CharField(
        max_length=30,
        help_text=_(
            "Het nummer van de werkgever: het ondernemingsnummer (KBO), bv. 0403.170.701; "
            "buiten België het KvK- of registratienummer, of het btw-nummer met landcode."
        ),
    )
    preferred_language = fields.ChoiceField(choices=Language.choices, required=False, default="nl")

    def validate(self, data):
        # The form of the number only; whether the portal knows the company is the service's.
        try:
            number = identifiers.parse(data["enterprise_number"], data.get("country"))
        except DjangoValidationError as error:
            raise serializers.ValidationError({"enterprise_number": error.messages}) from error
        return {**data, "enterprise_number": number.value, "country": number.country}
