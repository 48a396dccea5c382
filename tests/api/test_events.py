"""Events: the list, each filter, cursor pagination, ETags, scoping, and partners' proposals."""

import datetime
import time
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from chambers.models import WebhookDelivery
from events import services
from events.models import Event
from tests.api.conftest import problem
from tests.factories import (
    ChamberFactory,
    CompetenceCentreFactory,
    DelegationQuotaFactory,
    EventFactory,
    SectorFactory,
    staff_user,
)
from tests.query_counts import assert_request_query_count

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [event["slug"] for event in response.json()["results"]]


def in_days(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_an_event_whole_payload(api_client, event, kempen, mechelen, partner, centre):
    event.co_organisers.add(mechelen)
    event.partners.add(partner)
    sector = SectorFactory(name="Energie", slug="energie")
    event.sectors.add(sector)
    event.venue = "Thomas More"
    event.save()
    body = api_client.get("/api/v1/events/innovatieforum/").json()
    assert body == {
        "slug": "innovatieforum",
        "url": "http://127.0.0.1:8000/events/innovatieforum/",
        "title": "Innovatieforum",
        "description": "",
        "kind": "seminar",
        "status": "published",
        "organiser": "kempen",
        "co_organisers": ["mechelen"],
        "partners": ["liof"],
        "proposed_by": None,
        "centre": "integrale-innovatie",
        "sectors": ["energie"],
        "starts_at": timezone.localtime(event.starts_at).isoformat(),
        "ends_at": timezone.localtime(event.ends_at).isoformat(),
        "venue": "Thomas More",
        "city": "Mechelen",
        "country": "BE",
        "language": "nl",
        "audience": "everyone",
        "capacity": 10,
        "places_left": 10,
        "has_waiting_list": True,
        "registration_opens_at": None,
        "registration_closes_at": None,
        "registration_open": True,
        "member_price": "45.00",
        "non_member_price": "95.00",
        "delegation": None,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_lean_list_says_what_the_serializer_says(
    api_client, event, kempen, mechelen, partner, other_partner, centre, person, language
):
    """The list is built from plain rows (payloads.event_rows); every item equals the detail,
    which goes through EventSerializer: titles with their fallback, related slugs in order,
    places, prices, moments, the window and the delegation."""
    event.co_organisers.add(mechelen)
    event.partners.add(partner, other_partner)
    event.sectors.add(SectorFactory(name="Zorg", slug="zorg"), SectorFactory(name="Energie"))
    event.title_fr, event.description_nl = "Forum de l'innovation", "Over <b>innovatie</b>"
    event.member_price, event.capacity = Decimal("12.5"), 2
    event.save()
    DelegationQuotaFactory(event=event, partner=partner, places=3)
    services.registration_create(event=event, person=person, partner=partner)
    EventFactory(
        slug="later",
        organiser=mechelen,
        capacity=None,
        registration_opens_at=timezone.now() + datetime.timedelta(days=2),
        registration_closes_at=timezone.now() + datetime.timedelta(days=3),
    )
    EventFactory(slug="voorbij", organiser=kempen, status=Event.Status.CANCELLED)
    EventFactory(
        slug="voorstel", organiser=kempen, status=Event.Status.PROPOSED, proposed_by=partner
    )
    listed = api_client.get("/api/v1/events/", HTTP_ACCEPT_LANGUAGE=language).json()["results"]
    assert {item["slug"] for item in listed} == {"innovatieforum", "later", "voorbij", "voorstel"}
    for item in listed:
        detail = api_client.get(f"/api/v1/events/{item['slug']}/", HTTP_ACCEPT_LANGUAGE=language)
        assert item == detail.json()
    forum = next(item for item in listed if item["slug"] == "innovatieforum")
    assert forum["title"] == ("Forum de l'innovation" if language == "fr" else "Innovatieforum")
    assert forum["delegation"] == {"places": 3, "used": 1}
    assert forum["places_left"] == 1


def test_the_delegation_shows_the_partners_quota_and_its_use(api_client, event, partner, person):
    DelegationQuotaFactory(event=event, partner=partner, places=4)
    services.registration_create(event=event, person=person, partner=partner)
    body = api_client.get("/api/v1/events/innovatieforum/").json()
    assert body["delegation"] == {"places": 4, "used": 1}
    assert body["places_left"] == 9


def test_drafts_and_other_partners_proposals_stay_hidden(api_client, event, kempen, other_partner):
    EventFactory(slug="ontwerp", status=Event.Status.DRAFT, organiser=kempen)
    EventFactory(
        slug="voorstel-fit",
        status=Event.Status.PROPOSED,
        proposed_by=other_partner,
        organiser=kempen,
    )
    EventFactory(slug="geannuleerd", status=Event.Status.CANCELLED, organiser=kempen)
    assert sorted(slugs(api_client.get("/api/v1/events/"))) == ["geannuleerd", "innovatieforum"]
    problem(api_client.get("/api/v1/events/ontwerp/"), 404, "not_found")
    problem(api_client.get("/api/v1/events/voorstel-fit/"), 404, "not_found")


@pytest.fixture
def agenda(kempen, mechelen, limburg, centre):
    """Five events over three chambers, with centres, kinds, sectors and texts to filter on."""
    energy = SectorFactory(name="Energie", slug="energie")
    other_centre = CompetenceCentreFactory(slug="duurzaam", lead_chamber=mechelen)
    events = {
        "forum": EventFactory(
            slug="forum",
            title="Innovatieforum Kempen",
            organiser=kempen,
            centre=centre,
            kind=Event.Kind.FORUM,
            starts_at=in_days(10),
        ),
        "workshop": EventFactory(
            slug="workshop",
            title="Inspiratieatelier waterstof",
            organiser=mechelen,
            centre=other_centre,
            kind=Event.Kind.WORKSHOP,
            starts_at=in_days(20),
        ),
        "missie": EventFactory(
            slug="missie",
            title="Handelsmissie Vietnam",
            organiser=limburg,
            kind=Event.Kind.TRADE_MISSION,
            starts_at=in_days(30),
        ),
        "beurs": EventFactory(
            slug="beurs",
            title="Anuga beursbezoek",
            organiser=limburg,
            kind=Event.Kind.TRADE_FAIR_VISIT,
            starts_at=in_days(40),
        ),
        "seminarie": EventFactory(
            slug="seminarie",
            title="Seminarie energiedelen",
            organiser=mechelen,
            kind=Event.Kind.SEMINAR,
            starts_at=in_days(50),
        ),
    }
    events["beurs"].co_organisers.add(kempen)
    events["workshop"].sectors.add(energy)
    events["seminarie"].sectors.add(energy)
    return events


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["forum", "workshop", "missie", "beurs", "seminarie"]),
        ({"chamber": "kempen"}, ["forum", "beurs"]),  # organised or co-organised
        ({"chamber": "limburg"}, ["missie", "beurs"]),
        ({"centre": "integrale-innovatie"}, ["forum"]),
        ({"kind": "trade_mission"}, ["missie"]),
        ({"sector": "energie"}, ["workshop", "seminarie"]),
        ({"q": "waterstof"}, ["workshop"]),
        ({"q": "vietnam"}, ["missie"]),
        ({"sector": "energie", "chamber": "mechelen", "kind": "seminar"}, ["seminarie"]),
    ],
)
def test_each_filter(api_client, agenda, filters, expected):
    assert slugs(api_client.get("/api/v1/events/", filters)) == expected


