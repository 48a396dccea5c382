"""Rates per key: RateLimit headers on every answer, 429 with Retry-After beyond the limit."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.api.conftest import problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_key": "3/minute", "api_session": "2/minute"},
    }


def test_each_answer_says_where_the_key_stands(api_client, three_a_minute):
    remaining = []
    for _ in range(3):
        response = api_client.get("/api/v1/chambers/")
        assert response.status_code == 200
        assert response["RateLimit-Limit"] == "3"
        assert response["RateLimit-Policy"] == "3;w=60"
        assert 0 < int(response["RateLimit-Reset"]) <= 60
        remaining.append(response["RateLimit-Remaining"])
    assert remaining == ["2", "1", "0"]


def test_beyond_the_limit_a_429_with_retry_after(api_client, make_client, three_a_minute):
    for _ in range(3):
        api_client.get("/api/v1/chambers/")
    response = api_client.get("/api/v1/chambers/")
    body = problem(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60
    assert response["RateLimit-Remaining"] == "0"
    assert body["instance"] == "/api/v1/chambers/"
    # Another key has its own budget.
    assert make_client().get("/api/v1/chambers/").status_code == 200


def test_a_304_counts_too(api_client, three_a_minute):
    etag = api_client.get("/api/v1/chambers/")["ETag"]
    assert api_client.get("/api/v1/chambers/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    api_client.get("/api/v1/chambers/")
    assert api_client.get("/api/v1/chambers/").status_code == 429


def test_portal_sessions_have_their_own_rate(member_client, three_a_minute):
    for _ in range(2):
        assert member_client.get("/api/v1/events/").status_code == 200
    problem(member_client.get("/api/v1/events/"), 429, "throttled")


def test_the_docs_publish_the_limits_the_settings_use():
    docs = (Path(django_settings.BASE_DIR) / "docs" / "api.md").read_text()
    key_rate = django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api_key"]
    session_rate = django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api_session"]
    assert (key_rate, session_rate) == ("600/minute", "120/minute")
    assert re.search(r"\*\*600 requests per minute\*\*", docs)
    assert "120 per\n  minute" in docs or "120 per minute" in docs
