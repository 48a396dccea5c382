"""A company admin downloads everything the portal holds about the company (JSON, /me/)."""

import json

import pytest
from django.urls import reverse

from members.models import ServiceRequestMessage
from tests.factories import (
    CompanyFactory,
    PersonFactory,
    RegistrationFactory,
    ServiceRequestFactory,
)
from tests.helpers import client_for

pytestmark = pytest.mark.django_db
URL = reverse("me:company_data")


def download(user, password="secret-pass-123"):
    client = client_for(user)
    client.post(reverse("account_reauthenticate"), {"password": password})
    return client.get(URL)


def test_the_company_download_holds_its_profile_people_memberships_and_requests(
    company_admin, company, person, event
):
    RegistrationFactory(event=event, person=person, company=company)
    request = ServiceRequestFactory(company=company, person=person, message="Hulp bij export?")
    ServiceRequestMessage.objects.create(
        service_request=request, kind="reply", body="We bellen je morgen."
    )
    ServiceRequestMessage.objects.create(
        service_request=request, kind="note", body="Interne notitie: grote klant"
    )
    other = CompanyFactory(name="Andere NV")
    PersonFactory(company=other, first_name="Vreemde", last_name="Persoon")
    token = person.renew_calendar_token()
    person.save()

    response = download(company_admin)

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["company"]["name"] == company.name
    assert [m["chamber"] for m in data["memberships"]]
    assert {p["last_name"] for p in data["people"]} >= {"Janssens"}
    assert data["registrations"][0]["event"] == event.title
    (asked,) = data["service_requests"]
    assert [a["body"] for a in asked["answers"]] == ["We bellen je morgen."]
    text = response.content.decode()
    assert "Interne notitie" not in text and "Vreemde" not in text and "Andere NV" not in text
    assert token not in text and person.calendar_token_hash not in text


def test_only_the_company_admins_download_it(member_user, company_admin):
    assert download(member_user).status_code == 403


def test_the_password_is_asked_again_first(company_admin):
    response = client_for(company_admin).get(URL)
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
