"""The database rejects bad companies, memberships, people and service requests."""

import datetime

import pytest
from django.utils import timezone

from alliance.base.models import DomainError
from members.models import Company, Membership
from tests.factories import (
    CompanyFactory,
    MembershipFactory,
    PersonFactory,
    ServiceRequestFactory,
    UserFactory,
)
from tests.helpers import rejected_by_database

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("postcode", ["0999", "280", "28a0", "B280", "6211 AB"])
def test_postcode_is_belgian(postcode):
    with rejected_by_database("company_postcode_per_country"):
        CompanyFactory(postcode=postcode)


def test_founded_year_is_plausible():
    with rejected_by_database("company_founded_year_plausible"):
        CompanyFactory(founded_year=1200)


def test_directory_consent_records_when():
    with rejected_by_database("company_consent_has_date"):
        CompanyFactory(directory_consent=True)
    assert CompanyFactory(directory_consent=True, directory_consent_at=timezone.now()).pk


def test_at_most_one_active_membership_per_company(mechelen, kempen):
    company = CompanyFactory()
    MembershipFactory(company=company, chamber=mechelen)
    with rejected_by_database("one_active_membership"):
        MembershipFactory(company=company, chamber=kempen)
    # Past and pending memberships beside the active one are fine.
    MembershipFactory(
        company=company,
        chamber=kempen,
        status=Membership.Status.ENDED,
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2020, 12, 31),
    )
    MembershipFactory(company=company, chamber=kempen, status=Membership.Status.PENDING)
    assert company.memberships.count() == 3


def test_membership_period_and_fee(mechelen):
    with rejected_by_database("membership_until_after_from"):
        MembershipFactory(
            chamber=mechelen,
            valid_from=datetime.date(2025, 1, 1),
            valid_until=datetime.date(2025, 1, 1),
        )
    with rejected_by_database("membership_fee_not_negative"):
        MembershipFactory(chamber=mechelen, annual_fee=-5)


def test_membership_period_starts_once_per_chamber(mechelen):
    membership = MembershipFactory(chamber=mechelen, status=Membership.Status.ENDED)
    with rejected_by_database("membership_period_once"):
        MembershipFactory(
            company=membership.company,
            chamber=mechelen,
            valid_from=membership.valid_from,
            status=Membership.Status.LAPSED,
        )


def test_a_person_appears_once_per_company():
    person = PersonFactory()
    with rejected_by_database("person_email_once_per_company"):
        PersonFactory(company=person.company, email=person.email)


def _request(**fields):
    return ServiceRequestFactory(
        **({"message": "Wij zoeken hulp bij export naar Duitsland."} | fields)
    )


def test_service_request_needs_a_message():
    with rejected_by_database("service_request_has_message"):
        _request(message="")


def test_a_request_being_worked_on_has_an_assignee():
    with rejected_by_database("service_request_worked_on_has_assignee"):
        _request(status="in_progress")


def test_a_request_is_closed_exactly_when_final():
    with rejected_by_database("service_request_closed_iff_final"):
        _request(status="declined", closed_at=None)
    with rejected_by_database("service_request_closed_iff_final"):
        _request(closed_at=timezone.now())


def test_service_request_moves_through_its_statuses():
    request = _request()
    staff = UserFactory()
    request.assign(staff)
    request.save()
    request.start()
    request.save()
    request.complete()
    request.save()
    request.refresh_from_db()
    assert (request.status, request.assignee, request.closed_at is not None) == (
        "done",
        staff,
        True,
    )
    with pytest.raises(DomainError) as caught:
        request.start()
    assert caught.value.code == "invalid_transition"


def test_a_new_request_cannot_skip_assignment():
    request = _request()
    with pytest.raises(DomainError):
        request.complete()
    assert request.status == "new"


def test_company_lookups(mechelen, kempen, limburg, alliance):
    at_mechelen = CompanyFactory()
    MembershipFactory(company=at_mechelen, chamber=mechelen)
    at_limburg = CompanyFactory()
    MembershipFactory(company=at_limburg, chamber=limburg)
    lapsed = CompanyFactory()
    MembershipFactory(company=lapsed, chamber=kempen, status=Membership.Status.LAPSED)
    assert list(Company.objects.alliance_members(alliance)) == [at_mechelen]
    assert list(Company.objects.members_of(limburg)) == [at_limburg]
