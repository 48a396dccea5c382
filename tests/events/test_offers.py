"""Waiting-list offers with expiry (issue 11): the first in line is offered a freed place for a
set time, accepts or declines from the e-mail's link or /me/, and an expired offer passes on."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from events import services
from events.models import Event, Registration
from events.tasks import expire_offers
from tests.factories import PersonFactory
from tests.helpers import client_for, travel_to

pytestmark = pytest.mark.django_db

HOURS = datetime.timedelta(hours=1)


@pytest.fixture
def offering(event, company, person):
    """One place; a holder; `person` (the member user) first in line, Bert second; offers."""
    event.capacity = 1
    event.waiting_list_mode = Event.WaitingListMode.OFFER
    event.save()
    holder = services.registration_create(event=event, person=PersonFactory(company=company))
    first = services.registration_create(event=event, person=person)
    second = services.registration_create(
        event=event, person=PersonFactory(company=company, first_name="Bert")
    )
    assert (first.status, second.status) == ("waitlisted", "waitlisted")
    mail.outbox.clear()
    return holder, first, second


def status(registration) -> str:
    return Registration.objects.get(pk=registration.pk).status


def test_a_freed_place_is_offered_to_the_first_in_line_and_counts_against_capacity(
    event, company, offering, django_capture_on_commit_callbacks
):
    holder, first, second = offering
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=holder)
    first.refresh_from_db()
    assert first.status == "offered"
    expected = timezone.now() + 24 * HOURS
    assert abs(first.offer_expires_at - expected) < datetime.timedelta(minutes=1)
    assert status(second) == "waitlisted"
    assert event.places_left() == 0, "the offered place is held"
    offer_mail = next(m for m in mail.outbox if m.to == [first.person.email])
    assert "bevestig" in offer_mail.subject.lower()
    assert f"/events/aanbod/{first.ticket_code}/" in offer_mail.body
    newcomer = services.registration_create(event=event, person=PersonFactory(company=company))
    assert newcomer.status == "waitlisted", "a newcomer waits while someone holds an offer"


def test_accepting_from_the_e_mail_link_confirms_with_a_ticket(
    offering, client, django_capture_on_commit_callbacks
):
    holder, first, second = offering
    services.registration_cancel(registration=holder)
    url = f"/events/aanbod/{first.ticket_code}/"
    page = client.get(url).content.decode()
    assert "Ik neem de plaats" in page and "Laat de plaats gaan" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + "aanvaarden/")
    assert response.status_code == 302
    assert status(first) == "confirmed"
    assert [m.to for m in mail.outbox] == [[first.person.email]]
    assert mail.outbox[0].attachments, "the confirmation carries the calendar file"
    assert "Je bent ingeschreven" in client.get(url).content.decode()


def test_declining_from_me_passes_the_offer_to_the_next(
    offering, member_user, django_capture_on_commit_callbacks
):
    holder, first, second = offering
    services.registration_cancel(registration=holder)
    client = client_for(member_user)
    me = client.get("/me/").content.decode()
    assert "Een plaats voor jou" in me and "Laat de plaats gaan" in me
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/events/aanbod/{first.ticket_code}/weigeren/")
    assert status(first) == "cancelled"
    assert status(second) == "offered"


def test_an_expired_offer_passes_on_with_time_travel(
    offering, client, django_capture_on_commit_callbacks
):
    holder, first, second = offering
    services.registration_cancel(registration=holder)
    first.refresh_from_db()
    later = first.offer_expires_at + HOURS
    with travel_to(later):
        # Expired but not yet passed on: accepting is refused, nothing changes.
        response = client.post(f"/events/aanbod/{first.ticket_code}/aanvaarden/", follow=True)
        assert "Dit aanbod is verlopen" in response.content.decode()
        assert status(first) == "offered"
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert expire_offers.delay().get() == 1
        assert expire_offers() == 0, "idempotent"
    first.refresh_from_db()
    assert (first.status, first.cancelled_by) == ("cancelled", "expired")
    second.refresh_from_db()
    assert second.status == "offered"
    assert second.offer_expires_at > later
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.person.email, second.person.email])
    assert any("verlopen" in m.subject for m in mail.outbox)


def test_offers_are_shorter_close_to_the_event(event):
    now = timezone.now()
    event.starts_at, event.ends_at = now + 6 * HOURS, now + 9 * HOURS
    assert event.offer_expiry(now) == now + 3 * HOURS
    event.offer_hours = 2
    assert event.offer_expiry(now) == now + 2 * HOURS


def test_a_cancelled_event_ends_its_offers_and_offers_nothing(
    event, offering, event_manager, django_capture_on_commit_callbacks
):
    holder, first, second = offering
    services.registration_cancel(registration=holder)
    services.event_cancel(event=event, actor=event_manager)
    assert [Registration.objects.get(pk=r.pk).cancelled_by for r in (first, second)] == [
        "event",
        "event",
    ]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(None).post(f"/events/aanbod/{first.ticket_code}/aanvaarden/")
        assert services.offers_expire(now=timezone.now() + 48 * HOURS) == 0
    assert response.status_code == 302
    assert status(first) == "cancelled" and status(second) == "cancelled"
    assert mail.outbox == []


def test_the_expiry_runs_on_a_schedule():
    call_command("setup_schedules")
    task = PeriodicTask.objects.get(task="events.expire_offers")
    assert (task.crontab.minute, task.crontab.hour) == ("*/5", "*")
