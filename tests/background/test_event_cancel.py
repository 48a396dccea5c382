"""Cancelling an event: everyone registered hears it in their language, once, after the commit."""

import pytest
from django.core import mail

from alliance.base.models import DomainError, SentMessage
from events.models import Event, Registration
from events.services import event_cancel
from tests.factories import (
    PersonFactory,
    RegistrationFactory,
    UserFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(kempen):
    return staff_user("event_manager", kempen, username="events-kempen")


@pytest.fixture
def registrations(event):
    confirmed = RegistrationFactory(
        event=event, person=PersonFactory(first_name="Els", email="els@example.be")
    )
    waiting = RegistrationFactory(
        event=event,
        person=PersonFactory(email="claire@example.be", preferred_language="fr"),
        status=Registration.Status.WAITLISTED,
        waiting_list_position=1,
    )
    gone = RegistrationFactory(
        event=event,
        person=PersonFactory(email="weg@example.be"),
        status=Registration.Status.CANCELLED,
        cancelled_at=event.created_at,
    )
    return confirmed, waiting, gone


def test_a_manager_cancels_and_everyone_registered_is_told(
    event, manager, registrations, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        event_cancel(event=event, actor=manager)
    assert len(callbacks) == 2
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    messages = {message.to[0]: message for message in mail.outbox}
    assert set(messages) == {"els@example.be", "claire@example.be"}
    dutch = messages["els@example.be"]
    assert dutch.subject == "Geannuleerd: Innovatieforum"
    assert "Dag Els," in dutch.body and "Voka – KvK Kempen heeft Innovatieforum" in dutch.body
    # Who had a ticket gets a calendar file that takes the event out of their agenda.
    [(filename, content, mimetype)] = dutch.attachments
    assert (filename, mimetype) == ("innovatieforum.ics", "text/calendar")
    assert "STATUS:CANCELLED" in content
    assert messages["claire@example.be"].attachments == []
    # Changed on purpose (issue 11): the registrations end with the event, cancelled "by the
    # event", so that staff still see who was coming and nothing moves any more.
    assert list(event.registrations.order_by("pk").values_list("status", "cancelled_by")) == [
        ("cancelled", "event"),
        ("cancelled", "event"),
        ("cancelled", ""),
    ]
    assert SentMessage.objects.filter(key__startswith="event_cancelled:").count() == 2


def test_someone_else_may_not_cancel_and_nothing_changes(
    event, registrations, mechelen, django_capture_on_commit_callbacks
):
    other_chamber = staff_user("event_manager", mechelen)
    for actor in (other_chamber, UserFactory()):
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as error:
            event_cancel(event=event, actor=actor)
        assert error.value.code == "not_event_manager"
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert mail.outbox == []


def test_an_event_is_cancelled_once(
    event, manager, registrations, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(event=event, actor=manager)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as error:
        event_cancel(event=event, actor=manager)
    assert error.value.code == "event_cancelled"
    assert len(mail.outbox) == 2