def test_date_filters(api_client, agenda):
    after, before = in_days(15).isoformat(), in_days(40).isoformat()
    response = api_client.get("/api/v1/events/", {"starts_after": after, "starts_before": before})
    assert slugs(response) == ["workshop", "missie"]
    Event.objects.filter(slug="missie").update(
        updated_at=timezone.now() + datetime.timedelta(hours=1)
    )
    since = (timezone.now() + datetime.timedelta(minutes=30)).isoformat()
    assert slugs(api_client.get("/api/v1/events/", {"updated_since": since})) == ["missie"]


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"chamber": "gent"}, "chamber"),
        ({"kind": "picknick"}, "kind"),
        ({"starts_after": "gisteren"}, "starts_after"),
        ({"updated_since": ""}, "updated_since"),
        ({"q": "x" * 201}, "q"),
        ({"sector": "bestaat-niet"}, "sector"),
    ],
)
def test_bad_filters_are_400_problems_naming_the_field(api_client, agenda, filters, field):
    body = problem(api_client.get("/api/v1/events/", filters), 400, "invalid_input")
    assert [error["field"] for error in body["errors"]] == [field]


def test_a_key_limited_to_chambers_sees_their_events_only(make_client, agenda, kempen):
    client = make_client("events:read", chambers=[kempen])
    assert slugs(client.get("/api/v1/events/")) == ["forum", "beurs"]
    problem(client.get("/api/v1/events/missie/"), 404, "not_found")


