"""The back-office's partners page: who sees what, API keys made once and revoked, no N+1.

Mechelen (A) has an agreement with the partner; Kempen (B) organises the joint event; Limburg
(C) stands outside the alliance and has no link with the partner. Who gets which status at each
partners page and action is in the permission matrix (tests/test_permissions.py).
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chambers.models import (
    PartnerAPIKey,
    StaffRole,
    WebhookDelivery,
)
from chambers.services import api_key_create
from tests.factories import (
    EventFactory,
    PartnerAgreementFactory,
    PartnerFactory,
    WebhookDeliveryFactory,
    WebhookEndpointFactory,
    staff_user,
)
from tests.helpers import client_for
from tests.query_counts import assert_request_query_count

pytestmark = pytest.mark.django_db

Role = StaffRole.Role


@pytest.fixture
def world(mechelen, kempen, limburg):
    partner = PartnerFactory(name="POM Antwerpen", slug="pom-antwerpen")
    PartnerAgreementFactory(partner=partner, chamber=mechelen, title="Innovatieprogramma Mechelen")
    joint = EventFactory(title="Exportdag Duitsland", organiser=kempen)
    joint.partners.add(partner)
    endpoint = WebhookEndpointFactory(
        partner=partner, url="https://pom.example.be/hooks", event_types=["event.published"]
    )
    WebhookDeliveryFactory(
        endpoint=endpoint,
        event_type="event.published",
        payload={"slug": joint.slug},
        status=WebhookDelivery.Status.FAILED,
        attempts=3,
        last_status_code=503,
    )
    return {
        "partner": partner,
        "mechelen": mechelen,
        "users": {
            "viewer_a": staff_user(Role.VIEWER, mechelen),
            "chamber_admin_a": staff_user(Role.CHAMBER_ADMIN, mechelen),
            "chamber_admin_c": staff_user(Role.CHAMBER_ADMIN, limburg),
            "alliance_admin": staff_user(Role.ALLIANCE_ADMIN),
        },
    }


def key_data(world, **extra):
    return {"name": "Website", "chambers": [str(world["mechelen"].pk)], **extra}


def test_list_shows_partner_agreement_and_joint_event(world):
    response = client_for(world["users"]["viewer_a"]).get(reverse("staff:partners"))
    html = response.content.decode()
    assert "POM Antwerpen" in html
    assert "Innovatieprogramma Mechelen" in html
    assert "01/01/2026 – 31/12/2028" in html
    assert "Exportdag Duitsland" in html


def test_list_hides_partners_without_link(world, limburg):
    other = PartnerFactory(name="Limburgse Cluster")
    PartnerAgreementFactory(partner=other, chamber=limburg)
    html = client_for(world["users"]["viewer_a"]).get(reverse("staff:partners")).content.decode()
    assert "Limburgse Cluster" not in html
    html = client_for(world["users"]["chamber_admin_c"]).get(reverse("staff:partners"))
    assert "Limburgse Cluster" in html.content.decode()
    assert "POM Antwerpen" not in html.content.decode()


def test_alliance_agreement_is_seen_by_every_chamber_of_it(world, alliance, kempen):
    shared = PartnerFactory(name="Flanders Investment")
    PartnerAgreementFactory(partner=shared, alliance=alliance, title="Alliantiebrede exportsteun")
    viewer_b = staff_user(Role.VIEWER, kempen)
    html = client_for(viewer_b).get(reverse("staff:partners")).content.decode()
    assert "Alliantiebrede exportsteun" in html
    assert "Innovatieprogramma Mechelen" not in html


def test_detail_shows_keys_and_webhook_deliveries(world):
    api_key, _key = api_key_create(
        partner=world["partner"], name="Website", scopes=["events:read"], chambers=[]
    )
    response = client_for(world["users"]["viewer_a"]).get(
        reverse("staff:partner_detail", args=[world["partner"].slug])
    )
    html = response.content.decode()
    assert api_key.prefix in html
    assert "events:read" in html
    assert "https://pom.example.be/hooks" in html
    assert "503" in html and "Mislukt" in html
    assert "Nieuwe sleutel" not in html  # a viewer gets no form


def test_key_is_shown_once_and_works_until_revoked(world):
    client = client_for(world["users"]["chamber_admin_a"], reauthenticated=True)
    slug = world["partner"].slug
    response = client.post(
        reverse("staff:partner_key_create", args=[slug]),
        key_data(world, scopes=["events:read"]),
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    api_key = PartnerAPIKey.objects.get()
    key = response.context["key"]
    assert key.startswith(api_key.prefix + ".")
    assert key in response.content.decode()
    assert key not in api_key.hashed_key and key != api_key.id
    assert list(api_key.chambers.all()) == [world["mechelen"]]
    assert api_key.scopes == ["events:read"]

    detail = client.get(reverse("staff:partner_detail", args=[slug])).content.decode()
    assert api_key.prefix in detail
    assert key not in detail

    api = Client()
    assert api.get("/api/v1/chambers/", HTTP_AUTHORIZATION=f"Api-Key {key}").status_code == 200

    revoke = client.post(reverse("staff:partner_key_revoke", args=[slug, api_key.prefix]))
    assert revoke.status_code == 302
    api_key.refresh_from_db()
    assert api_key.revoked and api_key.revoked_at is not None
    assert api.get("/api/v1/chambers/", HTTP_AUTHORIZATION=f"Api-Key {key}").status_code == 401


def test_chamber_admin_must_limit_key_to_own_chambers(world, kempen):
    client = client_for(world["users"]["chamber_admin_a"], reauthenticated=True)
    url = reverse("staff:partner_key_create", args=[world["partner"].slug])
    response = client.post(url, {"name": "Overal"})
    assert response.status_code == 400
    assert "Kies minstens één kamer" in response.content.decode()
    response = client.post(url, {"name": "Kempen", "chambers": [str(kempen.pk)]})
    assert response.status_code == 400
    assert not PartnerAPIKey.objects.exists()


def test_past_expiry_is_refused(world):
    client = client_for(world["users"]["alliance_admin"], reauthenticated=True)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        reverse("staff:partner_key_create", args=[world["partner"].slug]),
        {"name": "Oud", "expiry_date": yesterday.isoformat()},
    )
    assert response.status_code == 400
    assert "Kies een datum na vandaag" in response.content.decode()
    assert not PartnerAPIKey.objects.exists()


def test_chamber_admin_cannot_revoke_key_for_every_chamber(world):
    api_key, _key = api_key_create(partner=world["partner"], name="Alles", scopes=[])
    url = reverse("staff:partner_key_revoke", args=[world["partner"].slug, api_key.prefix])
    assert client_for(world["users"]["chamber_admin_a"]).post(url).status_code == 403
    assert client_for(world["users"]["alliance_admin"]).post(url).status_code == 302
    api_key.refresh_from_db()
    assert api_key.revoked


def test_list_query_count_does_not_grow(world, alliance, kempen, centre):
    client = client_for(world["users"]["alliance_admin"])
    url = reverse("staff:partners")

    def add_partners(count):
        for _ in range(count):
            partner = PartnerFactory()
            shared = PartnerAgreementFactory(partner=partner, alliance=alliance)
            shared.competence_centres.add(centre)
            PartnerAgreementFactory(partner=partner, chamber=kempen)
            EventFactory(organiser=kempen).partners.add(partner)

    add_partners(2)
    assert_request_query_count("staff:partners as alliance admin, joint events", client, url)
    add_partners(7)
    assert_request_query_count("staff:partners as alliance admin, joint events", client, url)


def test_detail_query_count_does_not_grow(world, kempen):
    client = client_for(world["users"]["chamber_admin_a"])
    partner = world["partner"]
    url = reverse("staff:partner_detail", args=[partner.slug])

    def add_rows(count):
        for index in range(count):
            api_key_create(partner=partner, name=f"Sleutel {index}", scopes=[], chambers=[kempen])
            endpoint = WebhookEndpointFactory(
                partner=partner, url=f"https://x{index}.example.be/", event_types=["event.updated"]
            )
            endpoint.chambers.add(kempen)
            for _ in range(3):
                WebhookDeliveryFactory(endpoint=endpoint, event_type="event.updated", payload={})
            EventFactory(organiser=kempen).partners.add(partner)

    add_rows(1)
    assert_request_query_count("staff:partner_detail as chamber admin, webhooks", client, url)
    add_rows(6)
    assert_request_query_count("staff:partner_detail as chamber admin, webhooks", client, url)
