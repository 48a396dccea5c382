"""A cancelled event (issue 11): its registrations end with it, and nothing moves any more.

Cancelling a registration there, promoting its waiting list, moving people on it: nothing
changes, no e-mail, no webhook, on the page, in the back-office and in the services (the API's
cancel is in tests/api/test_registrations.py).
"""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from alliance.base.models import DomainError
from chambers import services as chamber_services
from chambers.models import StaffRole, WebhookDelivery
from events import services
from events.models import Event, Registration
from tests.factories import PartnerFactory, PersonFactory, RegistrationFactory, staff_user
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(kempen):
    return staff_user(StaffRole.Role.EVENT_MANAGER, kempen, username="manager")


@pytest.fixture
def full_event(event, company, person):
    """One place, taken by `person`; a partner's delegate waits first in line, with a webhook."""
    event.capacity = 1
    event.save()
    partner = PartnerFactory(slug="liof")
    chamber_services.webhook_endpoint_create(
        partner=partner,
        url="https://liof.example/hooks",
        event_types=["registration.confirmed", "registration.cancelled"],
    )
    holder = services.registration_create(event=event, person=person)
    waiting = RegistrationFactory(
        event=event,
        person=PersonFactory(company=company),
        status="waitlisted",
        waiting_list_position=1,
        partner=partner,
    )
    mail.outbox.clear()
    return holder, waiting


def statuses(event) -> list[tuple[str, str]]:
    return list(event.registrations.order_by("pk").values_list("status", "cancelled_by"))


def test_event_cancel_ends_every_registration_and_promotes_nobody(
    event, full_event, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=event, actor=manager)
    assert statuses(event) == [("cancelled", "event"), ("cancelled", "event")]
    assert all(r.cancelled_at for r in event.registrations.all())
    assert len(mail.outbox) == 2, "one 'event cancelled' e-mail each, no 'good news'"
    assert all("geannuleerd" in m.subject.lower() for m in mail.outbox)
    holder_mail = next(m for m in mail.outbox if m.to == [full_event[0].person.email])
    assert holder_mail.attachments, "the ticket holder gets the calendar file that cancels"
    assert not WebhookDelivery.objects.filter(event_type="registration.confirmed").exists()


def _cancelled_without_ending_registrations(event):
    """An event cancelled as before issue 11 (registrations left as they were)."""
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    event.refresh_from_db()


def test_cancelling_at_a_cancelled_event_changes_nothing_and_sends_nothing_page(
    event, full_event, member_user, django_capture_on_commit_callbacks
):
    _cancelled_without_ending_registrations(event)
    before = statuses(event)
    client = client_for(member_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/{event.slug}/annuleren/")
    assert response.status_code == 404, "no registration there counts any more"
    assert statuses(event) == before
    assert mail.outbox == []
    assert not WebhookDelivery.objects.exists()


def test_cancelling_at_a_cancelled_event_is_refused_by_the_service(
    event, full_event, django_capture_on_commit_callbacks
):
    _cancelled_without_ending_registrations(event)
    before = statuses(event)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as caught:
        services.registration_cancel(registration=full_event[0])
    assert caught.value.code == "event_cancelled"
    assert statuses(event) == before
    assert mail.outbox == []
    assert not WebhookDelivery.objects.exists()


def test_staff_cannot_promote_or_move_on_a_cancelled_event(
    event, full_event, manager, django_capture_on_commit_callbacks
):
    _cancelled_without_ending_registrations(event)
    Event.objects.filter(pk=event.pk).update(capacity=5)
    before = statuses(event)
    client = client_for(manager)
    waiting = full_event[1]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staff/events/{event.slug}/waiting-list/{waiting.pk}/promote/")
        client.post(
            f"/staff/events/{event.slug}/waiting-list/{waiting.pk}/move/", {"direction": "down"}
        )
        client.post(f"/staff/events/{event.slug}/capacity/", {"capacity": "9"})
    assert statuses(event) == before
    for call in (
        lambda: services.registration_promote(registration=waiting, actor=manager),
        lambda: services.waiting_list_move(registration=waiting, direction="up", actor=manager),
    ):
        with pytest.raises(DomainError) as caught:
            call()
        assert caught.value.code == "event_cancelled"
    event.refresh_from_db()
    assert services.waiting_list_promote(event=event) == []
    assert mail.outbox == [] and not WebhookDelivery.objects.exists()


def test_the_page_of_a_cancelled_event_offers_no_cancel_and_no_active_registration(
    event, full_event, manager, member_user
):
    client = client_for(member_user)
    page = client.get(f"/events/{event.slug}/").content.decode()
    assert "Je bent ingeschreven" in page and "Annuleer mijn inschrijving" in page
    services.event_cancel(event=event, actor=manager)
    page = client.get(f"/events/{event.slug}/").content.decode()
    assert "Deze activiteit is geannuleerd." in page
    assert "Je bent ingeschreven" not in page
    assert "Annuleer mijn inschrijving" not in page
    _cancelled_without_ending_registrations(event)
    Registration.objects.filter(pk=full_event[0].pk).update(
        status="confirmed", cancelled_at=None, cancelled_by=""
    )
    page = client.get(f"/events/{event.slug}/").content.decode()
    assert "Je bent ingeschreven" not in page and "Annuleer mijn inschrijving" not in page


def test_nobody_is_promoted_on_a_past_event(event, full_event):
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() - datetime.timedelta(days=1),
        capacity=5,
    )
    event.refresh_from_db()
    assert services.waiting_list_promote(event=event) == []
    assert full_event[1].__class__.objects.get(pk=full_event[1].pk).status == "waitlisted"
