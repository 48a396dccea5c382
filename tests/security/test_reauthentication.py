"""Creating a partner's API key and taking personal data out of the portal (an attendee export,
one's own data) ask the user to confirm who they are when the session has not done so in the
last ACCOUNT_REAUTHENTICATION_TIMEOUT seconds: the password, or a code for staff with TOTP
(alliance.security.require_recent_authentication)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from chambers.models import PartnerAPIKey, StaffRole
from events import services
from tests.factories import PartnerAgreementFactory, PartnerFactory, PersonFactory, staff_user
from tests.helpers import client_for, reauthenticate, totp_code

pytestmark = pytest.mark.django_db

Role = StaffRole.Role
PASSWORD = "secret-pass-123"


def sent_to(response) -> tuple[str, str]:
    """(the page a redirect goes to, its `next`)."""
    parts = urlsplit(response["Location"])
    return parts.path, parse_qs(parts.query).get("next", [""])[0]


def stale(user):
    """Logged in, but the last confirmation is older than the timeout."""
    return reauthenticate(
        client_for(user), seconds_ago=settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1
    )


@pytest.fixture
def attendees(event, company):
    for first_name in ("Anna", "Bram"):
        services.registration_create(
            event=event, person=PersonFactory(company=company, first_name=first_name)
        )


def export_url(event):
    return reverse("staff:event_export", kwargs={"slug": event.slug})


def test_the_timeout_is_a_few_minutes():
    assert 60 <= settings.ACCOUNT_REAUTHENTICATION_TIMEOUT <= 15 * 60


@pytest.mark.parametrize("session", ["logged in only", "confirmed too long ago"])
def test_a_stale_staff_session_gives_a_code_before_an_export(
    event_manager, event, attendees, session
):
    client = client_for(event_manager) if session == "logged in only" else stale(event_manager)
    response = client.post(export_url(event), {"format": "csv"})
    assert response.status_code == 302
    assert sent_to(response) == (reverse("mfa_reauthenticate"), export_url(event))
    # The password alone does not do for staff with TOTP: its page sends on to the code.
    page = client.get(reverse("account_reauthenticate"))
    assert page.status_code == 302 and sent_to(page)[0] == reverse("mfa_reauthenticate")
    refused = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert sent_to(refused)[0] == reverse("mfa_reauthenticate")
    assert client.post(export_url(event), {"format": "csv"}).status_code == 302

    # The code: the export asked for is made at once (allauth kept the POST).
    confirmed = client.post(
        f"{reverse('mfa_reauthenticate')}?next={export_url(event)}", {"code": totp_code()}
    )
    assert confirmed.status_code == 200
    assert confirmed["Content-Type"].startswith("text/csv")
    assert "Anna" in confirmed.content.decode() and "Bram" in confirmed.content.decode()
    # And for the next few minutes no code is asked again.
    again = client.post(export_url(event), {"format": "xlsx"})
    assert again.status_code == 200 and "spreadsheetml" in again["Content-Type"]


def test_a_fresh_staff_session_exports_at_once(event_manager, event, attendees):
    client = reauthenticate(client_for(event_manager))
    response = client.post(export_url(event), {"format": "csv"})
    assert response.status_code == 200 and "Anna" in response.content.decode()


def test_a_wrong_code_exports_nothing(event_manager, event, attendees):
    client = client_for(event_manager)
    client.post(export_url(event), {"format": "csv"})
    wrong = client.post(
        f"{reverse('mfa_reauthenticate')}?next={export_url(event)}", {"code": "000000"}
    )
    assert wrong.status_code == 200 and "Anna" not in wrong.content.decode()
    assert client.post(export_url(event), {"format": "csv"}).status_code == 302


def test_a_viewer_is_refused_before_being_asked_to_confirm(viewer, event, attendees):
    """The 403 of who may not export comes first: nobody confirms for nothing."""
    assert client_for(viewer).post(export_url(event), {"format": "csv"}).status_code == 403


@pytest.fixture
def partner(kempen):
    partner = PartnerFactory(name="POM Kempen")
    PartnerAgreementFactory(partner=partner, chamber=kempen)
    return partner


def test_a_stale_session_confirms_before_a_key_is_made(partner, kempen):
    admin = staff_user(Role.CHAMBER_ADMIN, kempen)
    url = reverse("staff:partner_key_create", kwargs={"slug": partner.slug})
    data = {"name": "Website", "chambers": [str(kempen.pk)]}
    client = stale(admin)
    response = client.post(url, data)
    assert sent_to(response) == (reverse("mfa_reauthenticate"), url)
    assert not PartnerAPIKey.objects.exists()

    made = client.post(f"{reverse('mfa_reauthenticate')}?next={url}", {"code": totp_code()})
    assert made.status_code == 200
    api_key = PartnerAPIKey.objects.get()
    assert api_key.name == "Website" and made.context["key"].startswith(api_key.prefix + ".")


def test_a_fresh_session_makes_a_key_at_once(partner, kempen):
    admin = staff_user(Role.CHAMBER_ADMIN, kempen)
    url = reverse("staff:partner_key_create", kwargs={"slug": partner.slug})
    response = client_for(admin, reauthenticated=True).post(
        url, {"name": "Website", "chambers": [str(kempen.pk)]}
    )
    assert response.status_code == 200 and PartnerAPIKey.objects.count() == 1


def test_a_member_confirms_with_the_password_before_downloading_their_data(member_user):
    url = reverse("me:personal_data")
    client = stale(member_user)
    response = client.get(url)
    assert sent_to(response) == (reverse("account_reauthenticate"), url)
    wrong = client.post(f"{reverse('account_reauthenticate')}?next={url}", {"password": "nope"})
    assert wrong.status_code == 200
    assert client.get(url).status_code == 302
    client.post(f"{reverse('account_reauthenticate')}?next={url}", {"password": PASSWORD})
    download = client.get(url)
    assert download.status_code == 200 and download.json()["account"]["email"]


def test_staff_confirm_their_own_download_with_a_code(event_manager):
    url = reverse("me:personal_data")
    client = client_for(event_manager)
    assert sent_to(client.get(url)) == (reverse("mfa_reauthenticate"), url)
    reauthenticate(client)
    assert client.get(url).status_code == 200
