"""What the API and the webhooks say about an event and a registration: one shape for both.

A partner gets the same object whether it asks (GET /api/v1/events/<slug>/, the delegation's
registrations) or is told (the `data` of a webhook delivery). The API's views serialise with
these classes; the services build a webhook's data with `event_payload` and
`registration_payload`. The classes keep their names, which are the API schema's component
names (Event, Registration).
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance.base import mail
from alliance.base.api.fields import SlugRelatedField
from events.models import Event, Registration, RegistrationState


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
        # Annotated by the API for the calling partner; a webhook goes to many: none there.
        places = getattr(event, "delegation_places", None)
        if places is None:
            return None
        return {"places": places, "used": event.delegation_used or 0}


# The list's plain rows (EventQuerySet.for_api_rows) in EventSerializer's exact shape, without a
# model instance or a serializer field per row: the columns the list reads, and their formats.
EVENT_ROW_COLUMNS = (
    "pk",
    "slug",
    "api_title",
    "api_description",
    "kind",
    "status",
    "organiser_slug",
    "co_organiser_slugs",
    "partner_slugs",
    "proposed_by_slug",
    "centre_slug",
    "sector_slugs",
    "starts_at",
    "ends_at",
    "venue",
    "city",
    "country",
    "language",
    "audience",
    "capacity",
    "places_taken",
    "has_waiting_list",
    "registration_opens_at",
    "registration_closes_at",
    "member_price",
    "non_member_price",
    "created_at",
    "updated_at",
)
# Added when the caller is a partner (events.api.views.with_delegation).
DELEGATION_COLUMNS = ("delegation_places", "delegation_used")
_MOMENT = serializers.DateTimeField()
_PRICE = serializers.DecimalField(max_digits=8, decimal_places=2)


def event_rows(rows) -> list[dict]:
    """EventSerializer(many=True).data for the rows of EventQuerySet.for_api_rows().values(
    *EVENT_ROW_COLUMNS) (with the delegation annotations of the API's view, or without)."""
    sample = mail.absolute_url(reverse("events:detail", args=["s"]))
    url_prefix = sample.removesuffix("s/")
    moment, price = _MOMENT.to_representation, _PRICE.to_representation
    now = timezone.now()
    out = []
    for row in rows:
        capacity = row["capacity"]
        places = row.get("delegation_places")
        out.append(
            {
                "slug": row["slug"],
                "url": f"{url_prefix}{row['slug']}/",
                "title": row["api_title"],
                "description": row["api_description"],
                "kind": row["kind"],
                "status": row["status"],
                "organiser": row["organiser_slug"],
                "co_organisers": row["co_organiser_slugs"],
                "partners": row["partner_slugs"],
                "proposed_by": row["proposed_by_slug"],
                "centre": row["centre_slug"],
                "sectors": row["sector_slugs"],
                "starts_at": moment(row["starts_at"]),
                "ends_at": moment(row["ends_at"]),
                "venue": row["venue"],
                "city": row["city"],
                "country": row["country"],
                "language": row["language"],
                "audience": row["audience"],
                "capacity": capacity,
                "places_left": None if capacity is None else max(capacity - row["places_taken"], 0),
                "has_waiting_list": row["has_waiting_list"],
                "registration_opens_at": moment(row["registration_opens_at"])
                if row["registration_opens_at"]
                else None,
                "registration_closes_at": moment(row["registration_closes_at"])
                if row["registration_closes_at"]
                else None,
                "registration_open": Event.window_of(
                    status=row["status"],
                    starts_at=row["starts_at"],
                    ends_at=row["ends_at"],
                    opens_at=row["registration_opens_at"],
                    closes_at=row["registration_closes_at"],
                    now=now,
                )
                == RegistrationState.OPEN,
                "member_price": price(row["member_price"]),
                "non_member_price": price(row["non_member_price"]),
                "delegation": None
                if places is None
                else {"places": places, "used": row["delegation_used"] or 0},
                "created_at": moment(row["created_at"]),
                "updated_at": moment(row["updated_at"]),
            }
        )
    return out


class RegistrationCompanySerializer(serializers.Serializer):
    name = serializers.CharField()
    country = serializers.CharField()
    # Belgian companies only; a foreign one has a registration number and/or a VAT number.
    enterprise_number = serializers.CharField(allow_null=True)
    registration_number = serializers.CharField()
    vat_number = serializers.CharField()


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


def event_payload(event: Event) -> dict:
    """A webhook's data about `event`, read with Event.objects.for_api(): what
    GET /api/v1/events/<slug>/ shows, in Dutch (the portal's first language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return EventSerializer(event).data


def registration_payload(registration: Registration) -> dict:
    """A webhook's data about `registration`, read with Registration.objects.for_api(): what
    the delegation's API shows of it, in Dutch."""
    with translation.override(settings.LANGUAGE_CODE):
        return RegistrationSerializer(registration).data
