"""The home page and the search box over events, services and members."""

import pytest
from django.utils import timezone

from tests.factories import (
    CompanyFactory,
    CompetenceCentreFactory,
    EventFactory,
    MembershipFactory,
    ServiceFactory,
)
from tests.query_counts import assert_request_query_count

pytestmark = pytest.mark.django_db


def test_home_shows_the_alliance_its_chambers_centres_and_next_events(
    client, event, centre, mechelen
):
    html = client.get("/").content.decode()
    assert "Alliantie Antwerpen-Waasland, Kempen en Mechelen" in html
    assert "Voka – KvK Mechelen" in html
    assert "Integrale innovatie" in html and "getrokken door Kempen" in html
    assert "Innovatieforum" in html
    assert "Nog 10 plaatsen" in html


def test_home_query_count_does_not_grow(client, alliance, kempen, centre):
    EventFactory(organiser=kempen, centre=centre)
    assert_request_query_count("home as visitor", client, "/")
    for _ in range(5):
        EventFactory(
            organiser=kempen,
            centre=CompetenceCentreFactory(lead_chamber=kempen, alliance=alliance),
        )
    assert_request_query_count("home as visitor", client, "/")


def test_home_without_any_data(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Er staan nog geen activiteiten gepland." in response.content.decode()


def test_search_over_events_services_and_members(client, event, centre, mechelen):
    event.description = "Een forum over waterstof"
    event.save()
    ServiceFactory(centre=centre, name="Waterstofadvies", description="Advies over waterstof")
    company = CompanyFactory(
        name="Waterstof Solutions",
        directory_consent=True,
        directory_consent_at=timezone.now(),
    )
    MembershipFactory(company=company, chamber=mechelen)
    hidden = CompanyFactory(name="Waterstof Geheim")
    MembershipFactory(company=hidden, chamber=mechelen)
    html = client.get("/search/", {"q": "waterstof"}).content.decode()
    assert "Innovatieforum" in html
    assert "Waterstofadvies" in html
    assert "Waterstof Solutions" in html
    assert "Waterstof Geheim" not in html, "only companies that consented appear"


def test_search_forgives_a_typo_in_a_service_name(client, centre):
    ServiceFactory(centre=centre, name="Exportadvies")
    assert "Exportadvies" in client.get("/search/", {"q": "Exprotadvies"}).content.decode()


@pytest.mark.parametrize("q", ["", "   ", "'&|!:*", "x" * 500])
def test_search_never_fails(client, db, q):
    assert client.get("/search/", {"q": q}).status_code == 200
