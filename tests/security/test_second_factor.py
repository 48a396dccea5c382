"""The second factor: no back-office or admin page for staff or superusers without TOTP."""

from urllib.parse import urlsplit

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.test import Client
from django.urls import reverse

from chambers.models import StaffRole
from tests.factories import EmailAddressFactory, UserFactory, give_second_factor, staff_user
from tests.helpers import client_for, totp_code

pytestmark = pytest.mark.django_db

Role = StaffRole.Role
PASSWORD = "een-lang-wachtwoord-voor-de-test"


def path_of(response) -> str:
    return urlsplit(response["Location"]).path


@pytest.mark.parametrize(
    "role", [Role.VIEWER, Role.EVENT_MANAGER, Role.CHAMBER_ADMIN, Role.ALLIANCE_ADMIN]
)
def test_staff_without_totp_are_sent_to_set_it_up(kempen, role):
    user = staff_user(role, None if role == Role.ALLIANCE_ADMIN else kempen, second_factor=False)
    response = client_for(user).get("/staff/events/?q=x")
    assert response.status_code == 302
    assert path_of(response) == reverse("mfa_activate_totp")
    assert "next=%2Fstaff%2Fevents%2F%3Fq%3Dx" in response["Location"]


def test_a_superuser_without_totp_cannot_open_the_admin(db):
    user = UserFactory(is_superuser=True, is_staff=True)
    response = client_for(user).get("/admin/")
    assert (response.status_code, path_of(response)) == (302, reverse("mfa_activate_totp"))
    assert client_for(give_second_factor(user)).get("/admin/").status_code == 200


def test_a_member_without_a_staff_role_still_gets_403(member_user):
    assert client_for(member_user).get("/staff/").status_code == 403


def login(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


@pytest.fixture
def new_staff(kempen):
    user = staff_user(Role.EVENT_MANAGER, kempen, second_factor=False, password=PASSWORD)
    EmailAddressFactory(user=user)
    return user


def test_a_new_staff_member_sets_up_totp_and_then_opens_the_back_office(new_staff):
    client = Client()
    assert login(client, new_staff).status_code == 302
    setup = client.get("/staff/")
    assert path_of(setup) == reverse("mfa_activate_totp")
    # allauth asks for the password again before a second factor is added.
    again = client.get(setup["Location"])
    assert path_of(again) == reverse("account_reauthenticate")
    back = client.post(again["Location"], {"password": PASSWORD})
    assert back["Location"] == setup["Location"]
    assert client.get(setup["Location"]).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    assert client.post(reverse("mfa_activate_totp"), {"code": "000000"}).status_code == 200
    assert client.get("/staff/").status_code == 302, "a wrong code sets nothing up"
    activated = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=new_staff, type="totp").exists()
    assert Authenticator.objects.filter(user=new_staff, type="recovery_codes").exists()
    assert client.get("/staff/").status_code == 200


def test_with_totp_the_log_in_asks_for_the_code_before_the_back_office_opens(new_staff):
    give_second_factor(new_staff)
    client = Client()
    stage = login(client, new_staff)
    assert path_of(stage) == reverse("mfa_authenticate")
    # The password alone has not logged in: the back-office sends to the log-in page.
    assert path_of(client.get("/staff/")) == reverse("account_login")
    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 200
    assert path_of(client.get("/staff/")) == reverse("account_login")
    assert client.post(reverse("mfa_authenticate"), {"code": totp_code()}).status_code == 302
    assert client.get("/staff/").status_code == 200


def test_a_recovery_code_opens_it_too(new_staff):
    give_second_factor(new_staff)
    codes = RecoveryCodes.activate(new_staff).get_unused_codes()
    client = Client()
    login(client, new_staff)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert client.get("/staff/").status_code == 200


def test_a_session_opened_with_the_password_only_must_give_the_code(new_staff):
    """However a session got in without the code (an old session, another log-in path), the
    back-office asks for it before opening."""
    client = client_for(give_second_factor(new_staff))
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "password", "at": 0}]
    session.save()
    response = client.get("/staff/")
    assert path_of(response) == reverse("mfa_reauthenticate")
    assert client.post(response["Location"], {"code": totp_code()}).status_code == 302
    assert client.get("/staff/").status_code == 200


def test_the_admin_log_in_is_allauths(db):
    response = Client().get("/admin/login/?next=/admin/")
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("account_login") + "?next=/admin/",
    )


def test_changes_to_the_account_are_notified_by_e_mail(new_staff, mailoutbox):
    client = Client()
    login(client, new_staff)
    changed = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "een-ander-lang-wachtwoord",
            "password2": "een-ander-lang-wachtwoord",
        },
    )
    assert changed.status_code == 302
    assert [message.to for message in mailoutbox] == [[new_staff.email]]
