"""The database rejects bad events and registrations; capacity counts places held."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from alliance.base.models import DomainError
from events.models import Event, Registration
from tests.factories import EventFactory, PersonFactory, RegistrationFactory
from tests.helpers import rejected_by_database

pytestmark = pytest.mark.django_db


def test_an_event_ends_after_it_starts(kempen):
    now = timezone.now()
    with rejected_by_database("event_ends_after_start"):
        EventFactory(organiser=kempen, starts_at=now, ends_at=now)


def test_registration_closes_after_it_opens(kempen):
    now = timezone.now()
    with rejected_by_database("event_registration_closes_after_opening"):
        EventFactory(
            organiser=kempen,
            registration_opens_at=now,
            registration_closes_at=now - datetime.timedelta(hours=1),
        )


def test_registration_closes_by_the_start(kempen):
    # Was: "before the end". A multi-day event under way is closed for registration (issue 11).
    event = EventFactory.build(organiser=kempen)
    with rejected_by_database("event_registration_closes_by_start"):
        EventFactory(
            organiser=kempen,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            registration_closes_at=event.starts_at + datetime.timedelta(minutes=1),
        )


@pytest.mark.parametrize(
    ("member", "non_member", "constraint"),
    [
        ("-1", "10", "event_prices_not_negative"),
        ("50", "40", "event_member_price_not_above_non_member"),
    ],
)
def test_prices(kempen, member, non_member, constraint):
    with rejected_by_database(constraint):
        EventFactory(
            organiser=kempen, member_price=Decimal(member), non_member_price=Decimal(non_member)
        )


def test_capacity_is_positive_when_set(kempen):
    with rejected_by_database("event_capacity_positive"):
        EventFactory(organiser=kempen, capacity=0)
    assert EventFactory(organiser=kempen, capacity=None).is_unlimited


def test_one_live_registration_per_person_and_event(event, person):
    RegistrationFactory(event=event, person=person)
    with rejected_by_database("one_live_registration_per_person"):
        RegistrationFactory(
            event=event,
            person=person,
            status=Registration.Status.WAITLISTED,
            waiting_list_position=1,
        )


def test_cancelled_registrations_do_not_block_a_new_one(event, person):
    RegistrationFactory(
        event=event,
        person=person,
        status=Registration.Status.CANCELLED,
        cancelled_at=timezone.now(),
    )
    RegistrationFactory(
        event=event,
        person=person,
        status=Registration.Status.CANCELLED,
        cancelled_at=timezone.now(),
    )
    assert RegistrationFactory(event=event, person=person).pk


def test_waiting_list_positions(event, company):
    with rejected_by_database("waiting_list_position_iff_waitlisted"):
        RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    with rejected_by_database("waiting_list_position_iff_waitlisted"):
        RegistrationFactory(event=event, waiting_list_position=3)
    RegistrationFactory(event=event, status="waitlisted", waiting_list_position=1)
    with rejected_by_database("waiting_list_position_once"):
        RegistrationFactory(event=event, status="waitlisted", waiting_list_position=1)


def test_registration_price_and_member_terms(event):
    with rejected_by_database("registration_price_not_negative"):
        RegistrationFactory(event=event, price=Decimal("-1"))
    with rejected_by_database("member_terms_name_the_chamber"):
        RegistrationFactory(event=event, member_terms=True)


def test_attended_needs_a_check_in_time_and_cancelled_a_cancel_time(event):
    with rejected_by_database("attended_has_check_in_time"):
        RegistrationFactory(event=event, status=Registration.Status.ATTENDED)
    with rejected_by_database("cancelled_has_time"):
        RegistrationFactory(event=event, status=Registration.Status.CANCELLED)


def test_ticket_codes_are_unique_and_unguessable(event):
    first, second = RegistrationFactory(event=event), RegistrationFactory(event=event)
    assert first.ticket_code != second.ticket_code
    assert len(first.ticket_code) >= 22  # 128 random bits, URL-safe base64
    with rejected_by_database("ticket_code"):
        RegistrationFactory(event=event, ticket_code=first.ticket_code)


def test_capacity_counts_confirmed_and_attended_only(event, company):
    def register(status, **extra):
        RegistrationFactory(
            event=event, person=PersonFactory(company=company), status=status, **extra
        )

    register(Registration.Status.CONFIRMED)
    register(Registration.Status.CONFIRMED)
    register(Registration.Status.ATTENDED, checked_in_at=timezone.now())
    register(Registration.Status.WAITLISTED, waiting_list_position=1)
    register(Registration.Status.CANCELLED, cancelled_at=timezone.now())
    register(Registration.Status.NO_SHOW)
    assert event.places_taken() == 3
    assert event.places_left() == 7
    annotated = Event.objects.with_places_taken().get(pk=event.pk)
    assert annotated.places_taken_count == 3


def test_unlimited_events_have_no_places_left_figure(kempen):
    assert EventFactory(organiser=kempen, capacity=None).places_left() is None


def test_registration_window(kempen):
    now = timezone.now()
    event = EventFactory.build(
        organiser=kempen,
        registration_opens_at=now + datetime.timedelta(days=1),
        registration_closes_at=now + datetime.timedelta(days=10),
    )
    assert not event.registration_is_open(now)
    assert event.registration_is_open(now + datetime.timedelta(days=2))
    assert not event.registration_is_open(now + datetime.timedelta(days=10))
    event.status = Event.Status.DRAFT
    assert not event.registration_is_open(now + datetime.timedelta(days=2))


def test_check_in(event, person):
    registration = RegistrationFactory(event=event, person=person)
    registration.check_in()
    registration.save()
    assert registration.status == "attended" and registration.checked_in_at
    with pytest.raises(DomainError) as caught:
        registration.check_in()
    assert caught.value.code == "already_checked_in"
    waiting = RegistrationFactory(event=event, status="waitlisted", waiting_list_position=1)
    with pytest.raises(DomainError):
        waiting.check_in()
