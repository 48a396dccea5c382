"""The back-office's dashboard: what needs attention at the user's chambers, with links."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.figures import queries as figures
from chambers.models import StaffRole
from events.models import Event
from members.models import JoinRequest, ServiceRequest
from tests.factories import (
    CompanyFactory,
    CompetenceCentreFactory,
    EventFactory,
    JoinRequestFactory,
    MembershipFactory,
    PersonFactory,
    RegistrationFactory,
    ServiceRequestFactory,
    staff_user,
)
from tests.helpers import client_for
from tests.query_counts import assert_request_query_count

pytestmark = pytest.mark.django_db

Role = StaffRole.Role


def fill(alliance, mechelen, kempen, rows: int = 1):
    """`rows` of each thing the dashboard counts at Mechelen, and as many at Kempen."""
    centre_m = CompetenceCentreFactory(lead_chamber=mechelen, alliance=alliance)
    centre_k = CompetenceCentreFactory(lead_chamber=kempen, alliance=alliance)
    for _ in range(rows):
        for chamber, centre in ((mechelen, centre_m), (kempen, centre_k)):
            event = EventFactory(organiser=chamber)
            RegistrationFactory(event=event, status="confirmed")
            RegistrationFactory(event=event, status="cancelled", cancelled_at=timezone.now())
            company = CompanyFactory()
            MembershipFactory(company=company, chamber=chamber)
            person = PersonFactory(company=company)
            ServiceRequestFactory(person=person, centre=centre, message="Vraag")
            JoinRequestFactory(company=company, first_name="A", last_name="B")


def test_counts_are_those_of_the_user_s_chambers(alliance, mechelen, kempen):
    fill(alliance, mechelen, kempen, rows=2)
    co_organised = EventFactory(organiser=kempen)
    co_organised.co_organisers.add(mechelen)
    EventFactory(organiser=mechelen, status=Event.Status.DRAFT)  # not published: not counted
    EventFactory(
        organiser=mechelen,
        starts_at=timezone.now() - datetime.timedelta(days=3),
    )  # over: not coming
    response = client_for(staff_user(Role.VIEWER, mechelen)).get(reverse("staff:dashboard"))
    assert response.status_code == 200
    assert response.context["counts"] == {
        "coming_events": 3,
        "registrations_this_month": 2,
        "open_requests": 2,
        "pending_join_requests": 2,
    }
    content = response.content.decode()
    assert "komende activiteiten" in content
    assert reverse("staff:requests") + "?scope=inbox&amp;status=open" in content
    assert reverse("staff:members") + "?join_requests=true" in content
    assert reverse("staff:events") in content


def test_alliance_wide_staff_see_everything(alliance, mechelen, kempen):
    fill(alliance, mechelen, kempen)
    response = client_for(staff_user(Role.ALLIANCE_ADMIN)).get(reverse("staff:dashboard"))
    assert response.context["whole_alliance"]
    assert response.context["counts"] == {
        "coming_events": 2,
        "registrations_this_month": 2,
        "open_requests": 2,
        "pending_join_requests": 2,
    }
    assert "Voor de hele alliantie." in response.content.decode()


def test_done_and_decided_things_are_not_counted(alliance, mechelen, kempen):
    fill(alliance, mechelen, kempen)
    ServiceRequest.objects.update(status="declined", closed_at=timezone.now())
    JoinRequest.objects.update(status="rejected", decided_at=timezone.now())
    counts = figures.dashboard_counts([mechelen.pk])
    assert (counts["open_requests"], counts["pending_join_requests"]) == (0, 0)


def test_import_link_only_for_importers(mechelen):
    viewer = client_for(staff_user(Role.VIEWER, mechelen)).get("/staff/").content.decode()
    assert "Leden importeren" not in viewer
    admin = client_for(staff_user(Role.CHAMBER_ADMIN, mechelen)).get("/staff/").content.decode()
    assert "Leden importeren" in admin


def test_query_count_does_not_grow_with_the_rows(alliance, mechelen, kempen):
    client = client_for(staff_user(Role.CHAMBER_ADMIN, mechelen))

    def count():
        url = reverse("staff:dashboard")
        assert_request_query_count("staff:dashboard as chamber admin", client, url)

    fill(alliance, mechelen, kempen, rows=1)
    count()
    fill(alliance, mechelen, kempen, rows=10)
    count()
