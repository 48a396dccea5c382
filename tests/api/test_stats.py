"""The figures, aggregated, against numbers worked out by hand."""

import pytest
from django.utils import timezone

from events import services
from members.models import Membership
from tests.api.conftest import problem
from tests.factories import CompanyFactory, MembershipFactory, PersonFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(event, person, kempen, mechelen, limburg):
    """At Kempen's event: a Mechelen member, a Kempen member and a non-member got a place; a
    cancelled registration and a Limburg company's do not count as members of the alliance."""
    kempen_members = []
    for tier in (Membership.Tier.PREMIUM, Membership.Tier.PREMIUM, Membership.Tier.STARTER):
        company = CompanyFactory()
        MembershipFactory(company=company, chamber=kempen, tier=tier)
        kempen_members.append(company)
    services.registration_create(event=event, person=person)  # Mechelen member
    services.registration_create(event=event, person=PersonFactory(company=kempen_members[0]))
    services.registration_create(event=event, person=PersonFactory(company=CompanyFactory()))
    cancelled = services.registration_create(
        event=event, person=PersonFactory(company=kempen_members[1])
    )
    services.registration_cancel(registration=cancelled)
    RegistrationFactory(event=event, status="waitlisted", waiting_list_position=1)


def test_the_figures(api_client, figures):
    response = api_client.get("/api/v1/stats/")
    assert response.status_code == 200
    body = response.json()
    assert body["members_by_chamber_and_tier"] == [
        {"chamber": "kempen", "chamber_name": "Kempen", "tier": "starter", "members": 1},
        {"chamber": "kempen", "chamber_name": "Kempen", "tier": "premium", "members": 2},
        {"chamber": "mechelen", "chamber_name": "Mechelen", "tier": "standard", "members": 1},
    ]
    months = body["registrations_over_time"]
    assert len(months) == 12
    assert months[-1] == {
        "period": f"{timezone.localdate():%Y-%m}-01",
        "label": f"{timezone.localdate():%Y-%m}",
        "count": 3,
        "member_terms": 2,
    }
    assert sum(month["count"] for month in months) == 3
    assert sorted(
        (row["home_chamber"] or "", row["organiser"], row["count"]) for row in body["participation"]
    ) == [("", "kempen", 1), ("kempen", "kempen", 1), ("mechelen", "kempen", 1)]


def test_a_key_limited_to_a_chamber_gets_its_figures(make_client, figures, mechelen):
    body = make_client("stats:read", chambers=[mechelen]).get("/api/v1/stats/").json()
    assert [row["chamber"] for row in body["members_by_chamber_and_tier"]] == ["mechelen"]
    assert [(row["home_chamber"], row["organiser"]) for row in body["participation"]] == [
        ("mechelen", "kempen")
    ]
    assert sum(month["count"] for month in body["registrations_over_time"]) == 0


def test_periods_and_year(api_client, figures, event):
    body = api_client.get("/api/v1/stats/", {"period": "year", "periods": 2}).json()
    assert [row["count"] for row in body["registrations_over_time"]] == [0, 3]
    body = api_client.get("/api/v1/stats/", {"year": event.starts_at.year - 1}).json()
    assert body["participation"] == []


@pytest.mark.parametrize(
    "query", [{"period": "week"}, {"periods": 0}, {"periods": "x"}, {"year": 1999}, {"period": ""}]
)
def test_bad_parameters_are_400(api_client, query):
    problem(api_client.get("/api/v1/stats/", query), 400, "invalid_input")
