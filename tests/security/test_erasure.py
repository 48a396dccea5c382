"""Erasure on request (members.services.person_erase): the person is anonymised, their
registrations keep counting, nobody else's data changes, the API, webhooks and the audit trail
no longer carry them, and the erasure itself is in the audit trail."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.db.models import TextField
from django.db.models.functions import Cast
from django.urls import reverse
from pghistory.models import Events

from alliance.base import audit
from alliance.base.models import DomainError, SentMessage
from chambers.models import StaffRole, WebhookDelivery
from events.models import Registration
from events.payloads import registration_payload
from members import services
from members.models import JoinRequest, Person
from tests.factories import (
    PersonFactory,
    RegistrationFactory,
    SentMessageFactory,
    WebhookDeliveryFactory,
    WebhookEndpointFactory,
    give_second_factor,
    staff_user,
)
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

ELS = ("Els", "Janssens")


@pytest.fixture
def home_admin(mechelen):
    """A chamber admin of the company's home chamber."""
    return staff_user(StaffRole.Role.CHAMBER_ADMIN, mechelen)


@pytest.fixture
def erasable(person, member_user, event, company):
    """Els, with an account, a second factor, a session, a registration, a join request, an
    e-mail sent to her and a webhook payload naming her; and a colleague, Jan."""
    give_second_factor(member_user)
    member_user.first_name, member_user.last_name = ELS
    member_user.save()
    person.phone, person.job_title = "+32 470 12 34 56", "Brouwmeester"
    person.renew_calendar_token()
    person.save()
    registration = RegistrationFactory(event=event, person=person, company=company)
    JoinRequest.objects.create(
        user=member_user, company=company, first_name="Els", last_name="Janssens", message="Hoi"
    )
    SentMessageFactory(recipients=person.email, subject="Je inschrijving")
    endpoint = WebhookEndpointFactory()
    WebhookDeliveryFactory(
        endpoint=endpoint,
        event_type="registration.confirmed",
        payload=registration_payload(Registration.objects.for_api().get(pk=registration.pk)),
    )
    colleague = PersonFactory(company=company, first_name="Jan", last_name="Peeters")
    logged_in = client_for(member_user)
    assert logged_in.get(reverse("me:home")).status_code == 200
    return {
        "person": person,
        "user": member_user,
        "registration": registration,
        "colleague": colleague,
        "client": logged_in,
        "email": person.email,
    }


def erase(staff, person, **data):
    url = reverse("staff:member_person_erase", args=[person.company.slug, person.pk])
    return client_for(staff).post(url, data)


def test_a_chamber_admin_erases_a_person_after_confirming(home_admin, erasable, event):
    person, user, email = erasable["person"], erasable["user"], erasable["email"]
    colleague = erasable["colleague"]
    colleague_before = Person.objects.filter(pk=colleague.pk).values().get()
    counted = Registration.objects.filter(event=event).count()
    page = client_for(home_admin).get(
        reverse("staff:member_person_erase", args=[person.company.slug, person.pk])
    )
    assert page.status_code == 200 and "Els Janssens" in page.content.decode()

    # Without the confirmation nothing happens.
    erase(home_admin, person)
    person.refresh_from_db()
    assert person.first_name == "Els" and not person.is_erased

    deliveries_before = WebhookDelivery.objects.count()
    response = erase(home_admin, person, confirm="erase")

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_erased
    assert (person.first_name, person.last_name) != ELS
    assert person.email != email and person.email.endswith(".invalid")
    assert person.phone == "" and person.job_title == "" and person.calendar_token_hash is None
    assert person.user is None
    # The registration stays, and counts.
    assert Registration.objects.filter(event=event).count() == counted
    assert Registration.objects.get(pk=erasable["registration"].pk).person_id == person.pk
    # The account: closed, scrubbed, logged out everywhere.
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert (user.email, user.first_name, user.last_name) == ("", "", "")
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    assert erasable["client"].get(reverse("me:home")).status_code == 302
    assert JoinRequest.objects.get(user=user).first_name == ""
    # Nobody else's data changed.
    assert Person.objects.filter(pk=colleague.pk).values().get() == colleague_before
    # No webhook about it, and the old payload no longer names her.
    assert WebhookDelivery.objects.count() == deliveries_before
    (delivery,) = WebhookDelivery.objects.all()
    assert email not in str(delivery.payload) and "Janssens" not in str(delivery.payload)
    assert not SentMessage.objects.filter(recipients__icontains=email).exists()
    # The company's people list no longer shows her.
    detail = client_for(home_admin).get(reverse("staff:member_detail", args=[person.company.slug]))
    assert "Els Janssens" not in detail.content.decode()


def test_the_audit_trail_forgets_her_values_and_records_the_erasure(home_admin, erasable):
    person, email = erasable["person"], erasable["email"]
    assert Events.objects.tracks(person).exists()

    erase(home_admin, person, confirm="erase")

    texts = Events.objects.annotate(text=Cast("pgh_data", TextField())).values_list(
        "text", flat=True
    )
    assert not [text for text in texts if email in text or "Janssens" in text]
    assert not [text for text in texts if "Brouwmeester" in text or "470 12 34 56" in text]
    erased = Events.objects.tracks(person).get(pgh_label=audit.ERASE)
    assert erased.pgh_context["user"] == home_admin.pk
    assert erased.pgh_data["first_name"] != "Els"
    # The colleague's history is untouched.
    assert (
        Events.objects.tracks(erasable["colleague"])
        .get(pgh_label=audit.CREATE)
        .pgh_data["first_name"]
        == "Jan"
    )


def test_who_may_erase(erasable, event_manager, chamber_admin, alliance_admin, company_admin):
    person = erasable["person"]
    # Kempen's chamber admin: the company is no member there (404 on its page, the member list
    # is scoped); event managers and the company's own admin may not.
    for user in (event_manager, chamber_admin):
        assert erase(user, person, confirm="erase").status_code in (403, 404)
    with pytest.raises(DomainError):
        services.person_erase(person=person, actor=company_admin)
    person.refresh_from_db()
    assert not person.is_erased
    assert erase(alliance_admin, person, confirm="erase").status_code == 302


def test_a_staff_member_is_not_erased_from_the_members_page(home_admin, erasable, mechelen):
    person = erasable["person"]
    StaffRole.objects.create(user=erasable["user"], chamber=mechelen, role="viewer")
    erase(home_admin, person, confirm="erase")
    person.refresh_from_db()
    assert not person.is_erased


def test_erasing_twice_is_refused(home_admin, erasable):
    person = erasable["person"]
    services.person_erase(person=person, actor=home_admin)
    with pytest.raises(DomainError):
        services.person_erase(person=Person.objects.get(pk=person.pk), actor=home_admin)
