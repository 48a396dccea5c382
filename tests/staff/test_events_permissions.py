"""Who sees which events in the back-office, beyond the permission matrix's rows
(tests/test_permissions.py has every role × every events page and action).

The event belongs to Kempen; staff of another chamber (Mechelen) do not find it in their lists,
unless their chamber co-organises it; a role elsewhere does not widen a viewer's rights here.
"""

import datetime

import pytest
from django.utils import timezone

from chambers.models import StaffRole
from events.models import Event
from tests.factories import EventFactory, StaffRoleFactory, staff_user

pytestmark = pytest.mark.django_db

Role = StaffRole.Role


@pytest.fixture
def draft(kempen):
    return EventFactory(
        title="Ontwerp", slug="ontwerp", organiser=kempen, status=Event.Status.DRAFT
    )


@pytest.fixture
def staff_of_other_chamber(mechelen):
    return staff_user(Role.EVENT_MANAGER, mechelen)


def test_staff_of_another_chamber_do_not_see_the_event_in_their_list(
    client, event, draft, staff_of_other_chamber
):
    client.force_login(staff_of_other_chamber)
    html = client.get("/staff/events/").content.decode()
    assert ">Innovatieforum</a>" not in html and ">Ontwerp</a>" not in html
    assert "0 activiteiten" in html
    html = client.get("/staff/events/", {"q": "Innovatieforum"}).content.decode()
    assert ">Innovatieforum</a>" not in html and "0 activiteiten" in html


def test_co_organising_makes_the_event_visible_and_manageable(
    client, event, mechelen, staff_of_other_chamber
):
    event.co_organisers.add(mechelen)
    client.force_login(staff_of_other_chamber)
    assert "Innovatieforum" in client.get("/staff/events/").content.decode()
    assert client.get(f"/staff/events/{event.slug}/edit/").status_code == 200
    # ... but only the organising chamber cancels it.
    assert client.get(f"/staff/events/{event.slug}/cancel/").status_code == 403


def test_a_viewer_with_an_event_role_elsewhere_still_only_reads_here(
    client, event, kempen, mechelen
):
    user = staff_user(Role.VIEWER, kempen)
    StaffRoleFactory(user=user, chamber=mechelen, role=Role.EVENT_MANAGER)
    client.force_login(user)
    slug = event.slug
    assert client.get(f"/staff/events/{slug}/").status_code == 200
    assert client.post(f"/staff/events/{slug}/capacity/", {"capacity": "9"}).status_code == 403
    html = client.get("/staff/events/").content.decode()
    assert "Nieuwe activiteit" in html, "they may create events for Mechelen"
    assert f"/staff/events/{slug}/edit/" not in html


def test_past_events_are_guarded_the_same_way(client, kempen, mechelen):
    now = timezone.now()
    past = EventFactory(
        title="Vorig jaar",
        slug="vorig-jaar",
        kind=Event.Kind.FORUM,
        organiser=kempen,
        starts_at=now - datetime.timedelta(days=365),
        ends_at=now - datetime.timedelta(days=365) + datetime.timedelta(hours=2),
        city="Geel",
    )
    client.force_login(staff_user(Role.CHAMBER_ADMIN, mechelen))
    assert client.get(f"/staff/events/{past.slug}/").status_code == 404
    assert "Vorig jaar" not in client.get("/staff/events/", {"past": "1"}).content.decode()
