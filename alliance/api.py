"""The REST API: /api/v1/ gathers each app's api/urls.py; /api/schema/ is its OpenAPI 3
schema and /api/docs/ (and /api/redoc/) its documentation, served from our own static files.

The statistics live here, on the top floor, because they read events and members together.
"""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework import serializers
from rest_framework.response import Response

from alliance.base.api.authentication import api_key_of
from alliance.base.api.views import ApiView, NotFoundView
from alliance.base.replica import on_replica
from alliance.figures import queries as figures
from chambers.models import ApiScope, Chamber
from events import ledger
from events.models import MissionChoice
from members.models import Membership


class StatsQuerySerializer(serializers.Serializer):
    period = serializers.ChoiceField(
        choices=figures.PERIODS,
        required=False,
        default="month",
        help_text=_("Registraties per jaar, kwartaal of maand (standaard: maand)."),
    )
    periods = serializers.IntegerField(
        min_value=1,
        max_value=60,
        required=False,
        default=12,
        help_text=_("Hoeveel perioden, tot en met de huidige (standaard 12)."),
    )
    year = serializers.IntegerField(
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("De deelnamematrix voor activiteiten van dit jaar (standaard: alle jaren)."),
    )


class MembersRowSerializer(serializers.Serializer):
    chamber = serializers.CharField()
    chamber_name = serializers.CharField()
    tier = serializers.ChoiceField(choices=Membership.Tier.choices)
    members = serializers.IntegerField()


class PeriodRowSerializer(serializers.Serializer):
    period = serializers.DateField(help_text=_("De eerste dag van de periode."))
    label = serializers.CharField(help_text=_("2025 · 2025 K3 · 2025-07"))
    count = serializers.IntegerField()
    member_terms = serializers.IntegerField(help_text=_("Waarvan aan ledenvoorwaarden."))


class ParticipationRowSerializer(serializers.Serializer):
    home_chamber = serializers.CharField(
        allow_null=True, help_text=_("De thuiskamer van het lid; leeg voor niet-leden.")
    )
    home_chamber_name = serializers.CharField(allow_null=True)
    organiser = serializers.CharField(help_text=_("De kamer die de activiteit organiseert."))
    organiser_name = serializers.CharField()
    count = serializers.IntegerField()


class StatsSerializer(serializers.Serializer):
    members_by_chamber_and_tier = MembersRowSerializer(many=True)
    registrations_over_time = PeriodRowSerializer(many=True)
    participation = ParticipationRowSerializer(many=True)


class StatsView(ApiView):
    """The figures (alliance/figures/), aggregated: counts, no company or person.

    Members (a current membership today) per chamber and tier; registrations that got a place,
    per period in which they were made; and the cross-chamber participation: registrations at
    chamber A's events by members of chamber B. A key limited to some chambers gets those
    chambers' figures.
    """

    required_scopes = {"get": ApiScope.STATS_READ}

    @extend_schema(parameters=[StatsQuerySerializer], responses=StatsSerializer)
    def get(self, request):
        # A plain dict: in a QueryDict DRF reads "?period=" as "not given".
        query = StatsQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        options = query.validated_data
        key = api_key_of(request)
        # A key's empty list means every chamber; the figures' None does.
        chamber_ids = (key.chamber_ids or None) if key is not None else None
        data = {
            "members_by_chamber_and_tier": figures.members_by_chamber_and_tier(chamber_ids),
            "registrations_over_time": figures.registrations_over_time(
                chamber_ids, period=options["period"], periods=options["periods"]
            ),
            "participation": figures.cross_chamber_matrix(chamber_ids, year=options.get("year")),
        }
        return Response(StatsSerializer(data).data)


class LedgerQuerySerializer(serializers.Serializer):
    start = serializers.DateField(help_text=_("De eerste dag van de periode (Brussel)."))
    end = serializers.DateField(help_text=_("De laatste dag van de periode, inbegrepen."))

    def validate(self, attrs):
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": _("Het einde ligt na het begin.")})
        if (attrs["end"] - attrs["start"]).days > 366 * 3:
            raise serializers.ValidationError({"end": _("Hoogstens drie jaar tegelijk.")})
        return attrs


class LedgerEntrySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["registration", "service_request"])
    on = serializers.DateField()
    serving_chamber = serializers.CharField()
    home_chamber = serializers.CharField(
        allow_null=True,
        help_text=_("De thuiskamer van het lid op die datum; leeg voor niet-leden."),
    )
    company = serializers.CharField()
    subject = serializers.CharField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)


