"""Who is an alliance member, and which chambers' events give member terms."""

import datetime

import pytest
from django.utils import timezone

from members.models import Membership
from members.selectors import current_membership, is_alliance_member, member_terms_chamber_ids
from tests.factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_an_active_membership_at_an_alliance_chamber_makes_an_alliance_member(company, alliance):
    assert is_alliance_member(company, alliance)


def test_a_member_of_a_chamber_outside_the_alliance_is_not_an_alliance_member(limburg, alliance):
    company = CompanyFactory()
    MembershipFactory(company=company, chamber=limburg)
    assert not is_alliance_member(company, alliance)


@pytest.mark.parametrize("status", ["pending", "lapsed", "ended"])
def test_only_active_memberships_count(mechelen, alliance, status):
    company = CompanyFactory()
    MembershipFactory(company=company, chamber=mechelen, status=status)
    assert not is_alliance_member(company, alliance)


def test_an_active_membership_outside_its_period_does_not_count(mechelen, alliance):
    company = CompanyFactory()
    today = timezone.localdate()
    MembershipFactory(
        company=company,
        chamber=mechelen,
        valid_from=today - datetime.timedelta(days=400),
        valid_until=today - datetime.timedelta(days=35),
    )
    assert current_membership(company) is None
    assert not is_alliance_member(company, alliance)
    # ...but it did on a day within its period.
    assert is_alliance_member(company, alliance, on=today - datetime.timedelta(days=100))


def test_member_terms_at_every_alliance_chamber_through_the_home_chamber(
    company, mechelen, kempen, limburg
):
    chambers = member_terms_chamber_ids(company)
    assert chambers == {mechelen.pk: mechelen, kempen.pk: mechelen}
    assert limburg.pk not in chambers


def test_members_of_a_chamber_outside_the_alliance_get_terms_at_home_only(limburg, kempen):
    company = CompanyFactory()
    MembershipFactory(company=company, chamber=limburg, status=Membership.Status.ACTIVE)
    assert member_terms_chamber_ids(company) == {limburg.pk: limburg}


def test_no_company_or_no_membership_means_no_member_terms(mechelen):
    assert member_terms_chamber_ids(None) == {}
    assert member_terms_chamber_ids(CompanyFactory()) == {}
