"""Secrets the portal hands out: calendar tokens stored as a hash and shown once; partner API
keys that expire and rotate; webhook secrets shown once and rotated with an overlap."""

import datetime
import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chambers.models import PartnerAPIKey, StaffRole
from chambers.services import api_key_create, api_key_revoke
from members.models import Person
from tests.factories import PartnerAgreementFactory, PartnerFactory, partner_api_key, staff_user
from tests.helpers import client_for, rejected_by_database, travel_to
from tests.members.test_me import html

pytestmark = pytest.mark.django_db

Role = StaffRole.Role


def feed_path(page: str) -> str:
    match = re.search(r'value="https?://[^/"]+(/me/agenda/[^"]+\.ics)"', page)
    assert match, "the answer shows the feed's address"
    return match.group(1)


def test_a_calendar_token_is_stored_as_its_hash_only(member_client, person):
    path = feed_path(html(member_client.post(reverse("me:calendar_renew"))))
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    person.refresh_from_db()
    assert person.calendar_token_hash == hashlib.sha256(token.encode()).hexdigest()
    # Nowhere in the person's row, in any column.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT row_to_json(p)::text FROM members_person p WHERE id = %s", [person.pk]
        )
        (row,) = cursor.fetchone()
    assert token not in row
    # The feed finds the person by the hash of what the calendar app sends.
    assert Client().get(path).status_code == 200
    assert Client().get(f"/me/agenda/{person.calendar_token_hash}.ics").status_code == 404


def test_the_link_is_shown_once_then_renew_for_a_new_one(member_client, person):
    path = feed_path(html(member_client.post(reverse("me:calendar_renew"))))
    later = html(member_client.get(reverse("me:calendar")))
    assert path not in later
    assert "Je agendalink is actief." in later and "Nieuwe link maken" in later
    assert Person.objects.get(pk=person.pk).has_calendar_feed


# --- partner API keys: they expire, and rotate ----------------------------------------------------


@pytest.fixture
def partner(kempen):
    partner = PartnerFactory(name="POM Kempen")
    PartnerAgreementFactory(partner=partner, chamber=kempen)
    return partner


def test_a_key_without_a_date_expires_after_the_lifetime(partner, settings):
    api_key, _key = api_key_create(partner=partner, name="Website", scopes=[])
    lifetime = datetime.timedelta(days=settings.API_KEY_LIFETIME_DAYS)
    assert abs(api_key.expiry_date - (timezone.now() + lifetime)) < datetime.timedelta(minutes=1)


def test_no_key_lives_longer_than_the_lifetime(partner, settings):
    later = timezone.now() + datetime.timedelta(days=settings.API_KEY_LIFETIME_DAYS + 2)
    with pytest.raises(ValidationError) as refused:
        api_key_create(partner=partner, name="Eeuwig", scopes=[], expires_at=later)
    assert "expiry_date" in refused.value.message_dict
    assert not PartnerAPIKey.objects.exists()


def test_the_database_refuses_a_key_that_never_expires(partner):
    api_key, _key = api_key_create(partner=partner, name="Website", scopes=[])
    with rejected_by_database("api_key_expires"):
        PartnerAPIKey.objects.filter(pk=api_key.pk).update(expiry_date=None)


def test_the_staff_form_offers_the_lifetime_by_default(partner, kempen):
    admin = staff_user(Role.CHAMBER_ADMIN, kempen)
    client = client_for(admin, reauthenticated=True)
    response = client.post(
        reverse("staff:partner_key_create", kwargs={"slug": partner.slug}),
        {"name": "Website", "chambers": [str(kempen.pk)]},
    )
    assert response.status_code == 200
    assert PartnerAPIKey.objects.get().expiry_date is not None


def call(key: str):
    return Client().get("/api/v1/chambers/", HTTP_AUTHORIZATION=f"Api-Key {key}")


def test_rotating_a_key_shows_its_successor_once_and_the_old_one_works_a_few_days(
    partner, kempen, settings
):
    old, old_key = partner_api_key(partner, scopes=["events:read"], chambers=[kempen], days=None)
    admin = staff_user(Role.CHAMBER_ADMIN, kempen)
    url = reverse("staff:partner_key_rotate", kwargs={"slug": partner.slug, "prefix": old.prefix})
    # A stale session confirms first.
    assert client_for(admin).post(url).status_code == 302
    assert PartnerAPIKey.objects.count() == 1

    response = client_for(admin, reauthenticated=True).post(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    new_key = response.context["key"]
    successor = PartnerAPIKey.objects.exclude(pk=old.pk).get()
    assert new_key.startswith(successor.prefix + ".") and new_key in response.content.decode()
    assert (successor.name, successor.scopes, list(successor.chambers.all())) == (
        old.name,
        old.scopes,
        [kempen],
    )
    old.refresh_from_db()
    overlap = datetime.timedelta(days=settings.API_KEY_ROTATION_OVERLAP_DAYS)
    assert abs(old.expiry_date - (timezone.now() + overlap)) < datetime.timedelta(minutes=1)
    assert old.prefix in response.content.decode()
    # Both work during the overlap; after it, only the new one.
    assert call(old_key).status_code == 200 and call(new_key).status_code == 200
    with travel_to(timezone.now() + overlap + datetime.timedelta(hours=1)):
        assert call(old_key).status_code == 401
        assert call(new_key).status_code == 200


def test_a_revoked_key_is_not_rotated(partner, kempen):
    old, _key = partner_api_key(partner, chambers=[kempen])
    api_key_revoke(api_key=old)
    admin = staff_user(Role.CHAMBER_ADMIN, kempen)
    url = reverse("staff:partner_key_rotate", kwargs={"slug": partner.slug, "prefix": old.prefix})
    assert client_for(admin, reauthenticated=True).post(url).status_code == 403
    assert PartnerAPIKey.objects.count() == 1
