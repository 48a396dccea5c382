"""Cancellation terms, no-shows and staff's actions on one registration (issue 11).

Free cancellation until a deadline (default two working days before the start), then a late
fee or no cancellation by the person; staff cancel for someone with or without the fee, take
someone off the waiting list, move someone up with a logged reason, mark no-shows after the
start (the figures count them) and undo a check-in, each through the services.
"""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from alliance.base.models import DomainError
from alliance.figures.queries import fill_and_no_show_rates_by_kind
from events import services
from events.models import Event, Registration, working_days_before
from tests.factories import EventFactory, PersonFactory, RegistrationFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def at(day: str, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour))
    )


@pytest.mark.parametrize(
    ("starts", "deadline"),
    [
        ("2026-10-05", "2026-10-01"),  # a Monday: the Thursday before
        ("2026-10-07", "2026-10-05"),  # a Wednesday: the Monday
        ("2026-10-10", "2026-10-08"),  # a Saturday: the Thursday
    ],
)
def test_the_default_deadline_is_two_working_days_before(starts, deadline):
    assert working_days_before(at(starts), 2) == at(deadline)


@pytest.fixture
def late(event):
    """The Kempen forum, past its free-cancellation deadline, with a late fee of € 25."""
    event.free_cancellation_until = timezone.now() - HOUR
    event.late_cancellation_fee = Decimal("25.00")
    event.save()
    return event


def test_cancelling_before_the_deadline_is_free(event, person):
    registration = services.registration_create(event=event, person=person)
    assert event.cancellation_terms() == "free"
    cancelled = services.registration_cancel(registration=registration)
    assert (cancelled.status, cancelled.cancellation_fee) == ("cancelled", None)


def test_a_late_cancellation_costs_the_fee_and_the_e_mail_says_so(
    late, person, django_capture_on_commit_callbacks
):
    registration = services.registration_create(event=late, person=person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.registration_cancel(registration=registration)
    assert cancelled.cancellation_fee == Decimal("25.00")
    assert "annuleringskost is €\xa025,00" in mail.outbox[0].body


def test_a_waiting_registration_leaves_for_free_after_the_deadline(late, company):
    late.capacity = 1
    late.save()
    services.registration_create(event=late, person=PersonFactory(company=company))
    waiting = services.registration_create(event=late, person=PersonFactory(company=company))
    assert services.registration_cancel(registration=waiting).cancellation_fee is None


def test_no_late_cancellation_refuses_the_person_but_not_staff(
    late, person, member_user, event_manager
):
    late.late_cancellation = Event.LateCancellation.REFUSED
    late.save()
    registration = services.registration_create(event=late, person=person)
    with pytest.raises(DomainError) as caught:
        services.registration_cancel(registration=registration)
    assert caught.value.code == "late_cancellation_refused"
    client = client_for(member_user)
    page = client.get(f"/events/{late.slug}/").content.decode()
    assert "Daarna kan je niet meer annuleren." in page
    assert "Annuleer mijn inschrijving" not in page
    assert "Annuleer inschrijving" not in client.get("/me/").content.decode()
    response = client_for(event_manager).post(
        f"/staff/events/{late.slug}/registrations/{registration.pk}/",
        {"action": "cancel", "reason": "Ziek, met attest"},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.status, registration.cancelled_by, registration.cancellation_fee) == (
        "cancelled",
        "staff",
        None,
    )
    assert "geannuleerd: Ziek, met attest" in registration.staff_log


def test_staff_cancel_with_the_fee(late, person, event_manager):
    registration = services.registration_create(event=late, person=person)
    client_for(event_manager).post(
        f"/staff/events/{late.slug}/registrations/{registration.pk}/",
        {"action": "cancel_with_fee"},
    )
    registration.refresh_from_db()
    assert registration.cancellation_fee == Decimal("25.00")


def test_the_terms_are_on_the_page_in_the_confirmation_and_in_me(
    event, person, member_user, django_capture_on_commit_callbacks
):
    event.late_cancellation_fee = Decimal("30.00")
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(event=event, person=person)
    deadline = timezone.localtime(event.cancellation_deadline)
    assert "Gratis annuleren tot" in mail.outbox[0].body
    assert "annuleringskost van €\xa030,00" in mail.outbox[0].body
    assert registration.ticket_code in mail.outbox[0].body
    client = client_for(member_user)
    for url in (f"/events/{event.slug}/", "/me/"):
        page = client.get(url).content.decode()
        assert "Gratis annuleren tot" in page and "€\xa030,00" in page, url
        assert f"{deadline:%H:%M}" in page


def test_staff_take_someone_off_the_waiting_list(event, company, event_manager):
    event.capacity = 1
    event.save()
    services.registration_create(event=event, person=PersonFactory(company=company))
    waiting = services.registration_create(event=event, person=PersonFactory(company=company))
    client_for(event_manager).post(
        f"/staff/events/{event.slug}/registrations/{waiting.pk}/", {"action": "cancel"}
    )
    waiting.refresh_from_db()
    assert (waiting.status, waiting.cancelled_by) == ("cancelled", "staff")


def test_no_shows_after_the_event_count_in_the_figures(kempen, company, event_manager):
    now = timezone.now()
    event = EventFactory(
        organiser=kempen, starts_at=now - 2 * 24 * HOUR, ends_at=now - 24 * HOUR, slug="voorbij"
    )
    came = RegistrationFactory(
        event=event, person=PersonFactory(company=company), status="attended", checked_in_at=now
    )
    absent = RegistrationFactory(event=event, person=PersonFactory(company=company))
    before = fill_and_no_show_rates_by_kind([kempen.pk])[0]
    assert (before["attended"], before["no_shows"]) == (1, 0)
    client_for(event_manager).post(
        f"/staff/events/voorbij/registrations/{absent.pk}/", {"action": "no_show"}
    )
    absent.refresh_from_db()
    assert absent.status == "no_show"
    assert "niet opgedaagd" in absent.staff_log
    after = fill_and_no_show_rates_by_kind([kempen.pk])[0]
    assert (after["attended"], after["no_shows"]) == (1, 1)
    assert after["no_show_rate"] != before["no_show_rate"]
    assert came.status == "attended"


def test_no_show_before_the_start_is_refused(event, person, event_manager):
    registration = services.registration_create(event=event, person=person)
    with pytest.raises(DomainError) as caught:
        services.registration_mark_no_show(registration=registration, actor=event_manager)
    assert caught.value.code == "event_not_started"
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"


def test_undo_a_check_in(event, person, event_manager):
    registration = services.registration_create(event=event, person=person)
    services.registration_check_in(
        event=event, ticket_code=registration.ticket_code, actor=event_manager
    )
    response = client_for(event_manager).post(
        f"/staff/events/{event.slug}/registrations/{registration.pk}/",
        {"action": "undo_check_in"},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.status, registration.checked_in_at) == ("confirmed", None)


def test_a_viewer_cannot_act_and_an_unknown_action_changes_nothing(
    event, person, viewer, event_manager
):
    registration = services.registration_create(event=event, person=person)
    url = f"/staff/events/{event.slug}/registrations/{registration.pk}/"
    assert client_for(viewer).post(url, {"action": "cancel"}).status_code == 403
    assert client_for(event_manager).post(url, {"action": "explode"}).status_code == 302
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"
