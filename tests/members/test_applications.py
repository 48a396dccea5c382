"""Membership applications (issue 12): a company applies at the chamber of its region, chooses a
tier and names its admin (the applicant); the chamber's member staff approve (the membership
starts, the applicant is the company's admin) or decline (a kind e-mail); who decided is kept."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from chambers.models import Chamber
from members import services
from members.enterprise_numbers import with_check_digits
from members.models import Company, Membership, MembershipApplication, Person
from tests.factories import CompanyFactory, EmailAddressFactory, PersonFactory, UserFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

APPLY = reverse("me:apply")
NEW_NUMBER = with_check_digits("08765432")


@pytest.fixture
def regions(kempen, mechelen, antwerpen):
    """The demo's regions, as postcode prefixes (Mechelen's 2800s inside a wider prefix)."""
    for chamber, prefixes in (
        (kempen, ["22", "23", "24"]),
        (mechelen, ["25", "28"]),
        (antwerpen, ["2", "91"]),
    ):
        chamber.postcode_prefixes = prefixes
        chamber.save(update_fields=["postcode_prefixes"])


@pytest.fixture
def applicant():
    user = UserFactory(first_name="Pia", last_name="Peeters", email="pia@nieuwezaak.be")
    EmailAddressFactory(user=user)
    return user


def application_data(**changes) -> dict:
    return {
        "identifier": f"BE{NEW_NUMBER}",
        "company_name": "Nieuwe Zaak BV",
        "company_legal_form": "bv",
        "company_size_class": "small",
        "company_postcode": "2440",
        "company_municipality": "Geel",
        "chamber": "",
        "tier": "premium",
        "first_name": "Pia",
        "last_name": "Peeters",
        "job_title": "Zaakvoerder",
        "message": "Wij willen graag lid worden.",
    } | changes


def test_the_chamber_is_suggested_from_the_postcode(regions, kempen, mechelen, antwerpen):
    assert Chamber.objects.for_postcode("2440") == kempen
    assert Chamber.objects.for_postcode("2800") == mechelen, "the longest prefix wins"
    assert Chamber.objects.for_postcode("2000") == antwerpen
    assert Chamber.objects.for_postcode("9999") is None
    assert Chamber.objects.for_postcode("") is None


def test_a_company_applies_is_approved_and_its_applicant_is_its_admin(
    regions, kempen, applicant, django_capture_on_commit_callbacks
):
    """The issue's "done when": a company applies, is approved, and its applicant is its admin."""
    from chambers.models import StaffRole
    from tests.factories import staff_user

    decider = staff_user(StaffRole.Role.CHAMBER_ADMIN, kempen, email="beheer@kempen.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(applicant).post(APPLY, application_data())
    assert response.status_code == 302
    application = MembershipApplication.objects.get()
    company = Company.objects.get(enterprise_number=NEW_NUMBER)
    assert (application.company, application.chamber, application.tier) == (
        company,
        kempen,
        Membership.Tier.PREMIUM,
    ), "the chamber of its region, from the postcode"
    assert application.status == MembershipApplication.Status.PENDING
    assert not company.memberships.exists()
    # The chamber's member staff hear of it, with a link to the back-office (never the admin).
    [notice] = mail.outbox
    assert notice.to == ["beheer@kempen.example"]
    link = reverse("staff:application_detail", args=[application.pk])
    assert link in notice.body and "/admin/" not in notice.body
    assert "/admin/" not in notice.alternatives[0][0]

    staff = client_for(decider)
    assert "Nieuwe Zaak BV" in staff.get(reverse("staff:applications")).content.decode()
    assert staff.get(link).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("staff:application_approve", args=[application.pk]),
            {"valid_from": timezone.localdate().isoformat(), "annual_fee": "900"},
        )
    assert response.status_code == 302
    membership = Membership.objects.get(company=company)
    assert (membership.chamber, membership.tier, membership.status, membership.annual_fee) == (
        kempen,
        Membership.Tier.PREMIUM,
        Membership.Status.ACTIVE,
        Decimal("900"),
    )
    admin = Person.objects.get(user=applicant)
    assert admin.company == company and admin.role == Person.Role.ADMIN
    assert (admin.first_name, admin.last_name, admin.email) == ("Pia", "Peeters", applicant.email)
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.APPROVED
    assert application.decided_by == decider and application.decided_at is not None
    assert application.membership == membership
    [welcome] = mail.outbox
    assert welcome.to == [applicant.email]
    assert re.search(r"/me/company/", welcome.body)
    # The applicant now manages the company's profile.
    assert client_for(applicant).get(reverse("me:company_edit")).status_code == 200


