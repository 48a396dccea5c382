"""Rate limits on the forms that send e-mail or tell whether something exists: sign-up, password
reset (allauth's, stricter than its defaults), asking to join a company and asking a centre for
help (alliance/base/ratelimits.py), per account and per address, with a 429 page in the user's
language. The tests' settings loosen them (alliance/settings/test.py); here they are the real
ones."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from alliance.settings import base
from competences.models import Service
from members.models import JoinRequest, ServiceRequest
from tests.factories import ServiceFactory, UserFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def real_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    cache.clear()
    yield
    cache.clear()


def limit(action: str, per: str) -> int:
    """How many attempts the setting allows per `per` in its first (shortest) window."""
    for rate in base.ACCOUNT_RATE_LIMITS[action].split(","):
        amount, _window, rate_per = rate.split("/")
        if rate_per == per:
            return int(amount)
    raise AssertionError(f"no {per} limit on {action}")


def from_address(address: str, **headers) -> Client:
    return Client(REMOTE_ADDR=address, headers=headers)


def assert_refused(response, language="nl"):
    assert response.status_code == 429
    text = response.content.decode()
    expected = {
        "nl": "Te veel pogingen na elkaar",
        "fr": "Trop de tentatives d’affilée",
        "en": "Too many attempts in a row",
    }[language]
    assert expected in text and f'<html lang="{language}"' in text


def test_the_limits_are_stricter_than_allauths_defaults():
    assert limit("signup", "ip") < 20
    assert limit("reset_password", "key") < 5
    assert limit("join_request", "user") and limit("service_request", "user")


def sign_up(client, n: int):
    return client.post(
        reverse("account_signup"),
        {
            "email": f"nieuw{n}@example.be",
            "password1": "een-lang-wachtwoord-42",
            "password2": "een-lang-wachtwoord-42",
        },
    )


def test_sign_ups_are_limited_per_address():
    client = from_address("198.51.100.7")
    allowed = limit("signup", "ip")
    for n in range(allowed):
        assert sign_up(client, n).status_code == 302
    assert_refused(sign_up(client, allowed))
    assert UserFactory._meta.model.objects.filter(email__startswith="nieuw").count() == allowed
    # Another visitor is not held back.
    assert sign_up(from_address("198.51.100.8"), 99).status_code == 302


def test_the_429_page_speaks_the_users_language():
    client = from_address("198.51.100.9", **{"accept-language": "fr"})
    for n in range(limit("signup", "ip")):
        sign_up(client, n)
    assert_refused(sign_up(client, 50), "fr")


def test_password_resets_are_limited_per_address_typed(member_user, mailoutbox):
    url = reverse("account_reset_password")
    allowed = limit("reset_password", "key")
    for _ in range(allowed):
        response = from_address("198.51.100.20").post(url, {"email": member_user.email})
        assert response.status_code == 302
    assert len(mailoutbox) == allowed
    refused = from_address("198.51.100.21").post(url, {"email": member_user.email})
    assert refused.status_code == 429
    assert len(mailoutbox) == allowed, "no more e-mails to that address"


@pytest.fixture
def newcomers(db):
    return [UserFactory(username=f"nieuwkomer{n}") for n in range(3)]


def ask_to_join(client, number="0999.999.999"):
    return client.post(
        reverse("me:join"),
        {"enterprise_number": number, "first_name": "Nina", "last_name": "Wouters"},
    )


def test_join_requests_are_limited_per_user_and_per_address(newcomers, company):
    client = client_for(newcomers[0])
    allowed = limit("join_request", "user")
    for _ in range(allowed):
        # Probing numbers: each refused number counts.
        assert ask_to_join(client).status_code != 429
    assert_refused(ask_to_join(client, company.enterprise_number_display))
    assert not JoinRequest.objects.exists()
    # Another user from elsewhere still may.
    other = client_for(newcomers[1])
    other.defaults["REMOTE_ADDR"] = "198.51.100.30"
    assert ask_to_join(other, company.enterprise_number_display).status_code == 302
    assert JoinRequest.objects.count() == 1


def test_join_requests_are_limited_per_address_across_accounts(newcomers, settings):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS | {"join_request": "100/h/user,3/h/ip"}
    for user in newcomers:
        assert ask_to_join(client_for(user)).status_code != 429
    late = client_for(UserFactory(username="laatkomer"))
    assert_refused(ask_to_join(late))


@pytest.fixture
def service(centre):
    return ServiceFactory(centre=centre, audience=Service.Audience.MEMBERS)


def test_service_requests_are_limited_per_user(member_client, centre, service):
    url = reverse("competences:ask", args=[centre.slug])
    allowed = limit("service_request", "user")
    for n in range(allowed):
        response = member_client.post(
            url, {"service": service.pk, "message": f"Een echte vraag nummer {n}"}
        )
        assert response.status_code != 429
    made = ServiceRequest.objects.count()
    assert made >= 1
    assert_refused(
        member_client.post(url, {"service": service.pk, "message": "Nog een echte vraag erbij"})
    )
    assert ServiceRequest.objects.count() == made
