"""Keys: missing, wrong, revoked, expired; sessions; last use; the call log; the command.

Which scope each action needs, and the 401/403 without it, is in the permission matrix
(tests/test_permissions.py).
"""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from chambers import services
from chambers.models import ApiCall, PartnerAPIKey
from tests.api.conftest import PROBLEM, problem
from tests.query_counts import assert_request_query_count

pytestmark = pytest.mark.django_db


def test_no_key_is_a_401_problem_that_names_the_scheme():
    response = APIClient().get("/api/v1/events/")
    body = problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == 'Api-Key realm="api"'
    assert body["instance"] == "/api/v1/events/"


@pytest.mark.parametrize(
    "header",
    [
        "Api-Key nonsense",
        "Api-Key AAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
        "Api-Key ",
        "Api-Key a\x00b.c",
        "api-key ../../etc.passwd",
    ],
)
def test_a_wrong_key_is_refused(header, api_client):
    response = APIClient().get("/api/v1/chambers/", HTTP_AUTHORIZATION=header)
    problem(response, 401, "invalid_key")


def test_a_right_prefix_with_a_wrong_secret_is_refused(api_client):
    prefix = api_client.api_key.prefix
    response = APIClient().get(
        "/api/v1/chambers/", HTTP_AUTHORIZATION=f"Api-Key {prefix}.wrongsecretwrongsecret"
    )
    problem(response, 401, "invalid_key")
    assert not ApiCall.objects.exists(), "a key nobody proved to hold leaves no log line"


def test_another_scheme_is_not_a_key():
    response = APIClient().get("/api/v1/chambers/", HTTP_AUTHORIZATION="Bearer abc")
    problem(response, 401, "not_authenticated")


def test_a_revoked_key_is_refused_at_once(api_client):
    assert api_client.get("/api/v1/chambers/").status_code == 200
    services.api_key_revoke(api_key=api_client.api_key)
    problem(api_client.get("/api/v1/chambers/"), 401, "key_revoked")
    # The refused call is in the partner's log too.
    assert list(ApiCall.objects.order_by("created_at").values_list("status_code", flat=True)) == [
        200,
        401,
    ]


def test_a_revoked_key_stays_revoked(api_client):
    api_key = services.api_key_revoke(api_key=api_client.api_key)
    api_key.revoked = False
    with pytest.raises(Exception, match="revoked"):
        api_key.save()