def test_cursor_pagination_walks_every_event_once(api_client, agenda):
    seen, url, pages = [], "/api/v1/events/?page_size=2", 0
    while url:
        response = api_client.get(url)
        body = response.json()
        seen += [event["slug"] for event in body["results"]]
        pages += 1
        url = body["next"]
        if url:
            assert "cursor=" in url and "page_size=2" in url
    assert seen == ["forum", "workshop", "missie", "beurs", "seminarie"]
    assert pages == 3
    second = api_client.get("/api/v1/events/?page_size=2").json()["next"]
    back = api_client.get(api_client.get(second).json()["previous"]).json()
    assert [event["slug"] for event in back["results"]] == ["forum", "workshop"]


def test_a_new_event_does_not_shift_the_next_page(api_client, agenda, kempen):
    first = api_client.get("/api/v1/events/?page_size=2").json()
    EventFactory(slug="vroeg", organiser=kempen, starts_at=in_days(1))
    assert slugs(api_client.get(first["next"])) == ["missie", "beurs"]


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("cursor=bm9uc2Vuc2U", 404, "invalid_cursor"),
        ("cursor=cD0yMDI2LTAxLTAx", 404, "invalid_cursor"),
        ("page_size=0", 400, "invalid_page_size"),
        ("page_size=201", 400, "invalid_page_size"),
        ("page_size=abc", 400, "invalid_page_size"),
    ],
)
def test_forged_cursors_and_bad_page_sizes(api_client, agenda, query, status, code):
    problem(api_client.get(f"/api/v1/events/?{query}"), status, code)


def test_a_tampered_cursor_is_refused(api_client, agenda):
    url = api_client.get("/api/v1/events/?page_size=2").json()["next"]
    problem(api_client.get(url.replace("cursor=", "cursor=x")), 404, "invalid_cursor")


@pytest.mark.parametrize("url", ["/api/v1/events/", "/api/v1/events/forum/"])
def test_etag_and_if_none_match(api_client, agenda, url):
    first = api_client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    again = api_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert api_client.get(url, HTTP_IF_NONE_MATCH=f'W/{etag}, "other"').status_code == 304
    assert api_client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200
    Event.objects.filter(slug="forum").update(city="Geel")
    changed = api_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_the_etag_of_a_page_with_a_next_link_holds_a_minute_later(api_client, agenda):
    # The `next` cursor was signed with the second it was made in: the body, and so the ETag,
    # changed every second although nothing else did. Now a minute later still gets 304.
    url = "/api/v1/events/?page_size=1"
    first = api_client.get(url)
    assert first.json()["next"]
    etag = first["ETag"]
    a_minute_later = time.time() + 61
    with mock.patch("time.time", return_value=a_minute_later):
        assert time.time() == a_minute_later
        again = api_client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304
        assert api_client.get(url)["ETag"] == etag
        # And its cursor still leads to the second page.
        second = api_client.get(first.json()["next"])
    assert second.status_code == 200
    assert slugs(second) and slugs(second) != slugs(first)