def test_a_company_admin_applies_for_their_own_company(regions, mechelen):
    company = CompanyFactory(postcode="2800", municipality="Mechelen")
    user = UserFactory()
    PersonFactory(company=company, user=user, email=user.email, role=Person.Role.ADMIN)
    client = client_for(user)
    page = client.get(APPLY).content.decode()
    assert 'name="identifier"' not in page, "their own company: nothing to look up"
    assert f'value="{mechelen.pk}" selected' in page, "the chamber suggested from the postcode"
    response = client.post(
        APPLY, {"chamber": "", "tier": "standard", "first_name": "A", "last_name": "B"}
    )
    assert response.status_code == 302
    assert MembershipApplication.objects.get().chamber == mechelen


def test_decline_sends_a_kind_e_mail_and_keeps_who_decided(
    regions, kempen, chamber_admin, applicant, django_capture_on_commit_callbacks
):
    application = services.membership_application_create(
        user=applicant,
        tier="standard",
        first_name="Pia",
        last_name="Peeters",
        identifier=NEW_NUMBER,
        company_data={
            "name": "Nieuwe Zaak BV",
            "legal_form": "bv",
            "size_class": "small",
            "postcode": "2440",
            "municipality": "Geel",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(chamber_admin).post(
            reverse("staff:application_decline", args=[application.pk]),
            {"reason": "Je onderneming ligt buiten onze regio."},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.DECLINED
    assert (application.decided_by, application.decline_reason) == (
        chamber_admin,
        "Je onderneming ligt buiten onze regio.",
    )
    assert not Membership.objects.filter(company=application.company).exists()
    assert not Person.objects.filter(user=applicant).exists()
    [message] = mail.outbox
    assert message.to == [applicant.email]
    assert "Bedankt voor je interesse" in message.body and "buiten onze regio" in message.body
    # Decided once.
    response = client_for(chamber_admin).post(
        reverse("staff:application_approve", args=[application.pk]),
        {"valid_from": timezone.localdate().isoformat(), "annual_fee": "450"},
    )
    assert response.status_code == 400
    assert "Over deze aanvraag is al beslist." in response.content.decode()


def test_refusals_write_nothing(regions, applicant, company):
    client = client_for(applicant)
    before = (Company.objects.count(), MembershipApplication.objects.count())
    # An invalid number: the reason, next to the field.
    response = client.post(APPLY, application_data(identifier="0403.170.702"))
    assert response.status_code == 400
    assert "Het controlegetal van dit ondernemingsnummer klopt niet." in response.content.decode()
    # A member company.
    response = client.post(APPLY, application_data(identifier=company.enterprise_number))
    assert "Deze onderneming is al lid van een kamer." in response.content.decode()
    # No chamber for the postcode, none chosen.
    response = client.post(
        APPLY, application_data(company_postcode="8000", company_municipality="Brugge")
    )
    assert "Kies de kamer van je regio." in response.content.decode()
    assert (Company.objects.count(), MembershipApplication.objects.count()) == before


def test_one_pending_application_per_company(regions, applicant):
    client = client_for(applicant)
    client.post(APPLY, application_data())
    other = UserFactory()
    response = client_for(other).post(APPLY, application_data(identifier=NEW_NUMBER))
    assert "Voor deze onderneming wacht al een aanvraag" in response.content.decode()
    assert MembershipApplication.objects.count() == 1


@pytest.fixture
def application(regions, applicant):
    return services.membership_application_create(
        user=applicant,
        tier="standard",
        first_name="Pia",
        last_name="Peeters",
        identifier=NEW_NUMBER,
        company_data={
            "name": "Nieuwe Zaak BV",
            "legal_form": "bv",
            "size_class": "small",
            "postcode": "2440",
            "municipality": "Geel",
        },
    )


@pytest.mark.parametrize("role", ["viewer", "event_manager"])
def test_only_member_staff_decide(request, role, application):
    user = request.getfixturevalue(role)
    client = client_for(user)
    assert client.get(reverse("staff:application_detail", args=[application.pk])).status_code == 200
    response = client.post(
        reverse("staff:application_approve", args=[application.pk]),
        {"valid_from": timezone.localdate().isoformat(), "annual_fee": "450"},
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.is_pending


def test_another_chamber_sees_nothing(other_chamber_admin, application):
    client = client_for(other_chamber_admin)
    assert "Nieuwe Zaak" not in client.get(reverse("staff:applications")).content.decode()
    assert client.get(reverse("staff:application_detail", args=[application.pk])).status_code == 404
