"""Asking a competence centre for help: the request, its rules and the e-mails after commit."""

import pytest
from django.core import mail

from alliance.base.models import DomainError
from chambers.models import StaffRole
from competences.models import Service
from members.models import ServiceRequest
from members.service_requests import service_request_create
from tests.factories import (
    CompanyFactory,
    CompetenceCentreFactory,
    PersonFactory,
    ServiceFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_centre(centre):
    centre.name_fr = "Innovation intégrale"
    centre.email = "innovatie@kempen.example"
    centre.save()
    return centre


@pytest.fixture
def kempen_staff(kempen):
    return staff_user(
        StaffRole.Role.VIEWER, kempen, username="staff-kempen", email="staff@kempen.example"
    )


def outbox_to(address):
    return [message for message in mail.outbox if address in message.to]


def test_request_is_recorded_for_the_persons_company(person, french_centre):
    service = ServiceFactory(centre=french_centre, name="Innovatiescan")

    created = service_request_create(
        person=person, centre=french_centre, service=service, message="  Hulp bij subsidies  "
    )

    stored = ServiceRequest.objects.get()
    assert stored.pk == created.pk
    assert stored.status == ServiceRequest.Status.NEW
    assert (stored.company, stored.person, stored.centre, stored.service) == (
        person.company,
        person,
        french_centre,
        service,
    )
    assert stored.message == "Hulp bij subsidies"
    assert stored.assignee is None and stored.closed_at is None


def test_confirmation_in_the_members_language_and_notification_to_lead_staff_in_dutch(
    django_capture_on_commit_callbacks, person, french_centre, kempen_staff, mechelen
):
    person.preferred_language = "fr"
    person.save()
    # Staff of another chamber and an inactive staff user at the lead chamber hear nothing.
    staff_user(
        StaffRole.Role.CHAMBER_ADMIN,
        mechelen,
        username="staff-mechelen",
        email="staff@mechelen.example",
    )
    staff_user(
        StaffRole.Role.VIEWER,
        french_centre.lead_chamber,
        username="gone",
        email="gone@kempen.example",
        is_active=False,
    )

    with django_capture_on_commit_callbacks(execute=True):
        service_request_create(person=person, centre=french_centre, message="Een vraag & meer")

    confirmation = outbox_to(person.email)
    assert len(confirmation) == 1
    assert "Innovation intégrale" in confirmation[0].subject
    html = confirmation[0].alternatives[0][0]
    assert '<html lang="fr">' in html
    assert "Een vraag & meer" in confirmation[0].body  # plain text is not HTML-escaped
    assert "Een vraag &amp; meer" in html

    to_staff = outbox_to("staff@kempen.example")
    assert len(to_staff) == 1
    assert "Integrale innovatie" in to_staff[0].subject
    assert person.company.name in to_staff[0].subject
    assert person.email in to_staff[0].body
    assert f"/staff/requests/{ServiceRequest.objects.get().pk}/" in to_staff[0].body
    assert "/admin/" not in to_staff[0].body
    assert len(outbox_to("innovatie@kempen.example")) == 1
    assert outbox_to("staff@mechelen.example") == []
    assert outbox_to("gone@kempen.example") == []
    assert len(mail.outbox) == 3
    # Staff do not see each other's (or the member's) addresses.
    assert all(len(message.to) == 1 for message in mail.outbox)


def test_centre_mailbox_that_is_also_a_staff_address_gets_one_message(
    django_capture_on_commit_callbacks, person, centre, kempen_staff
):
    centre.email = "STAFF@kempen.example"
    centre.save()
    with django_capture_on_commit_callbacks(execute=True):
        service_request_create(person=person, centre=centre, message="Graag advies")
    assert len(mail.outbox) == 2  # the member and the one staff address


def test_no_mail_before_the_commit(
    django_capture_on_commit_callbacks, person, centre, kempen_staff
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        service_request_create(person=person, centre=centre, message="Graag advies")
    assert len(callbacks) == 2
    assert mail.outbox == []


def test_service_of_another_centre_is_refused(django_capture_on_commit_callbacks, person, centre):
    other = ServiceFactory(centre=CompetenceCentreFactory(alliance=centre.alliance))
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(DomainError) as refused,
    ):
        service_request_create(person=person, centre=centre, service=other, message="Vraag")
    assert refused.value.code == "service_of_other_centre"
    assert not ServiceRequest.objects.exists()
    assert mail.outbox == []


def test_withdrawn_service_is_refused(person, centre):
    service = ServiceFactory(centre=centre, is_active=False)
    with pytest.raises(DomainError) as refused:
        service_request_create(person=person, centre=centre, service=service, message="Vraag")
    assert refused.value.code == "service_inactive"
    assert not ServiceRequest.objects.exists()


def test_members_only_service_needs_an_alliance_member(centre):
    outsider = PersonFactory(company=CompanyFactory())  # no membership at all
    members_only = ServiceFactory(centre=centre, audience=Service.Audience.MEMBERS)
    open_to_all = ServiceFactory(centre=centre, audience=Service.Audience.EVERYONE)

    with pytest.raises(DomainError) as refused:
        service_request_create(
            person=outsider, centre=centre, service=members_only, message="Vraag"
        )
    assert refused.value.code == "members_only"
    assert not ServiceRequest.objects.exists()

    service_request_create(person=outsider, centre=centre, service=open_to_all, message="Vraag")
    service_request_create(person=outsider, centre=centre, message="Algemene vraag")
    assert ServiceRequest.objects.filter(person=outsider).count() == 2


@pytest.mark.parametrize("message", ["", "   \n "])
def test_empty_question_is_refused(person, centre, message):
    with pytest.raises(DomainError) as refused:
        service_request_create(person=person, centre=centre, message=message)
    assert refused.value.code == "empty_message"
    assert not ServiceRequest.objects.exists()