def test_answers_may_only_be_cached_privately(api_client, agenda):
    response = api_client.get("/api/v1/events/")
    assert "private" in response["Cache-Control"]
    assert {"Authorization", "Accept-Language"} <= {
        header.strip() for header in response["Vary"].split(",")
    }


def test_the_list_answers_in_the_requested_language(api_client, agenda):
    Event.objects.filter(slug="forum").update(title_fr="Forum d'innovation")
    french = api_client.get("/api/v1/events/forum/", HTTP_ACCEPT_LANGUAGE="fr").json()
    dutch = api_client.get("/api/v1/events/forum/").json()
    assert (french["title"], dutch["title"]) == ("Forum d'innovation", "Innovatieforum Kempen")


def test_list_queries_do_not_grow_with_the_rows(api_client, kempen, mechelen, partner):
    def add(count):
        for _ in range(count):
            event = EventFactory(organiser=kempen)
            event.co_organisers.add(mechelen)
            event.sectors.add(SectorFactory())
            event.partners.add(partner)

    add(3)
    assert_request_query_count("api:event-list, co-organised", api_client, "/api/v1/events/")
    add(12)
    assert_request_query_count("api:event-list, co-organised", api_client, "/api/v1/events/")


# Proposals (events:write)


def proposal(**changes) -> dict:
    return {
        "title": "Grensoverschrijdend bezoek Brightlands",
        "description": "Samen met LIOF naar de campus in Venlo.",
        "kind": "company_visit",
        "organiser": "kempen",
        "co_organisers": ["mechelen"],
        "centre": "integrale-innovatie",
        "sectors": ["agrofood"],
        "starts_at": in_days(60, 13).isoformat(),
        "ends_at": in_days(60, 17).isoformat(),
        "city": "Venlo",
        "country": "NL",
        "capacity": 30,
        "member_price": "0.00",
        "non_member_price": "25.00",
    } | changes


@pytest.fixture
def agrofood(db):
    return SectorFactory(name="Agrofood", slug="agrofood")


def test_a_partner_proposes_an_event_only_it_sees_until_staff_publish_it(
    api_client, make_client, other_partner, partner, kempen, mechelen, centre, agrofood
):
    response = api_client.post("/api/v1/events/", proposal(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"].endswith(f"/api/v1/events/{body['slug']}/")
    assert (body["slug"], body["status"], body["proposed_by"], body["partners"]) == (
        "grensoverschrijdend-bezoek-brightlands",
        "proposed",
        "liof",
        ["liof"],
    )
    assert (body["organiser"], body["co_organisers"], body["sectors"]) == (
        "kempen",
        ["mechelen"],
        ["agrofood"],
    )
    event = Event.objects.get(slug=body["slug"])
    assert (event.title_nl, event.non_member_price, event.country) == (
        "Grensoverschrijdend bezoek Brightlands",
        Decimal("25.00"),
        "NL",
    )
    assert api_client.get(f"/api/v1/events/{event.slug}/").status_code == 200
    outsider = make_client("events:read", partner=other_partner)
    assert outsider.get(f"/api/v1/events/{event.slug}/").status_code == 404

    manager = staff_user("event_manager", kempen)
    services.event_publish(event=event, actor=manager)
    assert outsider.get(f"/api/v1/events/{event.slug}/").json()["status"] == "published"


def test_a_proposal_in_english_keeps_dutch_as_the_first_language(
    api_client, kempen, centre, mechelen, agrofood
):
    response = api_client.post(
        "/api/v1/events/", proposal(title="Brightlands campus visit", language="en"), format="json"
    )
    event = Event.objects.get(slug=response.json()["slug"])
    assert (event.title_nl, event.title_en, event.language) == (
        "Brightlands campus visit",
        "Brightlands campus visit",
        "en",
    )


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"ends_at": in_days(60, 12).isoformat()}, ["ends_at"]),
        ({"member_price": "30.00", "non_member_price": "25.00"}, ["member_price"]),
        (
            {"starts_at": in_days(-1).isoformat(), "ends_at": in_days(-1, 12).isoformat()},
            ["starts_at"],
        ),
        ({"organiser": "gent"}, ["organiser"]),
        ({"kind": "picknick", "capacity": 0}, ["kind", "capacity"]),
        ({"title": "", "city": 12}, ["title", "city"]),
        ({"sectors": {"agrofood": 1}}, ["sectors"]),
        ({"member_price": 5, "country": "nl"}, ["country", "member_price"]),
        ({"starts_at": "0001-01-01T00:00:00+14:00"}, ["starts_at"]),
    ],
)
def test_a_bad_proposal_is_a_400_naming_the_fields_and_writes_nothing(
    api_client, kempen, mechelen, centre, agrofood, changes, fields
):
    response = api_client.post("/api/v1/events/", proposal(**changes), format="json")
    body = problem(response, 400, "invalid_input")
    assert sorted({error["field"] for error in body["errors"]}) == sorted(fields)
    assert not Event.objects.exists()


