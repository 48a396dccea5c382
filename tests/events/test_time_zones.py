"""An event abroad has its own time zone, shown beside Brussels time where they differ."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from events import services
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mission(kempen):
    """A trade mission to Shanghai: 10:00 there is 04:00 in Brussels (summer time)."""
    starts = datetime.datetime(2027, 10, 7, 2, 0, tzinfo=datetime.UTC)
    return EventFactory(
        organiser=kempen,
        title="Handelsmissie Shanghai",
        slug="shanghai",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(days=3),
        city="Shanghai",
        country="CN",
        time_zone="Asia/Shanghai",
    )


def test_the_page_and_the_e_mail_show_local_time_beside_brussels_time(
    mission, person, client, django_capture_on_commit_callbacks
):
    assert mission.shows_own_time_zone
    page = client.get("/events/shanghai/").content.decode()
    assert "04:00" in page and "10:00 plaatselijke tijd, Asia/Shanghai" in page
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(event=mission, person=person)
    assert "10:00 plaatselijke tijd, Asia/Shanghai" in mail.outbox[0].body


def test_an_event_on_brussels_time_shows_one_time(event, client):
    assert not event.shows_own_time_zone
    event.time_zone = "Europe/London"
    event.starts_at = timezone.now() + datetime.timedelta(days=30)
    event.ends_at = event.starts_at + datetime.timedelta(hours=2)
    assert event.shows_own_time_zone, "London is an hour behind Brussels"
    assert "plaatselijke tijd" not in client.get(f"/events/{event.slug}/").content.decode()