class LedgerBalanceSerializer(serializers.Serializer):
    chamber_a = serializers.CharField()
    chamber_b = serializers.CharField()
    a_served_b = serializers.DecimalField(max_digits=12, decimal_places=2)
    b_served_a = serializers.DecimalField(max_digits=12, decimal_places=2)
    net = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text=_("Positief: kamer B betaalt kamer A.")
    )


class LedgerSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    balances = LedgerBalanceSerializer(many=True)
    entries = LedgerEntrySerializer(many=True)


class LedgerView(ApiView):
    """The settlement ledger (events/ledger.py) for a period: who served whose members, the
    balance between each pair of chambers, and the entries. A key limited to some chambers gets
    the entries where one of them served or is the home chamber."""

    required_scopes = {"get": ApiScope.LEDGER_READ}

    @extend_schema(parameters=[LedgerQuerySerializer], responses=LedgerSerializer)
    def get(self, request):
        query = LedgerQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        start, end = query.validated_data["start"], query.validated_data["end"]
        key = api_key_of(request)
        chamber_ids = (key.chamber_ids or None) if key is not None else None
        rows = ledger.entries(start, end, chamber_ids)
        slugs = dict(Chamber.objects.values_list("pk", "slug"))
        data = {
            "start": start,
            "end": end,
            "balances": [
                {
                    "chamber_a": balance.a.slug,
                    "chamber_b": balance.b.slug,
                    "a_served_b": balance.a_served_b,
                    "b_served_a": balance.b_served_a,
                    "net": balance.net,
                }
                for balance in ledger.balances(rows)
            ],
            "entries": [
                {
                    "kind": entry.kind,
                    "on": entry.on,
                    "serving_chamber": slugs[entry.serving_id],
                    "home_chamber": slugs.get(entry.home_id),
                    "company": entry.company,
                    "subject": entry.subject,
                    "amount": entry.amount,
                }
                for entry in rows
            ],
        }
        return Response(LedgerSerializer(data).data)


class MissionApplicationSerializer(serializers.Serializer):
    mission = serializers.CharField(help_text=_("De slug van de missie."))
    company = serializers.CharField()
    priority = serializers.IntegerField()
    status = serializers.CharField()
    score = serializers.IntegerField(allow_null=True)
    motivation = serializers.CharField()
    target_markets = serializers.CharField()
    applied_at = serializers.DateTimeField()
    followed_up = serializers.BooleanField()


class MissionApplicationsView(ApiView):
    """The applications for the missions that select participants and that the key's partner
    co-organises (events/missions.py), by mission and priority."""

    required_scopes = {"get": ApiScope.MISSIONS_READ}

    @extend_schema(responses=MissionApplicationSerializer(many=True))
    def get(self, request):
        key = api_key_of(request)
        choices = (
            MissionChoice.objects.filter(
                event__selects_participants=True, event__partners=key.partner_id
            )
            .exclude(status=MissionChoice.Status.WITHDRAWN)
            .order_by("event__starts_at", "event_id", "priority", "pk")
            .values(
                "event__slug",
                "company__name",
                "priority",
                "status",
                "score",
                "application__motivation",
                "application__target_markets",
                "created_at",
                "followed_up_at",
            )
        )
        data = [
            {
                "mission": row["event__slug"],
                "company": row["company__name"],
                "priority": row["priority"],
                "status": row["status"],
                "score": row["score"],
                "motivation": row["application__motivation"],
                "target_markets": row["application__target_markets"],
                "applied_at": row["created_at"],
                "followed_up": row["followed_up_at"] is not None,
            }
            for row in choices
        ]
        return Response(MissionApplicationSerializer(data, many=True).data)


v1 = [
    path("", include("chambers.api.urls")),
    path("", include("competences.api.urls")),
    path("", include("members.api.urls")),
    path("", include("events.api.urls")),
    path("stats/", on_replica(StatsView.as_view()), name="stats"),
    path("ledger/", on_replica(LedgerView.as_view()), name="ledger"),
    path(
        "mission-applications/",
        on_replica(MissionApplicationsView.as_view()),
        name="mission_applications",
    ),
]

# The API viewers build their styles at run time and ReDoc starts a worker from a blob.
DOCS_CSP = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": ["'self'", "blob:"]})

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="api")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's start-up script is a file of its own (the split view), not inline: the
    # Content-Security-Policy allows no inline script. Both viewers inject their styles.
    path(
        "docs/",
        DOCS_CSP(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path(
        "redoc/",
        DOCS_CSP(SpectacularRedocView.as_view(url_name="api-schema")),
        name="api-redoc",
    ),
    # Anything else under /api/ is a problem+json 404, never the portal's HTML page.
    re_path(r"^", NotFoundView.as_view()),
]
