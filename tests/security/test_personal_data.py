"""A person downloads everything the portal holds about them, as JSON, from /me/."""

import json

import pytest
from django.urls import reverse

from events import services
from tests.factories import (
    CompanyFactory,
    EmailAddressFactory,
    PersonFactory,
    SentMessageFactory,
    UserFactory,
    give_second_factor,
)
from tests.helpers import client_for

pytestmark = pytest.mark.django_db
URL = "/me/data.json"


def download(user, password="secret-pass-123"):
    client = client_for(user)
    client.post(reverse("account_reauthenticate"), {"password": password})
    return client.get(URL)


def test_the_download_holds_my_account_people_registrations_and_requests(
    member_user, person, event, company
):
    give_second_factor(member_user)
    services.registration_create(event=event, person=person)
    # Registered by a partner at another company before I had an account: me too.
    elsewhere = PersonFactory(
        company=CompanyFactory(name="Vorige Werkgever BV"), email=person.email
    )
    SentMessageFactory(recipients=person.email, subject="Je inschrijving is bevestigd")
    # Someone else's data is not mine.
    PersonFactory(company=company, first_name="Ander", last_name="Iemand", email="ander@x.be")

    response = download(member_user)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="mijn-gegevens.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == member_user.email
    assert [p["company"] for p in data["people"]] == [company.name, elsewhere.company.name]
    assert data["people"][0]["first_name"] == "Els"
    assert [(r["event"], r["status"]) for r in data["registrations"]] == [
        (event.title, "confirmed")
    ]
    assert [a["type"] for a in data["account"]["second_factors"]] == ["totp"]
    assert data["emails_sent"][0]["subject"] == "Je inschrijving is bevestigd"
    text = response.content.decode()
    assert "Ander" not in text and "ander@x.be" not in text


def test_secrets_are_named_never_given(member_user, person):
    give_second_factor(member_user)
    token = person.renew_calendar_token()
    person.save()
    text = download(member_user).content.decode()
    assert token not in text and person.calendar_token_hash not in text
    assert member_user.password not in text
    assert json.loads(text)["people"][0]["calendar_feed"] == "active"
    assert json.loads(text)["account"]["password"] == "set"


def test_an_account_without_a_company_downloads_its_own_too(db):
    user = UserFactory(email="nieuw@example.be")
    EmailAddressFactory(user=user)
    data = json.loads(download(user).content)
    assert (data["account"]["email"], data["people"], data["registrations"]) == (
        "nieuw@example.be",
        [],
        [],
    )


def test_the_password_is_asked_again_first(member_user):
    response = client_for(member_user).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_visitors_log_in_first(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
