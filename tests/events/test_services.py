"""Registration rules: member terms, capacity, waiting list, window, status, duplicates."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from alliance.base.models import DomainError
from events.models import Event, Registration
from events.services import registration_cancel, registration_create, waiting_list_rank
from members.models import Membership
from tests.factories import CompanyFactory, EventFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def refused(code, **kwargs):
    before = Registration.objects.count()
    with pytest.raises(DomainError) as caught:
        registration_create(**kwargs)
    assert caught.value.code == code
    assert Registration.objects.count() == before, "a refused registration wrote nothing"
    return caught.value


def test_a_member_of_mechelen_registers_at_kempen_on_member_terms(
    event, person, mechelen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = registration_create(event=event, person=person)
    assert (
        registration.status,
        registration.member_terms,
        registration.member_terms_chamber,
        registration.price,
        registration.company,
    ) == ("confirmed", True, mechelen, Decimal("45.00"), person.company)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert "Je bent ingeschreven" in message.subject and event.title in message.subject
    assert message.attachments[0][0] == f"{event.slug}.ics"
    assert "BEGIN:VEVENT" in message.attachments[0][1]


def test_a_non_member_pays_the_non_member_price(event):
    outsider = PersonFactory(company=CompanyFactory())
    registration = registration_create(event=event, person=outsider)
    assert (registration.member_terms, registration.price) == (False, Decimal("95.00"))


def test_members_only_events_refuse_non_members_with_a_clear_message(event, limburg):
    event.audience = Event.Audience.MEMBERS
    event.save()
    limburg_company = CompanyFactory()
    MembershipFactory(company=limburg_company, chamber=limburg)
    error = refused("members_only", event=event, person=PersonFactory(company=limburg_company))
    assert "enkel voor leden" in error.message


def test_members_only_events_accept_alliance_members(event, person):
    event.audience = Event.Audience.MEMBERS
    event.save()
    assert registration_create(event=event, person=person).status == "confirmed"


def test_full_event_puts_people_on_the_waiting_list_in_order(event, company):
    event.capacity = 2
    event.save()
    people = [PersonFactory(company=company) for _ in range(5)]
    registrations = [registration_create(event=event, person=p) for p in people]
    assert [r.status for r in registrations] == ["confirmed"] * 2 + ["waitlisted"] * 3
    assert [waiting_list_rank(r) for r in registrations[2:]] == [1, 2, 3]
    assert event.places_taken() == 2


def test_full_event_without_waiting_list_refuses(event, company):
    event.capacity, event.has_waiting_list = 1, False
    event.save()
    registration_create(event=event, person=PersonFactory(company=company))
    error = refused("event_full", event=event, person=PersonFactory(company=company))
    assert error.message == "Deze activiteit is volzet."


def test_cancelling_a_place_promotes_the_first_in_line_who_is_told(
    event, company, django_capture_on_commit_callbacks
):
    event.capacity = 1
    event.save()
    first, second, third = (PersonFactory(company=company) for _ in range(3))
    holder = registration_create(event=event, person=first)
    waiting_1 = registration_create(event=event, person=second)
    waiting_2 = registration_create(event=event, person=third)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=holder)
    waiting_1.refresh_from_db()
    waiting_2.refresh_from_db()
    assert (waiting_1.status, waiting_1.waiting_list_position) == ("confirmed", None)
    assert waiting_2.status == "waitlisted" and waiting_list_rank(waiting_2) == 1
    assert event.places_taken() == 1
    subjects = {tuple(m.to): m.subject for m in mail.outbox}
    assert "geannuleerd" in subjects[(first.email,)]
    assert "plaats vrij" in subjects[(second.email,)]
    assert (third.email,) not in subjects


def test_leaving_the_waiting_list_promotes_nobody(event, company):
    event.capacity = 1
    event.save()
    registration_create(event=event, person=PersonFactory(company=company))
    waiting = registration_create(event=event, person=PersonFactory(company=company))
    later = registration_create(event=event, person=PersonFactory(company=company))
    registration_cancel(registration=waiting)
    later.refresh_from_db()
    assert later.status == "waitlisted" and waiting_list_rank(later) == 1


def test_registering_twice_is_refused(event, person):
    registration_create(event=event, person=person)
    refused("already_registered", event=event, person=person)


def test_registering_again_after_cancelling_is_allowed(event, person):
    registration_cancel(registration=registration_create(event=event, person=person))
    assert registration_create(event=event, person=person).status == "confirmed"


@pytest.mark.parametrize(
    ("status", "code"),
    [(Event.Status.DRAFT, "event_not_published"), (Event.Status.CANCELLED, "event_cancelled")],
)
def test_draft_and_cancelled_events_refuse(event, person, status, code):
    event.status = status
    event.save()
    refused(code, event=event, person=person)


def test_outside_the_registration_window(event, person):
    now = timezone.now()
    event.registration_opens_at = now + datetime.timedelta(days=1)
    event.save()
    refused("registration_not_open", event=event, person=person)
    event.registration_opens_at = now - datetime.timedelta(days=10)
    event.registration_closes_at = now - datetime.timedelta(days=1)
    event.save()
    refused("registration_closed", event=event, person=person)


def test_an_event_that_started_takes_no_registrations(kempen, person):
    now = timezone.now()
    started = EventFactory(
        organiser=kempen,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=2),
    )
    refused("registration_closed", event=started, person=person)


def test_a_lapsed_membership_means_non_member_terms(event, mechelen):
    company = CompanyFactory()
    MembershipFactory(company=company, chamber=mechelen, status=Membership.Status.LAPSED)
    registration = registration_create(event=event, person=PersonFactory(company=company))
    assert registration.price == Decimal("95.00")


def test_a_cancelled_registration_cannot_be_cancelled_again(event, person):
    registration = registration_cancel(registration=registration_create(event=event, person=person))
    with pytest.raises(DomainError) as caught:
        registration_cancel(registration=registration)
    assert caught.value.code == "not_cancellable"


def test_rolled_back_registration_sends_nothing(event, person, django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        registration_create(event=event, person=person)
        raise RuntimeError("something later in the same request failed")
    assert callbacks == [] and mail.outbox == []
    assert not Registration.objects.exists()


def test_waiting_list_e_mail_names_the_position(event, company, django_capture_on_commit_callbacks):
    event.capacity = 1
    event.save()
    registration_create(event=event, person=PersonFactory(company=company))
    registration_create(event=event, person=PersonFactory(company=company))
    waiting = PersonFactory(company=company, preferred_language="nl")
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(event=event, person=waiting)
    assert "wachtlijst (plaats 2)" in mail.outbox[-1].body
