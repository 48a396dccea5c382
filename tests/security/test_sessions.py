"""Staff sessions log out when left idle (STAFF_SESSION_IDLE_SECONDS); everyone sees their
sessions and logs out the others (allauth.usersessions)."""

import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from alliance.security import STAFF_LAST_SEEN_KEY, STAFF_LAST_SEEN_STEP
from chambers.models import StaffRole
from tests.factories import EmailAddressFactory, UserFactory, give_second_factor, staff_user
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

Role = StaffRole.Role
PASSWORD = "secret-pass-123"


def last_seen(client, seconds_ago: float) -> None:
    session = client.session
    session[STAFF_LAST_SEEN_KEY] = time.time() - seconds_ago
    session.save()


def test_the_idle_limit_is_half_an_hour_by_default():
    assert settings.STAFF_SESSION_IDLE_SECONDS == 30 * 60


def test_a_staff_session_left_idle_is_logged_out_at_its_next_request(event_manager):
    client = client_for(event_manager)
    assert STAFF_LAST_SEEN_KEY in client.session, "the log-in marks a staff session"
    last_seen(client, settings.STAFF_SESSION_IDLE_SECONDS + 1)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=/staff/")
    # Logged out for good: the next page, even a member's, is a visitor's.
    assert client.get(reverse("me:home"))["Location"].startswith(reverse("account_login"))
    page = client.get(response["Location"]).content.decode()
    minutes = settings.STAFF_SESSION_IDLE_SECONDS // 60
    assert f"Je was {minutes} minuten niet actief en bent afgemeld" in page


def test_the_notice_is_in_the_users_language(event_manager):
    client = client_for(event_manager)
    last_seen(client, settings.STAFF_SESSION_IDLE_SECONDS + 1)
    response = client.get("/staff/", headers={"accept-language": "fr"})
    page = client.get(response["Location"], headers={"accept-language": "fr"}).content.decode()
    assert "Vous avez été déconnecté" in page


def test_a_staff_session_in_use_stays_and_its_stamp_moves_on(event_manager):
    client = client_for(event_manager)
    last_seen(client, settings.STAFF_SESSION_IDLE_SECONDS - 5)
    assert client.get("/staff/").status_code == 200
    assert time.time() - client.session[STAFF_LAST_SEEN_KEY] < STAFF_LAST_SEEN_STEP
    # Within the step the stamp is not written again (no session write per request).
    last_seen(client, 10)
    before = client.session[STAFF_LAST_SEEN_KEY]
    assert client.get("/staff/").status_code == 200
    assert client.session[STAFF_LAST_SEEN_KEY] == before


def test_members_keep_the_normal_session_age(member_user):
    client = client_for(member_user)
    assert STAFF_LAST_SEEN_KEY not in client.session
    assert client.get(reverse("me:home")).status_code == 200


def test_a_role_given_after_the_log_in_makes_it_a_staff_session(kempen):
    user = give_second_factor(UserFactory())
    client = client_for(user)
    assert STAFF_LAST_SEEN_KEY not in client.session
    StaffRole.objects.create(user=user, chamber=kempen, role=Role.VIEWER)
    assert client.get("/staff/").status_code == 200
    assert STAFF_LAST_SEEN_KEY in client.session


def log_in(user) -> Client:
    client = Client(headers={"user-agent": "Testbrowser/1.0"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response
    return client


def test_i_see_my_sessions_and_log_out_the_others():
    user = UserFactory(email="sessies@example.be")
    EmailAddressFactory(user=user)
    here, there = log_in(user), log_in(user)
    page = here.get(reverse("usersessions_list"))
    assert page.status_code == 200
    assert len(page.context["sessions"]) == 2
    assert "Testbrowser/1.0" in page.content.decode()

    assert here.post(reverse("usersessions_list")).status_code == 302
    assert there.get(reverse("me:home"))["Location"].startswith(reverse("account_login"))
    assert here.get(reverse("me:home")).status_code in (200, 302)
    assert not here.get(reverse("me:home")).get("Location", "").startswith(reverse("account_login"))
    assert len(here.get(reverse("usersessions_list")).context["sessions"]) == 1


def test_the_sessions_page_is_linked_from_me_and_the_back_office(member_user, kempen):
    url = reverse("usersessions_list")
    assert url in client_for(member_user).get(reverse("me:home")).content.decode()
    staff = client_for(staff_user(Role.VIEWER, kempen))
    assert url in staff.get("/staff/").content.decode()
