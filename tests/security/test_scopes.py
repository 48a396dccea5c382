"""Data minimisation in the back-office scopes: staff see what their work needs, no more."""

import datetime

import pytest
from django.utils import timezone

from chambers.models import StaffRole
from members.models import Company, Membership
from tests.factories import CompanyFactory, MembershipFactory, PersonFactory, staff_user
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

Role = StaffRole.Role


def former_member(chamber, *, ended_days_ago: int, status=Membership.Status.LAPSED):
    today = timezone.localdate()
    company = CompanyFactory()
    MembershipFactory(
        company=company,
        chamber=chamber,
        status=status,
        valid_from=today - datetime.timedelta(days=ended_days_ago + 365),
        valid_until=today - datetime.timedelta(days=ended_days_ago),
    )
    PersonFactory(company=company, first_name="Oud", last_name=f"Lid{ended_days_ago}")
    return company


def test_staff_no_longer_see_a_company_that_left_their_chamber_long_ago(settings, kempen):
    settings.FORMER_MEMBERS_VISIBLE_DAYS = 730
    recent = former_member(kempen, ended_days_ago=200)
    long_ago = former_member(kempen, ended_days_ago=731)
    current = CompanyFactory()
    MembershipFactory(company=current, chamber=kempen)
    viewer = staff_user(Role.VIEWER, kempen)

    assert set(Company.objects.visible_to(viewer)) == {recent, current}
    client = client_for(viewer)
    assert client.get(f"/staff/members/{long_ago.slug}/").status_code == 404
    page = client.get(f"/staff/members/{recent.slug}/")
    assert page.status_code == 200 and "Lid200" in page.content.decode()
    assert long_ago.name not in client.get("/staff/members/").content.decode()


def test_a_membership_ended_early_counts_from_the_day_it_was_ended(settings, kempen):
    settings.FORMER_MEMBERS_VISIBLE_DAYS = 730
    company = CompanyFactory()
    membership = MembershipFactory(company=company, chamber=kempen, status="ended")
    viewer = staff_user(Role.VIEWER, kempen)
    assert list(Company.objects.visible_to(viewer)) == [company]
    Membership.objects.filter(pk=membership.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=800)
    )
    assert list(Company.objects.visible_to(viewer)) == []


def test_another_chambers_current_membership_does_not_reopen_the_old_one(
    settings, kempen, mechelen
):
    settings.FORMER_MEMBERS_VISIBLE_DAYS = 730
    company = former_member(kempen, ended_days_ago=1000)
    MembershipFactory(company=company, chamber=mechelen)
    assert list(Company.objects.visible_to(staff_user(Role.VIEWER, kempen))) == []
    assert list(Company.objects.visible_to(staff_user(Role.VIEWER, mechelen))) == [company]
