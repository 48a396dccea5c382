"""Prospects in the back-office (issue 12): staff see their chambers' prospects and convert them
into members through the membership service; the person who registered may become the admin."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import Membership, Person, Prospect
from tests.factories import CompanyFactory, MembershipFactory, PersonFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

LIST = reverse("staff:prospects")


@pytest.fixture
def prospect(kempen):
    company = CompanyFactory(name="Nieuwe Zaak BV")
    contact = PersonFactory(company=company, first_name="Pia", last_name="Peeters")
    return services.prospect_mark(
        company=company, chamber=kempen, source_detail="Innovatieforum", contact=contact
    )


@pytest.fixture
def their_prospect(antwerpen):
    return services.prospect_mark(
        company=CompanyFactory(name="Haven Prospect NV"), chamber=antwerpen
    )


def convert_data(**changes):
    return {
        "tier": "standard",
        "valid_from": timezone.localdate().isoformat(),
        "annual_fee": "450",
        "make_admin": "on",
    } | changes


def test_staff_see_their_chambers_prospects_only(viewer, prospect, their_prospect):
    html = client_for(viewer).get(LIST).content.decode()
    assert "Nieuwe Zaak BV" in html and "Pia Peeters" in html and "Innovatieforum" in html
    assert "Haven Prospect" not in html
    # A viewer reads; converting is for the chamber's admins.
    assert reverse("staff:prospect_convert", args=[prospect.pk]) not in html


def test_the_list_filters_open_and_converted(chamber_admin, prospect, kempen):
    other = services.prospect_mark(company=CompanyFactory(name="Al Lid BV"), chamber=kempen)
    Prospect.objects.filter(pk=other.pk).update(converted_at=timezone.now())
    client = client_for(chamber_admin)
    assert "Al Lid BV" not in client.get(LIST, {"state": "open"}).content.decode()
    converted = client.get(LIST, {"state": "converted"}).content.decode()
    assert "Al Lid BV" in converted and "Nieuwe Zaak" not in converted
    assert "Nieuwe Zaak" in client.get(LIST, {"q": "nieuwe"}).content.decode()


def test_a_chamber_admin_converts_a_prospect_and_its_contact_becomes_the_admin(
    chamber_admin, prospect, django_capture_on_commit_callbacks
):
    client = client_for(chamber_admin)
    url = reverse("staff:prospect_convert", args=[prospect.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, convert_data())
    assert response.status_code == 302
    assert response.url == reverse("staff:member_detail", args=[prospect.company.slug])
    membership = Membership.objects.get(company=prospect.company)
    assert (membership.chamber, membership.status, membership.annual_fee) == (
        prospect.chamber,
        Membership.Status.ACTIVE,
        Decimal("450"),
    )
    assert membership.valid_until == services.one_year_from(timezone.localdate())
    prospect.refresh_from_db()
    assert prospect.converted_by == chamber_admin and prospect.membership == membership
    assert prospect.converted_at is not None
    contact = Person.objects.get(pk=prospect.contact_id)
    assert contact.role == Person.Role.ADMIN
    [invitation] = mail.outbox
    assert invitation.to == [contact.email]
    assert "/accounts/signup/" in invitation.body, "no account yet: how to make one"


def test_converting_twice_is_refused(chamber_admin, prospect):
    services.prospect_convert(
        prospect=prospect,
        actor=chamber_admin,
        tier="standard",
        valid_from=timezone.localdate(),
        annual_fee=Decimal("450"),
    )
    response = client_for(chamber_admin).post(
        reverse("staff:prospect_convert", args=[prospect.pk]), convert_data()
    )
    assert response.status_code == 400
    assert Membership.objects.filter(company=prospect.company).count() == 1


def test_the_membership_rules_apply(chamber_admin, prospect):
    """membership_create's rules: a period that is over is refused, nothing is written."""
    long_ago = timezone.localdate() - datetime.timedelta(days=800)
    response = client_for(chamber_admin).post(
        reverse("staff:prospect_convert", args=[prospect.pk]),
        convert_data(valid_from=long_ago.isoformat()),
    )
    assert response.status_code == 400
    assert "Deze periode is al voorbij" in response.content.decode()
    assert not Membership.objects.filter(company=prospect.company).exists()
    prospect.refresh_from_db()
    assert prospect.converted_at is None
    assert Person.objects.get(pk=prospect.contact_id).role == Person.Role.EMPLOYEE


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("event_manager", 403)])
def test_only_member_staff_convert(request, role, status, prospect):
    user = request.getfixturevalue(role)
    response = client_for(user).post(
        reverse("staff:prospect_convert", args=[prospect.pk]), convert_data()
    )
    assert response.status_code == status
    assert not Membership.objects.filter(company=prospect.company).exists()


def test_another_chambers_prospect_is_a_404(chamber_admin, their_prospect):
    response = client_for(chamber_admin).get(
        reverse("staff:prospect_convert", args=[their_prospect.pk])
    )
    assert response.status_code == 404
    assert "Haven Prospect" not in response.content.decode()


def test_a_current_member_is_no_prospect(kempen):
    company = CompanyFactory()
    MembershipFactory(company=company, chamber=kempen)
    assert services.prospect_mark(company=company, chamber=kempen) is None
    assert not Prospect.objects.exists()
