"""Request ids on answers and log lines, JSON logs, and the id followed into a real worker."""

import io
import json
import logging
import logging.config
import re

import pytest
from django.conf import settings

from alliance.base.observability import RequestIdFilter


@pytest.mark.django_db
def test_every_answer_carries_a_new_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("lb-7f3a9c1e-20261203", True),
        ("short", False),
        ("has spaces in it", False),
        ("x" * 65, False),
        ("new\nline-injected", False),
    ],
)
def test_a_load_balancers_id_is_kept_only_when_well_formed(client, given, kept):
    answered = client.get("/healthz", headers={"X-Request-ID": given})["X-Request-ID"]
    assert (answered == given) is kept
    assert re.fullmatch(r"[A-Za-z0-9._-]{8,64}", answered)


@pytest.fixture
def json_log():
    """The production formatter and filter of LOGGING on a handler of our own."""
    configurator = logging.config.DictConfigurator(settings.LOGGING)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(configurator.configure_formatter(settings.LOGGING["formatters"]["json"]))
    handler.addFilter(RequestIdFilter())
    log = logging.getLogger("alliance.requests")
    level = log.level
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    log.removeHandler(handler)
    log.setLevel(level)


@pytest.mark.django_db
def test_each_request_is_one_json_line_with_its_id(client, json_log):
    client.get("/events/", headers={"X-Request-ID": "lb-0000feed"})
    [line] = [entry for entry in json_log() if entry.get("path") == "/events/"]
    assert line["request_id"] == "lb-0000feed"
    assert (line["level"], line["logger"], line["method"], line["status"]) == (
        "INFO",
        "alliance.requests",
        "GET",
        200,
    )
    assert line["duration_ms"] >= 0
    assert "time" in line
