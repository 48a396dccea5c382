"""After erasure the partners' API and webhooks never carry the person again."""

import pytest

from chambers.models import StaffRole, WebhookDelivery
from events import services as event_services
from events.models import Registration
from members import services
from tests.api.test_registrations import URL, delegate
from tests.factories import DelegationQuotaFactory, WebhookEndpointFactory, staff_user

pytestmark = pytest.mark.django_db


def test_the_api_and_webhooks_no_longer_name_an_erased_delegate(
    api_client, event, company, partner, mechelen, django_capture_on_commit_callbacks
):
    DelegationQuotaFactory(event=event, partner=partner, places=2)
    WebhookEndpointFactory(partner=partner, event_types=["registration.cancelled"])
    created = api_client.post(URL, delegate(company), format="json").json()
    registration = Registration.objects.get(pk=created["id"])
    admin = staff_user(StaffRole.Role.CHAMBER_ADMIN, mechelen)

    services.person_erase(person=registration.person, actor=admin)

    for body in (
        api_client.get(URL).content.decode(),
        api_client.get(f"{URL}{registration.pk}/").content.decode(),
    ):
        assert "sanne@voorbeeld.be" not in body and "Sanne" not in body and "Peeters" not in body
    # A later change about the registration tells the partner, without the name.
    with django_capture_on_commit_callbacks(execute=False):
        event_services.registration_cancel(
            registration=Registration.objects.get(pk=registration.pk), actor=admin
        )
    payloads = [str(delivery.payload) for delivery in WebhookDelivery.objects.all()]
    assert payloads
    assert not [p for p in payloads if "sanne@voorbeeld.be" in p or "Sanne" in p]