def test_an_expired_key_is_refused(make_client):
    client = make_client(expires_at=timezone.now() + datetime.timedelta(seconds=1))
    PartnerAPIKey.objects.filter(pk=client.api_key.pk).update(
        expiry_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    problem(client.get("/api/v1/chambers/"), 401, "key_expired")


def test_a_portal_session_may_read_events_but_nothing_else(member_client, event):
    assert member_client.get("/api/v1/events/").status_code == 200
    assert member_client.get("/api/v1/chambers/").status_code == 200
    problem(member_client.get("/api/v1/members/"), 403, "missing_scope")
    problem(member_client.get("/api/v1/stats/"), 403, "missing_scope")
    problem(member_client.get("/api/v1/me/"), 403, "partner_key_required")
    problem(member_client.get("/api/v1/calls/"), 403, "partner_key_required")
    assert not ApiCall.objects.exists(), "only calls made with a key are logged"


def test_a_session_write_needs_the_csrf_token(member_user, event):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(member_user)
    response = client.post("/api/v1/events/", {}, format="json")
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM


def test_the_last_use_is_recorded(api_client):
    assert api_client.api_key.last_used_at is None
    api_client.get("/api/v1/chambers/")
    api_client.api_key.refresh_from_db()
    assert timezone.now() - api_client.api_key.last_used_at < datetime.timedelta(seconds=5)


def test_every_call_is_logged_and_a_partner_reads_only_its_own(
    api_client, make_client, other_partner
):
    other = make_client(partner=other_partner)
    other.get("/api/v1/partners/")
    api_client.get("/api/v1/chambers/?page_size=5")
    api_client.get("/api/v1/nope/")  # an address that does not exist is no API view: not logged
    api_client.get("/api/v1/chambers/onbekend/")
    response = api_client.get("/api/v1/calls/")
    assert response.status_code == 200
    calls = response.json()["results"]
    assert [(c["method"], c["path"], c["status_code"]) for c in calls] == [
        ("GET", "/api/v1/chambers/onbekend/", 404),
        ("GET", "/api/v1/chambers/?page_size=5", 200),
    ]
    assert {c["key_prefix"] for c in calls} == {api_client.api_key.prefix}
    assert all(c["duration_ms"] >= 0 and c["created_at"] for c in calls)
    assert ApiCall.objects.filter(partner=other_partner).count() == 1


def test_the_log_filters_by_status(api_client):
    api_client.get("/api/v1/chambers/onbekend/")
    api_client.get("/api/v1/chambers/")
    calls = api_client.get("/api/v1/calls/", {"status_code": 404}).json()["results"]
    assert [c["status_code"] for c in calls] == [404]
    problem(api_client.get("/api/v1/calls/", {"status_code": "x"}), 400, "invalid_input")


def test_me_describes_the_key(make_client, mechelen, partner):
    client = make_client("events:read", "stats:read", chambers=[mechelen])
    body = client.get("/api/v1/me/").json()
    assert body == {
        "partner": {
            "slug": "liof",
            "name": "LIOF",
            "kind": "development_agency",
            "country": "NL",
            "website": "",
            "description": "",
        },
        "key": {
            "prefix": client.api_key.prefix,
            "name": "test",
            "scopes": ["events:read", "stats:read"],
            "chambers": ["mechelen"],
            "expires_at": body["key"]["expires_at"],
            "last_used_at": body["key"]["last_used_at"],
            "created_at": body["key"]["created_at"],
        },
        "rate_limit": "600/minute",
    }


def test_the_command_prints_a_new_key_once_and_stores_only_its_hash(partner, mechelen):
    # Within API_KEY_LIFETIME_DAYS: no key lives longer.
    expires = timezone.localdate() + datetime.timedelta(days=200)
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_key",
        "--partner=liof",
        "--scopes=events:read,directory:read",
        "--chambers=mechelen",
        f"--expires={expires.isoformat()}",
        stdout=out,
        stderr=err,
    )
    key = out.getvalue().strip()
    api_key = PartnerAPIKey.objects.get()
    assert key.startswith(api_key.prefix + ".")
    assert key not in (api_key.hashed_key, api_key.pk), "only a hash is kept"
    assert api_key.scopes == ["directory:read", "events:read"]
    assert list(api_key.chambers.all()) == [mechelen]
    assert timezone.localtime(api_key.expiry_date).date() == expires
    assert "niet opnieuw getoond" in err.getvalue()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert client.get("/api/v1/events/").status_code == 200


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--partner=onbekend", "--scopes=events:read"], "Geen partner"),
        (["--partner=liof", "--scopes=events:read,admin"], "Onbekende rechten"),
        (["--partner=liof", "--scopes=events:read", "--chambers=gent"], "Onbekende kamers"),
        (["--partner=liof", "--scopes=events:read", "--expires=2001-01-01"], "verleden"),
    ],
)
def test_the_command_refuses_bad_input(partner, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_api_key", *arguments, stdout=io.StringIO(), stderr=io.StringIO())
    assert not PartnerAPIKey.objects.exists()


def test_log_queries_do_not_grow_with_the_rows(api_client):
    for _ in range(3):
        api_client.get("/api/v1/chambers/")
    assert_request_query_count("api:call-list, the key's own calls", api_client, "/api/v1/calls/")
    for _ in range(12):
        api_client.get("/api/v1/chambers/")
    assert_request_query_count("api:call-list, the key's own calls", api_client, "/api/v1/calls/")


def test_staff_make_a_key_in_the_admin_and_see_it_once(admin_client, partner, mechelen):
    response = admin_client.post(
        "/admin/chambers/partnerapikey/add/",
        {
            "partner": partner.pk,
            "name": "CRM",
            "scopes": ["events:read", "stats:read"],
            "chambers": [mechelen.pk],
            "expiry_date_0": "2030-01-31",
            "expiry_date_1": "12:00:00",
        },
        follow=True,
    )
    assert response.status_code == 200
    api_key = PartnerAPIKey.objects.get()
    shown = [str(message) for message in response.context["messages"]]
    key = next(
        word.rstrip(".")
        for text in shown
        for word in text.split()
        if word.startswith(api_key.prefix)
    )
    assert api_key.scopes == ["events:read", "stats:read"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert client.get("/api/v1/me/").json()["key"]["chambers"] == ["mechelen"]
    page = admin_client.get(f"/admin/chambers/partnerapikey/{api_key.pk}/change/").content.decode()
    assert key not in page, "the key is shown once, never again"


def test_wrong_keys_are_counted_per_address_and_then_refused_with_429(settings, api_client, caplog):
    """Key guessing: after API_BAD_KEYS_PER_MINUTE wrong keys from one address in a minute, that
    address gets 429 before any key is looked up; another address still gets its 401. Each
    wrong key is a security event."""
    cache.clear()
    settings.API_BAD_KEYS_PER_MINUTE = 3
    guesser = APIClient(REMOTE_ADDR="203.0.113.66")
    guesser.credentials(HTTP_AUTHORIZATION="Api-Key abcdefgh.geraden")
    with caplog.at_level("WARNING", logger="alliance.security"):
        statuses = [guesser.get("/api/v1/events/").status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    problem(guesser.get("/api/v1/events/"), 429, "throttled")
    other = APIClient(REMOTE_ADDR="198.51.100.7")
    other.credentials(HTTP_AUTHORIZATION="Api-Key abcdefgh.geraden")
    problem(other.get("/api/v1/events/"), 401, "invalid_key")
    refused = [r.getMessage() for r in caplog.records if "api_key_refused" in r.getMessage()]
    assert sum("203.0.113.66" in line for line in refused) == 3
    assert sum("198.51.100.7" in line for line in refused) == 1
    cache.clear()
