"""The partners' writes in the audit trail: the key and the partner, from the address."""

import pytest
from pghistory.models import Events

from alliance.base import audit
from events.models import Registration
from tests.api.test_registrations import URL, delegate
from tests.factories import DelegationQuotaFactory

pytestmark = pytest.mark.django_db


def test_a_partner_registration_names_the_key_and_the_address(api_client, event, company, partner):
    DelegationQuotaFactory(event=event, partner=partner, places=2)

    response = api_client.post(URL, delegate(company), format="json", REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 201, response.content
    registration = Registration.objects.get(pk=response.json()["id"])
    (created,) = Events.objects.tracks(registration).filter(pgh_label=audit.CREATE)
    assert created.pgh_context["partner_key"] == str(api_client.api_key.pk)
    assert created.pgh_context["partner"] == partner.pk
    assert created.pgh_context["address"] == "203.0.113.9"
    assert created.pgh_context["user"] is None
    # The new person of the delegation is in the same context.
    person_created = Events.objects.tracks(registration.person).get(pgh_label=audit.CREATE)
    assert person_created.pgh_context_id == created.pgh_context_id
