"""The catalogue: chambers, alliances, partners, competence centres and services."""

import pytest

from competences.models import Service
from tests.factories import (
    AllianceChamberFactory,
    ChamberFactory,
    CompetenceCentreFactory,
    PartnerFactory,
    ServiceFactory,
)
from tests.query_counts import assert_request_query_count

pytestmark = pytest.mark.django_db


def test_chambers_whole_payload(api_client, mechelen, alliance):
    mechelen.email = "info@mechelen.voka.be"
    mechelen.save()
    response = api_client.get("/api/v1/chambers/mechelen/")
    assert response.json() == {
        "slug": "mechelen",
        "name": "Voka – KvK Mechelen",
        "short_name": "Mechelen",
        "kind": "local",
        "region": "Antwerpen",
        "country": "BE",
        "email": "info@mechelen.voka.be",
        "phone": "",
        "website": "",
        "is_active": True,
        "alliances": [alliance.slug],
    }
    listed = api_client.get("/api/v1/chambers/").json()
    assert [chamber["slug"] for chamber in listed["results"]] == ["mechelen"]


def test_alliances_show_their_chambers(api_client, alliance, mechelen, kempen):
    body = api_client.get(f"/api/v1/alliances/{alliance.slug}/").json()
    assert body == {
        "slug": alliance.slug,
        "name": alliance.name,
        "signed_on": "2024-03-14",
        "target_date": "2027-03-14",
        "description": "",
        "chambers": [
            {"chamber": "kempen", "joined_on": "2024-03-14"},
            {"chamber": "mechelen", "joined_on": "2024-03-14"},
        ],
    }


def test_partners(api_client, partner):
    body = api_client.get("/api/v1/partners/").json()
    assert body["results"] == [
        {
            "slug": "liof",
            "name": "LIOF",
            "kind": "development_agency",
            "country": "NL",
            "website": "",
            "description": "",
        }
    ]


def test_competence_centres_and_their_services(api_client, centre, alliance):
    service = ServiceFactory(centre=centre, name="Innovatiescan", slug="innovatiescan")
    ServiceFactory(centre=CompetenceCentreFactory(), kind=Service.Kind.TRAINING)
    ServiceFactory(centre=centre, is_active=False, slug="oud")
    assert api_client.get("/api/v1/competence-centres/integrale-innovatie/").json() == {
        "slug": "integrale-innovatie",
        "name": "Integrale innovatie",
        "description": "",
        "email": "",
        "lead_chamber": "kempen",
        "alliance": alliance.slug,
    }
    body = api_client.get(
        "/api/v1/services/", {"centre": "integrale-innovatie", "is_active": "true"}
    ).json()
    assert body["results"] == [
        {
            "id": service.pk,
            "slug": "innovatiescan",
            "name": "Innovatiescan",
            "kind": "advice",
            "description": "",
            "audience": "members",
            "price_note": "",
            "is_active": True,
            "centre": "integrale-innovatie",
        }
    ]
    assert api_client.get(f"/api/v1/services/{service.pk}/").json()["slug"] == "innovatiescan"
    kinds = api_client.get("/api/v1/services/", {"kind": "training"}).json()["results"]
    assert [row["kind"] for row in kinds] == ["training"]


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("/api/v1/chambers/onbekend/", "not_found"),
        ("/api/v1/services/999999999999999999/", "not_found"),
        ("/api/v1/services/99999999999999999999999/", "not_found"),
        ("/api/v1/services/?kind=bestaat-niet", "invalid_input"),
        ("/api/v1/services/?is_active=misschien", "invalid_input"),
        ("/api/v1/services/?centre=", "invalid_input"),
        ("/api/v1/chambers", "not_found"),
    ],
)
def test_bad_addresses_and_filters_are_problems(api_client, url, code):
    response = api_client.get(url)
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert response.status_code in (400, 404)


def test_a_missing_trailing_slash_is_explained(api_client):
    body = api_client.get("/api/v1/chambers").json()
    assert "/api/v1/chambers/" in body["detail"]


@pytest.mark.parametrize(
    ("name", "url", "make"),
    [
        (
            "api:chamber-list, catalogue",
            "/api/v1/chambers/",
            lambda alliance: AllianceChamberFactory(alliance=alliance),
        ),
        (
            "api:alliance-list, catalogue",
            "/api/v1/alliances/",
            lambda alliance: AllianceChamberFactory(),
        ),
        ("api:partner-list, catalogue", "/api/v1/partners/", lambda alliance: PartnerFactory()),
        (
            "api:competence-centre-list, catalogue",
            "/api/v1/competence-centres/",
            lambda alliance: CompetenceCentreFactory(lead_chamber=ChamberFactory()),
        ),
        ("api:service-list, catalogue", "/api/v1/services/", lambda alliance: ServiceFactory()),
    ],
)
def test_list_queries_do_not_grow_with_the_rows(api_client, alliance, name, url, make):
    for _ in range(3):
        make(alliance)
    assert_request_query_count(name, api_client, url)
    for _ in range(12):
        make(alliance)
    assert_request_query_count(name, api_client, url)
