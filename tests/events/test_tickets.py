"""A ticket for everyone (issue 11): a confirmed registration without an account (a guest added
by staff, a partner's delegate) gets an e-mail with its ticket code and an unguessable link to
a ticket page with the QR code."""

import re

import pytest
from django.core import mail

from events import services
from events.models import Registration
from tests.factories import PersonFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def test_a_guest_without_an_account_receives_a_ticket_that_works(
    event, company, event_manager, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create_guest(
            event=event,
            enterprise_number=company.enterprise_number,
            first_name="Gert",
            last_name="Gast",
            email="gert@example.be",
            actor=event_manager,
        )
    assert registration.person.user_id is None, "a guest without an account"
    [message] = mail.outbox
    assert message.to == ["gert@example.be"]
    assert registration.ticket_code in message.body
    link = re.search(r"http://\S+/events/ticket/(\S+)/", message.body)
    assert link and link.group(1) == registration.ticket_code
    page = client.get(f"/events/ticket/{registration.ticket_code}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and registration.ticket_code in html and "Gert Gast" in html
    # The code is the one the door scans.
    checked = services.registration_check_in(
        event=event, ticket_code=link.group(0), actor=event_manager
    )
    assert checked.status == Registration.Status.ATTENDED


def test_a_ticket_link_with_an_unknown_code_is_a_404_and_a_waiting_one_has_no_qr(
    event, company, client
):
    assert client.get("/events/ticket/bestaat-niet/").status_code == 404
    event.capacity = 1
    event.save()
    services.registration_create(event=event, person=PersonFactory(company=company))
    waiting = services.registration_create(event=event, person=PersonFactory(company=company))
    html = client_for(None).get(f"/events/ticket/{waiting.ticket_code}/").content.decode()
    assert "<svg" not in html and "geeft geen toegang" in html
