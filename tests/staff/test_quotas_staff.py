"""Delegation quotas on an event's back-office page (/staff/events/<slug>/).

Through events.services delegation_quota_set / delegation_quota_remove: the event's staff give a
partner places, change and remove them, and see how many the partner registered; a quota is
never set below that use, and the API refuses the partner beyond it.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from chambers.models import ApiScope
from events.models import DelegationQuota
from tests.factories import PartnerFactory, partner_api_key
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner():
    return PartnerFactory(name="LIOF", slug="liof")


def delegate(partner, event, company, number):
    _row, key = partner_api_key(partner, scopes=[ApiScope.REGISTRATIONS_WRITE])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return api.post(
        reverse("api:event-registration-list", kwargs={"event_slug": event.slug}),
        {
            "first_name": "Sanne",
            "last_name": f"Peeters {number}",
            "email": f"sanne{number}@voorbeeld.be",
            "enterprise_number": company.enterprise_number_display,
            "preferred_language": "nl",
        },
        format="json",
    )


def test_an_event_manager_sets_changes_and_removes_a_partners_quota(
    event_manager, event, partner, company
):
    manager = client_for(event_manager)
    quotas = reverse("staff:event_quota", args=[event.slug])

    response = manager.post(quotas, {"partner": partner.pk, "places": 1})

    assert response.status_code == 302
    assert DelegationQuota.objects.get(event=event, partner=partner).places == 1
    assert delegate(partner, event, company, 1).status_code == 201
    assert delegate(partner, event, company, 2).status_code == 409  # the quota is used up
    page = manager.get(reverse("staff:event_detail", args=[event.slug])).content.decode()
    assert "LIOF" in page and "1 van 1" in page

    # Below its use: refused next to the places, nothing changes; above it: one more place.
    response = manager.post(quotas, {"partner": partner.pk, "places": 0})
    assert response.status_code == 400
    assert manager.post(quotas, {"partner": partner.pk, "places": 2}).status_code == 302
    assert delegate(partner, event, company, 2).status_code == 201

    quota = DelegationQuota.objects.get(event=event, partner=partner)
    remove = reverse("staff:event_quota_remove", args=[event.slug, quota.pk])
    response = manager.post(remove, follow=True)
    assert "schreef al 2 mensen in" in response.content.decode()
    assert DelegationQuota.objects.filter(pk=quota.pk).exists()


def test_a_quota_without_delegates_is_removed(event_manager, event, partner):
    quota = DelegationQuota.objects.create(event=event, partner=partner, places=3)
    response = client_for(event_manager).post(
        reverse("staff:event_quota_remove", args=[event.slug, quota.pk]), follow=True
    )
    assert "is verwijderd" in response.content.decode()
    assert not DelegationQuota.objects.exists()


def test_a_quota_below_what_the_partner_registered_is_refused(
    event_manager, event, partner, company
):
    manager = client_for(event_manager)
    quotas = reverse("staff:event_quota", args=[event.slug])
    manager.post(quotas, {"partner": partner.pk, "places": 2})
    assert delegate(partner, event, company, 1).status_code == 201
    assert delegate(partner, event, company, 2).status_code == 201

    response = manager.post(quotas, {"partner": partner.pk, "places": 1})

    assert response.status_code == 400
    assert "geef minstens 2 plaatsen" in response.content.decode()
    assert DelegationQuota.objects.get(event=event, partner=partner).places == 2


def test_a_viewer_reads_the_quotas_and_changes_nothing(viewer, event, partner):
    DelegationQuota.objects.create(event=event, partner=partner, places=3)
    reader = client_for(viewer)
    page = reader.get(reverse("staff:event_detail", args=[event.slug])).content.decode()
    assert "LIOF" in page and reverse("staff:event_quota", args=[event.slug]) not in page
    response = reader.post(
        reverse("staff:event_quota", args=[event.slug]), {"partner": partner.pk, "places": 9}
    )
    assert response.status_code == 403
    assert DelegationQuota.objects.get().places == 3
