"""Accounts (allauth): every page in the portal's frame, in three languages, log-in by e-mail."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import EmailAddressFactory, UserFactory
from tests.helpers import totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"  # tests.factories.UserFactory's


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth keeps its rate limits in the cache, which outlives a test.
    cache.clear()


@pytest.fixture
def verified_user():
    user = UserFactory(username="jan", email="jan@example.be")
    EmailAddressFactory(user=user)
    return user


def in_frame(response, lang="nl") -> str:
    """The page rendered in base.html (not allauth's bare layout), in `lang`."""
    assert response.status_code == 200, response.content[:300]
    page = response.content.decode()
    assert f'<html lang="{lang}">' in page
    assert 'class="site-header"' in page and 'href="/static/css/portal.css"' in page
    return page


# --- the entrance pages in three languages -------------------------------------------------------

ENTRANCE = {
    "/accounts/login/": "Aanmelden",
    "/accounts/signup/": "Account aanmaken",
    "/accounts/password/reset/": "Wachtwoord vergeten",
}


@pytest.mark.parametrize(("url", "title"), ENTRANCE.items())
def test_entrance_pages_in_dutch(client, url, title):
    page = in_frame(client.get(url))
    assert f"<h1>{title}</h1>" in page
    assert 'class="form card"' in page and 'method="post"' in page


@pytest.mark.parametrize("url", ENTRANCE)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_entrance_pages_in_french_and_english_by_cookie(client, url, lang):
    client.cookies["django_language"] = lang
    in_frame(client.get(url), lang)


def test_the_language_switch_works_for_the_login_page(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/accounts/login/"})
    assert response.status_code == 302
    in_frame(client.get(response["Location"]), "fr")


def test_the_login_page_mentions_the_demo_and_links_onwards(client):
    page = in_frame(client.get("/accounts/login/"))
    assert "Dit is een demo." in page
    assert 'href="/accounts/signup/"' in page
    assert 'href="/accounts/password/reset/"' in page
    # Log-in by e-mail: one e-mail field, labelled.
    assert 'type="email" name="login"' in page
    assert 'for="id_login"' in page and 'for="id_password"' in page


def test_the_signup_page_asks_for_email_and_password_only(client):
    page = in_frame(client.get("/accounts/signup/"))
    assert 'name="email"' in page and 'name="password1"' in page and 'name="password2"' in page
    assert 'name="username"' not in page
    assert "ondernemingsnummer" in page


def test_signup_errors_are_shown_next_to_the_field(client):
    response = client.post(
        "/accounts/signup/", {"email": "geen-adres", "password1": "a", "password2": "b"}
    )
    page = in_frame(response)
    assert 'id="id_email_error" role="alert"' in page
    assert not get_user_model().objects.exists()


# --- logging in and out --------------------------------------------------------------------------


def test_login_by_email_lands_on_my_portal_without_a_company(client, verified_user):
    response = client.post("/accounts/login/", {"login": "jan@example.be", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/me/"


def test_login_with_a_company_lands_on_the_default_page(client, member_user):
    response = client.post("/accounts/login/", {"login": member_user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_login_keeps_next(client, verified_user):
    response = client.post(
        "/accounts/login/?next=/me/interests/",
        {"login": "jan@example.be", "password": PASSWORD, "next": "/me/interests/"},
    )
    assert response["Location"] == "/me/interests/"


def test_a_wrong_password_is_a_form_error(client, verified_user):
    response = client.post("/accounts/login/", {"login": "jan@example.be", "password": "nope"})
    page = in_frame(response)
    assert 'class="message message--error" role="alert"' in page
    assert "_auth_user_id" not in client.session


def test_logout_page(client, verified_user):
    client.force_login(verified_user)
    page = in_frame(client.get("/accounts/logout/"))
    assert "<h1>Afmelden</h1>" in page
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


# --- e-mail verification -------------------------------------------------------------------------


def test_signup_sends_a_dutch_verification_mail_with_html(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "lies@example.be", "password1": "Kempen-2026!", "password2": "Kempen-2026!"},
    )
    assert response["Location"] == "/accounts/confirm-email/"
    page = in_frame(client.get("/accounts/confirm-email/"))
    assert "<h1>Bevestig je e-mailadres</h1>" in page
    (message,) = mail.outbox
    assert message.subject == "Bevestig je e-mailadres"
    assert "Bevestig je e-mailadres met deze link:" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "/accounts/confirm-email/" in html


def test_confirmation_pages(client):
    client.post(
        "/accounts/signup/",
        {"email": "lies@example.be", "password1": "Kempen-2026!", "password2": "Kempen-2026!"},
    )
    path = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[0].body)[1]
    page = in_frame(Client().get(path))
    assert "<h1>E-mailadres bevestigen</h1>" in page and "lies@example.be" in page
    page = in_frame(Client().get("/accounts/confirm-email/not-a-key/"))
    assert "Deze bevestigingslink is verlopen of ongeldig." in page


def test_verified_email_required_page_renders(client, rf):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = UserFactory(username="x")
    html = render_to_string("account/verified_email_required.html", request=request)
    assert "<h1>Bevestig je e-mailadres</h1>" in html and 'class="site-header"' in html


# --- password reset and change -------------------------------------------------------------------


def test_password_reset_from_request_to_new_password(client, verified_user):
    response = client.post("/accounts/password/reset/", {"email": "jan@example.be"})
    assert response.status_code == 302
    page = in_frame(client.get(response["Location"]))
    assert "<h1>Kijk in je mailbox</h1>" in page

    (message,) = mail.outbox
    assert message.subject == "Kies een nieuw wachtwoord"
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body)[1]
    response = client.get(link)
    assert response.status_code == 302  # allauth hides the key from the address bar
    page = in_frame(client.get(response["Location"]))
    assert "<h1>Nieuw wachtwoord kiezen</h1>" in page and 'name="password1"' in page

    response = client.post(
        response["Location"], {"password1": "Nieuw-Wachtwoord-9", "password2": "Nieuw-Wachtwoord-9"}
    )
    assert response.status_code == 302
    page = in_frame(client.get(response["Location"]))
    assert "<h1>Wachtwoord gewijzigd</h1>" in page
    verified_user.refresh_from_db()
    assert verified_user.check_password("Nieuw-Wachtwoord-9")


def test_a_used_or_bad_reset_link(client, verified_user):
    page = in_frame(client.get("/accounts/password/reset/key/1-bad-key/"))
    assert "Deze link werkt niet meer" in page


def test_password_reset_for_an_unknown_address_tells_nobody_on_the_page(client):
    response = client.post("/accounts/password/reset/", {"email": "niemand@example.be"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "Geen account met dit e-mailadres"


def test_password_change_and_email_pages(client, verified_user):
    client.force_login(verified_user)
    page = in_frame(client.get("/accounts/password/change/"))
    assert "<h1>Wachtwoord wijzigen</h1>" in page and 'for="id_oldpassword"' in page
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "Ander-Wachtwoord-7",
            "password2": "Ander-Wachtwoord-7",
        },
    )
    assert response.status_code == 302
    verified_user.refresh_from_db()
    assert verified_user.check_password("Ander-Wachtwoord-7")

    page = in_frame(client.get("/accounts/email/"))
    assert "<h1>E-mailadressen</h1>" in page and "jan@example.be" in page
    assert "Bevestigd" in page and "Hoofdadres" in page


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_account_pages_for_a_logged_in_user_in_other_languages(client, verified_user, lang):
    client.force_login(verified_user)
    client.cookies["django_language"] = lang
    for url in ("/accounts/password/change/", "/accounts/email/", "/accounts/logout/"):
        in_frame(client.get(url), lang)


def test_allauth_pages_we_did_not_rewrite_still_wear_our_frame(client, verified_user):
    # Re-authentication is one of allauth's own templates, drawn with our layout and elements.
    client.force_login(verified_user)
    page = in_frame(client.get("/accounts/reauthenticate/"))
    assert 'class="form card"' in page and 'class="button"' in page


# --- staff find the back-office ---------------------------------------------------------------


def test_staff_land_in_the_back_office_after_log_in(client, event_manager):
    EmailAddressFactory(user=event_manager)
    response = client.post("/accounts/login/", {"login": event_manager.email, "password": PASSWORD})
    # Staff give their second factor first (docs/security.md), then land in the back-office.
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302 and response["Location"] == "/staff/"


def test_for_staff_next_still_wins(client, event_manager):
    EmailAddressFactory(user=event_manager)
    client.post(
        "/accounts/login/?next=/events/",
        {"login": event_manager.email, "password": PASSWORD, "next": "/events/"},
    )
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response["Location"] == "/events/"


@pytest.mark.parametrize("url", ["/", "/events/", "/me/", "/staff/"])
def test_every_page_shows_staff_the_back_office_link(client, event_manager, url):
    client.force_login(event_manager)
    page = client.get(url).content.decode()
    assert 'class="main-nav__staff" href="/staff/"' in page


def test_members_and_visitors_see_no_back_office_link(client, member_user):
    assert 'href="/staff/"' not in client.get("/").content.decode()
    client.force_login(member_user)
    assert 'href="/staff/"' not in client.get("/").content.decode()


def test_password_rules_speak_to_you_with_je(client):
    page = client.get("/accounts/signup/").content.decode()
    assert "Je wachtwoord moet minstens 12 tekens lang zijn." in page
    assert "Uw wachtwoord" not in page
