"""Who sees what in the back-office's members and requests, beyond the permission matrix's rows
(tests/test_permissions.py has every role × every page and action).

Chamber A is Mechelen: the company is its member, the competence centre is led by it. Chamber B
(Kempen) is another chamber of the alliance; chamber C (Antwerpen-Waasland) is the home chamber
of the company that asks the centre a question, so its staff read that request but do not act
on it. Viewers see no buttons for what they may not do.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chambers.models import StaffRole
from tests.factories import (
    CompanyFactory,
    CompetenceCentreFactory,
    JoinRequestFactory,
    MembershipFactory,
    PersonFactory,
    ServiceRequestFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db

Role = StaffRole.Role


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def world(alliance, mechelen, kempen, antwerpen, company):
    """Chambers A, B, C, the company of A, a pending join request, and a question to A's centre
    from a member of C."""
    JoinRequestFactory(company=company, first_name="Nina", last_name="Wouters")
    centre = CompetenceCentreFactory(
        name="Duurzaam ondernemen", lead_chamber=mechelen, alliance=alliance
    )
    asking = CompanyFactory(name="Haven Logistiek NV")
    MembershipFactory(company=asking, chamber=antwerpen)
    service_request = ServiceRequestFactory(
        person=PersonFactory(company=asking),
        centre=centre,
        message="Hoe maken we onze vloot zuiniger?",
    )
    users = {
        "viewer_a": staff_user(Role.VIEWER, mechelen),
        "chamber_admin_a": staff_user(Role.CHAMBER_ADMIN, mechelen, username="anna"),
        "chamber_admin_b": staff_user(Role.CHAMBER_ADMIN, kempen),
        "chamber_admin_c": staff_user(Role.CHAMBER_ADMIN, antwerpen),
    }
    return {
        "company": company,
        "membership": company.memberships.get(),
        "service_request": service_request,
        "users": users,
        "mechelen": mechelen,
    }


def later(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_a_refused_write_changes_nothing(world):
    """A viewer's POST is refused before any service runs."""
    client = Client()
    client.force_login(world["users"]["viewer_a"])
    membership = world["membership"]
    client.post(reverse("staff:membership_end", args=[world["company"].slug, membership.pk]))
    client.post(
        reverse("staff:request_decline", args=[world["service_request"].pk]), {"message": ""}
    )
    membership.refresh_from_db()
    world["service_request"].refresh_from_db()
    assert membership.status == "active"
    assert world["service_request"].status == "new"


def test_staff_of_another_chamber_do_not_see_a_s_members_in_lists(world):
    client = Client()
    client.force_login(world["users"]["chamber_admin_b"])
    members = client.get(reverse("staff:members"))
    inbox = client.get(reverse("staff:requests"))
    assert world["company"].name not in members.content.decode()
    assert "Haven Logistiek" not in inbox.content.decode()
    assert members.context["page"].paginator.count == 0


def test_viewers_see_no_write_buttons(world):
    client = Client()
    client.force_login(world["users"]["viewer_a"])
    page = client.get(reverse("staff:member_detail", args=[world["company"].slug])).content
    page = page.decode()
    assert "Verlengen" not in page
    assert "Goedkeuren" not in page
    assert reverse("staff:membership_new", args=[world["company"].slug]) not in page
    request_page = client.get(
        reverse("staff:request_detail", args=[world["service_request"].pk])
    ).content.decode()
    assert "Verstuur antwoord" not in request_page


def test_home_chamber_reads_the_request_without_buttons(world):
    client = Client()
    client.force_login(world["users"]["chamber_admin_c"])
    page = client.get(reverse("staff:request_detail", args=[world["service_request"].pk]))
    content = page.content.decode()
    assert "Hoe maken we onze vloot zuiniger?" in content
    assert "Jij kunt ze alleen lezen" in content
    assert reverse("staff:request_reply", args=[world["service_request"].pk]) not in content


def test_fee_of_new_membership_is_what_was_posted(world):
    """A new membership is a pending period with what was posted (not just a redirect)."""
    client = Client()
    client.force_login(world["users"]["chamber_admin_a"])
    client.post(
        reverse("staff:membership_new", args=[world["company"].slug]),
        {
            "chamber": str(world["mechelen"].pk),
            "tier": "premium",
            "valid_from": later(400),
            "annual_fee": "900",
        },
    )
    latest = world["company"].memberships.order_by("-valid_from").first()
    assert (latest.status, latest.tier, latest.annual_fee) == ("pending", "premium", Decimal(900))