def test_a_key_limited_to_chambers_proposes_with_them_only(
    make_client, kempen, mechelen, centre, agrofood
):
    client = make_client("events:write", chambers=[kempen])
    response = client.post("/api/v1/events/", proposal(), format="json")
    body = problem(response, 400, "invalid_input")
    assert body["errors"][0]["field"] == "organiser"
    response = client.post("/api/v1/events/", proposal(co_organisers=[]), format="json")
    assert response.status_code == 201


def test_malformed_json_and_other_formats_are_problems(api_client):
    response = api_client.post("/api/v1/events/", data=b"{nope", content_type="application/json")
    problem(response, 400, "parse_error")
    response = api_client.post("/api/v1/events/", data=b"a=b", content_type="text/plain")
    problem(response, 415, "unsupported_media_type")
    problem(api_client.delete("/api/v1/events/"), 405, "method_not_allowed")
    response = api_client.get("/api/v1/events/", HTTP_ACCEPT="application/xml")
    problem(response, 406, "not_acceptable")


def test_publishing_a_proposal_tells_partners_webhooks(
    api_client,
    kempen,
    mechelen,
    centre,
    agrofood,
    partner,
    django_capture_on_commit_callbacks,
    settings,
):
    from chambers import services as chamber_services

    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    endpoint = chamber_services.webhook_endpoint_create(
        partner=partner, url="http://127.0.0.1:9/hooks", event_types=["event.published"]
    )
    slug = api_client.post("/api/v1/events/", proposal(), format="json").json()["slug"]
    assert not WebhookDelivery.objects.exists(), "a proposal is not news yet"
    manager = staff_user("event_manager", kempen)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.event_publish(event=Event.objects.get(slug=slug), actor=manager)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.endpoint, delivery.event_type, delivery.status) == (
        endpoint,
        "event.published",
        "pending",
    )
    assert delivery.payload["slug"] == slug
    assert delivery.payload["status"] == "published"
    assert len(callbacks) == 1, "handed to a worker once the change commits"


def test_other_chambers_events_are_not_announced_to_a_limited_endpoint(
    partner, limburg, kempen, settings
):
    from chambers import services as chamber_services

    chamber_services.webhook_endpoint_create(
        partner=partner,
        url="https://liof.example/hooks",
        event_types=["event.published"],
        chambers=[limburg],
    )
    manager = staff_user("event_manager", kempen)
    draft = EventFactory(organiser=kempen, status=Event.Status.DRAFT)
    services.event_publish(event=draft, actor=manager)
    assert not WebhookDelivery.objects.exists()
    elsewhere = EventFactory(organiser=ChamberFactory(), status=Event.Status.DRAFT)
    elsewhere.co_organisers.add(limburg)
    services.event_publish(event=elsewhere, actor=staff_user("event_manager", elsewhere.organiser))
    assert WebhookDelivery.objects.get().payload["slug"] == elsewhere.slug
