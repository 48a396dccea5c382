"""Member price for alliance members at every alliance chamber's events, non-member otherwise."""

from decimal import Decimal

import pytest

from events.rules import terms_for
from members.models import Membership
from members.selectors import member_terms_chamber_ids
from tests.factories import CompanyFactory, EventFactory, MembershipFactory
from tests.query_counts import assert_query_count

pytestmark = pytest.mark.django_db


def test_a_member_of_mechelen_pays_the_member_price_at_kempen(event, company, mechelen):
    terms = terms_for(event, company)
    assert (terms.member_terms, terms.price, terms.via_chamber) == (
        True,
        Decimal("45.00"),
        mechelen,
    )


def test_at_home_too(company, mechelen):
    event = EventFactory(organiser=mechelen)
    assert terms_for(event, company).via_chamber == mechelen


def test_an_alliance_member_pays_the_non_member_price_outside_the_alliance(company, limburg):
    event = EventFactory(
        organiser=limburg, member_price=Decimal("30"), non_member_price=Decimal("80")
    )
    terms = terms_for(event, company)
    assert (terms.member_terms, terms.price, terms.via_chamber) == (False, Decimal("80"), None)


def test_a_limburg_member_pays_the_non_member_price_at_alliance_events(event, limburg):
    company = CompanyFactory()
    MembershipFactory(company=company, chamber=limburg)
    assert terms_for(event, company).price == Decimal("95.00")


def test_a_lapsed_member_pays_the_non_member_price(event, mechelen):
    company = CompanyFactory()
    MembershipFactory(company=company, chamber=mechelen, status=Membership.Status.LAPSED)
    assert terms_for(event, company).member_terms is False


def test_a_visitor_pays_the_non_member_price(event):
    assert terms_for(event, None).price == Decimal("95.00")


def test_many_events_priced_with_one_lookup(company, kempen, mechelen, limburg):
    events = [EventFactory(organiser=chamber) for chamber in (kempen, mechelen, limburg) * 5]
    with assert_query_count("events.rules.terms_for, 15 events of 3 chambers"):
        chambers = member_terms_chamber_ids(company)
        prices = [terms_for(e, company, member_chambers=chambers).price for e in events]
    assert prices == [Decimal("45.00"), Decimal("45.00"), Decimal("95.00")] * 5
