"""Send a colleague instead (events.services.registration_substitute): a confirmed place changes
hands inside the company, on the same terms, without a fee and without the waiting list moving."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from alliance.base.models import DomainError
from events import services
from events.models import Registration
from tests.factories import CompanyFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(company):
    return PersonFactory(company=company, first_name="Jan", last_name="Peeters")


def test_a_member_sends_a_colleague_and_the_place_changes_hands(
    member_client, event, person, colleague, company, django_capture_on_commit_callbacks
):
    event.capacity = 1
    event.save()
    member_client.post(f"/events/{event.slug}/inschrijven/")
    waiting = services.registration_create(event=event, person=PersonFactory(company=company))
    page = member_client.get(f"/events/{event.slug}/").content.decode()
    assert "Stuur een collega in je plaats" in page and "Jan Peeters" in page
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            f"/events/{event.slug}/collega/", {"colleague": colleague.pk}, follow=True
        )

    assert "Jan Peeters gaat in je plaats" in response.content.decode()
    mine = Registration.objects.get(event=event, person=person)
    theirs = Registration.objects.get(event=event, person=colleague)
    assert (mine.status, mine.cancellation_fee) == ("cancelled", None)
    assert (theirs.status, theirs.price) == ("confirmed", mine.price)
    assert theirs.ticket_code != mine.ticket_code
    waiting.refresh_from_db()
    assert waiting.status == "waitlisted"  # the place was not freed
    assert event.places_taken() == 1
    to = {tuple(message.to): message for message in mail.outbox}
    assert theirs.ticket_code in to[(colleague.email,)].body
    assert "METHOD:CANCEL" in to[(person.email,)].attachments[0][1]


def test_only_a_colleague_who_is_not_registered_yet(event, person, colleague, member_user):
    registration = services.registration_create(event=event, person=person)
    services.registration_create(event=event, person=colleague)
    stranger = PersonFactory(company=CompanyFactory())

    for other, code in ((stranger, "not_a_colleague"), (colleague, "already_registered")):
        with pytest.raises(DomainError) as refused:
            services.registration_substitute(
                registration=registration, colleague=other, actor=member_user
            )
        assert refused.value.code == code and refused.value.field == "colleague"
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_the_registered_person_or_their_company_admin_and_only_before_the_start(
    event, person, colleague, member_user, company_admin
):
    registration = services.registration_create(event=event, person=person)
    with pytest.raises(PermissionDenied):
        services.registration_substitute(
            registration=registration, colleague=colleague, actor=UserFactory()
        )
    event.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    event.ends_at = timezone.now() + datetime.timedelta(hours=2)
    event.registration_closes_at = None
    event.free_cancellation_until = None
    event.save()
    with pytest.raises(DomainError) as refused:
        services.registration_substitute(
            registration=registration, colleague=colleague, actor=company_admin
        )
    assert refused.value.code == "event_started"
    registration.refresh_from_db()
    assert registration.status == "confirmed"
