"""Every member company gets an admin: the first confirmed person, the one staff name for a new
member (invited by e-mail, linked when they confirm the address), or whom staff appoint; and a
company that has an admin keeps one (members.services, person_role_set and its siblings)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from members import services
from members.models import Company, Person
from tests.factories import JoinRequestFactory, PersonFactory, UserFactory, staff_user
from tests.helpers import client_for
from tests.staff.test_members_staff import new_member as staff_new_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """The e-mails leave when a service's transaction commits: run those callbacks."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def mechelen_admin(mechelen):
    return staff_user("chamber_admin", mechelen)


def test_the_first_confirmed_person_of_a_company_becomes_its_admin(company, mechelen_admin):
    first, second = (JoinRequestFactory(company=company) for _ in range(2))

    made_first = services.join_request_approve(join_request=first, actor=mechelen_admin)
    made_second = services.join_request_approve(join_request=second, actor=mechelen_admin)

    assert made_first.role == Person.Role.ADMIN
    assert made_second.role == Person.Role.EMPLOYEE
    # The first may now confirm colleagues and edit the company, in /me/.
    assert client_for(first.user).get(reverse("me:company")).status_code == 200


def test_staff_appoint_an_admin_and_the_company_keeps_one(company, mechelen_admin):
    admin = PersonFactory(company=company, role=Person.Role.ADMIN, first_name="Bart")
    employee = PersonFactory(company=company, first_name="Els", last_name="Janssens")
    staff = client_for(mechelen_admin)

    def set_role(person, role):
        url = reverse("staff:member_person_role", args=[company.slug, person.pk])
        return staff.post(url, {"role": role}, follow=True).content.decode()

    page = staff.get(reverse("staff:member_detail", args=[company.slug])).content.decode()
    assert "Maak beheerder" in page and "Maak medewerker" in page

    refused = set_role(admin, "employee")
    assert "Een onderneming heeft minstens één beheerder nodig." in refused
    admin.refresh_from_db()
    assert admin.role == Person.Role.ADMIN  # the only admin stays one

    assert "Els Janssens is nu beheerder van" in set_role(employee, "admin")
    assert "nu medewerker van" in set_role(admin, "employee")
    admin.refresh_from_db()
    employee.refresh_from_db()
    assert (admin.role, employee.role) == (Person.Role.EMPLOYEE, Person.Role.ADMIN)
    refused = set_role(employee, "employee")
    assert "Een onderneming heeft minstens één beheerder nodig." in refused
    employee.refresh_from_db()
    assert employee.role == Person.Role.ADMIN


def test_staff_of_another_chamber_cannot_appoint(company, antwerpen, kempen):
    person = PersonFactory(company=company)
    for user in (staff_user("chamber_admin", antwerpen), staff_user("event_manager", kempen)):
        url = reverse("staff:member_person_role", args=[company.slug, person.pk])
        assert client_for(user).post(url, {"role": "admin"}).status_code in (403, 404)
    person.refresh_from_db()
    assert person.role == Person.Role.EMPLOYEE


def new_member(chamber, **changes):
    """The staff's new-member form (as tests/staff uses it) with the company's admin named."""
    admin = {
        "admin-first_name": "Nora",
        "admin-last_name": "Peeters",
        "admin-email": "Nora@NieuweZaak.be",
    }
    return staff_new_member(chamber) | admin | changes


def test_a_new_members_admin_is_invited_and_linked_when_they_confirm_the_address(
    mechelen, mechelen_admin, committed
):
    with committed():
        response = client_for(mechelen_admin).post(
            reverse("staff:member_new"), new_member(mechelen)
        )

    assert response.status_code == 302
    company = Company.objects.get(enterprise_number="0403170701")
    admin = company.people.get()
    assert (admin.role, admin.email, admin.user) == (Person.Role.ADMIN, "nora@nieuwezaak.be", None)
    (invitation,) = mail.outbox
    assert invitation.to == ["nora@nieuwezaak.be"] and "Nieuwe Zaak BV" in invitation.subject
    assert "/accounts/signup/" in invitation.body

    visitor = Client()
    visitor.post(
        "/accounts/signup/",
        {
            "email": "nora@nieuwezaak.be",
            "password1": "Mechelen-Bouwt-2026",
            "password2": "Mechelen-Bouwt-2026",
        },
    )
    admin.refresh_from_db()
    assert admin.user is None  # not before the address is confirmed
    path = re.search(r"http://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)[1]
    visitor.post(path)

    admin.refresh_from_db()
    assert admin.user is not None and admin.user.email == "nora@nieuwezaak.be"
    assert client_for(admin.user).get(reverse("me:company")).status_code == 200


def test_an_admin_who_has_an_account_already_is_linked_at_once(mechelen, mechelen_admin, committed):
    user = UserFactory(email="nora@nieuwezaak.be")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    with committed():
        client_for(mechelen_admin).post(reverse("staff:member_new"), new_member(mechelen))

    admin = Person.objects.get(email="nora@nieuwezaak.be")
    assert admin.user == user and admin.is_company_admin
    assert "Mijn portaal" in mail.outbox[0].body and "/accounts/signup/" not in mail.outbox[0].body


def test_an_address_nobody_confirmed_is_not_linked(mechelen, mechelen_admin):
    UserFactory(email="nora@nieuwezaak.be")  # signed up, never confirmed

    client_for(mechelen_admin).post(reverse("staff:member_new"), new_member(mechelen))

    assert Person.objects.get(email="nora@nieuwezaak.be").user is None


def test_a_named_admin_needs_an_address_and_nothing_is_written_without(mechelen, mechelen_admin):
    response = client_for(mechelen_admin).post(
        reverse("staff:member_new"), new_member(mechelen, **{"admin-email": ""})
    )

    assert response.status_code == 200
    assert "Geef het e-mailadres van de beheerder." in response.content.decode()
    assert not Company.objects.exists() and not Person.objects.exists()
    assert mail.outbox == []
