"""One definition of "open for registration" (issue 11): model, service, filter, page and API.

Event.registration_window is the rule; EventQuerySet.open_for_registration is the same rule in
SQL; the page, the list's "open" filter, the API's `registration_open` and registration_create
all ask one of the two.
"""

import datetime

import pytest
from django.utils import timezone

from alliance.base.models import DomainError
from events.models import Event, RegistrationState
from events.services import registration_create
from tests.factories import EventFactory, PersonFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def anuga_under_way(kempen):
    """The joint Anuga visit, 7–8 October: a two-day event that started an hour ago."""
    now = timezone.now()
    return EventFactory(
        organiser=kempen,
        title="Beursbezoek Anuga",
        slug="anuga",
        starts_at=now - HOUR,
        ends_at=now + DAY,
        capacity=30,
    )


def test_a_multi_day_event_under_way_is_closed_in_model_filter_page_api_and_service(
    anuga_under_way, client, member_client, person
):
    event = anuga_under_way
    assert not event.registration_is_open()
    assert event.registration_state() == RegistrationState.CLOSED
    assert not Event.objects.open_for_registration().filter(pk=event.pk).exists()

    listed = client.get("/events/?open=1&past=1")
    assert listed.status_code == 200
    assert "Beursbezoek Anuga" not in listed.content.decode()
    assert "Beursbezoek Anuga" in client.get("/events/?past=1").content.decode()

    page = member_client.get("/events/anuga/").content.decode()
    assert "Schrijf je in" not in page
    assert "Gesloten" in page

    assert client.get("/api/v1/events/anuga/").json()["registration_open"] is False

    with pytest.raises(DomainError) as caught:
        registration_create(event=event, person=person)
    assert caught.value.code == "registration_closed"


def _events(kempen, now):
    """One event per way of being open or not, at `now`."""
    cases = {
        "open, no window": {},
        "open, window": {"registration_opens_at": now - DAY, "registration_closes_at": now + DAY},
        "not yet open": {"registration_opens_at": now + HOUR},
        "closed by date": {"registration_closes_at": now - HOUR},
        "started, multi-day": {"starts_at": now - HOUR, "ends_at": now + 2 * DAY},
        "past": {"starts_at": now - 2 * DAY, "ends_at": now - DAY},
        "draft": {"status": Event.Status.DRAFT},
        "proposed but published never": {"status": Event.Status.CANCELLED},
    }
    return {
        name: EventFactory(organiser=kempen, slug=f"case-{i}", **fields)
        for i, (name, fields) in enumerate(cases.items())
    }


def test_the_model_and_the_queryset_agree_on_every_case(kempen):
    now = timezone.now()
    events = _events(kempen, now)
    in_sql = set(Event.objects.open_for_registration(now).values_list("pk", flat=True))
    in_python = {event.pk for event in events.values() if event.registration_is_open(now)}
    assert in_sql == in_python
    assert {name for name, event in events.items() if event.pk in in_sql} == {
        "open, no window",
        "open, window",
    }


def test_registration_state_names_each_case(kempen):
    now = timezone.now()
    events = _events(kempen, now)
    assert {name: event.registration_state(now) for name, event in events.items()} == {
        "open, no window": "open",
        "open, window": "open",
        "not yet open": "not_yet_open",
        "closed by date": "closed",
        "started, multi-day": "closed",
        "past": "past",
        "draft": "not_published",
        "proposed but published never": "cancelled",
    }


def test_a_free_place_with_people_waiting_is_the_waiting_lists(event, company):
    event.capacity = 2
    event.save()
    RegistrationFactory(event=event, person=PersonFactory(company=company))
    assert event.registration_state() == "open"
    RegistrationFactory(
        event=event,
        person=PersonFactory(company=company),
        status="waitlisted",
        waiting_list_position=1,
    )
    assert event.places_left() == 1
    assert event.registration_state() == "waiting_list"
    event.has_waiting_list = False
    RegistrationFactory(event=event, person=PersonFactory(company=company))
    assert event.registration_state() == "full"


def test_pages_say_when_registration_opens_or_that_the_event_is_over(client, kempen):
    now = timezone.now()
    EventFactory(
        organiser=kempen, title="Later open", slug="later", registration_opens_at=now + DAY
    )
    EventFactory(
        organiser=kempen,
        title="Voorbije",
        slug="voorbij",
        starts_at=now - 2 * DAY,
        ends_at=now - DAY,
    )
    assert "Inschrijven vanaf" in client.get("/events/later/").content.decode()
    assert "Inschrijven vanaf" in client.get("/events/").content.decode()
    assert "Voorbij" in client.get("/events/voorbij/").content.decode()
