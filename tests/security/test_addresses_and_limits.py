"""Per-address limits see the visitor behind the proxies; the admin's log-in has the limits too."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from alliance.security import ClientAddressMiddleware
from tests.factories import EmailAddressFactory, UserFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def seen_address(settings, count: int, forwarded: str | None) -> str:
    settings.TRUSTED_PROXY_COUNT = count
    seen = {}

    def view(request):
        seen["address"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **headers)
    ClientAddressMiddleware(view)(request)
    return seen["address"]


@pytest.mark.parametrize(
    ("count", "forwarded", "address"),
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no proxy trusted: the header is the visitor's text
        (1, None, "10.0.0.2"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the visitor wrote 6.6.6.6
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.7", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.2"),  # fewer hops than proxies: not through them
        (1, "geen-adres", "10.0.0.2"),
        (1, "2001:db8::5", "2001:db8::5"),
    ],
)
def test_the_visitors_address_is_read_behind_the_trusted_proxies(
    settings, count, forwarded, address
):
    assert seen_address(settings, count, forwarded) == address


def failed_login(client, email, address):
    response = client.post(
        reverse("account_login"),
        {"login": email, "password": "fout-wachtwoord"},
        HTTP_X_FORWARDED_FOR=address,
        REMOTE_ADDR="10.0.0.2",  # the proxy
    )
    return {error.code for error in response.context["form"].non_field_errors().as_data()}


def test_allauths_per_address_limit_counts_each_visitor_not_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client()
    for n in range(10):
        assert "too_many_login_attempts" not in failed_login(
            client, f"iemand{n}@example.be", "203.0.113.9"
        )
    assert "too_many_login_attempts" in failed_login(client, "nog@example.be", "203.0.113.9")
    # Another visitor behind the same proxy is not blocked by the first one's failures.
    assert "too_many_login_attempts" not in failed_login(client, "ander@example.be", "198.51.100.4")


def test_the_admin_log_in_goes_through_allauths_limits(db):
    """/admin/login/ is no separate door: it sends to allauth's log-in, which counts failures
    per address and per account, so five wrong passwords for the superuser stop the sixth."""
    admin = UserFactory(is_superuser=True, is_staff=True, email="root@alliantie.example")
    EmailAddressFactory(user=admin)
    client = Client()
    posted = client.post("/admin/login/", {"username": admin.username, "password": "x"})
    assert (posted.status_code, posted["Location"]) == (302, reverse("account_login"))
    assert "_auth_user_id" not in client.session
    for _ in range(5):
        assert "too_many_login_attempts" not in failed_login(client, admin.email, "")
    assert "too_many_login_attempts" in failed_login(client, admin.email, "")
    right = client.post(
        reverse("account_login"), {"login": admin.email, "password": "secret-pass-123"}
    )
    assert "_auth_user_id" not in client.session, right.status_code


def test_failed_log_ins_and_refusals_are_security_events(settings, caplog, member_user):
    settings.TRUSTED_PROXY_COUNT = 1
    with caplog.at_level("WARNING", logger="alliance.security"):
        failed_login(Client(), "els@example.be", "203.0.113.9")
        client_for(member_user).get("/staff/", REMOTE_ADDR="198.51.100.4")
    lines = [record.getMessage() for record in caplog.records if record.name == "alliance.security"]
    assert any("login_failed" in line and "203.0.113.9" in line for line in lines), lines
    assert any(
        f"refused status=403 user={member_user.pk}" in line and "/staff/" in line for line in lines
    ), lines
    assert not any("fout-wachtwoord" in line for line in lines), "never the password"
