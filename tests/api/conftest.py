"""Fixtures for the API tests: a partner, its keys, and clients that send them."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from chambers.models import ApiScope, Partner

ALL_SCOPES = tuple(ApiScope.values)


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    """Throttle counts live in the cache: every test starts with a full budget."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def partner(db):
    from tests.factories import PartnerFactory

    return PartnerFactory(
        name="LIOF", slug="liof", kind=Partner.Kind.DEVELOPMENT_AGENCY, country="NL"
    )


@pytest.fixture
def other_partner(db):
    from tests.factories import PartnerFactory

    return PartnerFactory(name="Flanders Investment & Trade", slug="fit")


@pytest.fixture
def make_key(partner):
    """make_key(*scopes, chambers=(), partner=..., expires_at=...) -> (PartnerAPIKey, key)."""
    from tests.factories import partner_api_key

    def make(*scopes, chambers=(), partner=partner, expires_at=None):
        return partner_api_key(
            partner, scopes=scopes or ALL_SCOPES, chambers=chambers, expires_at=expires_at
        )

    return make


@pytest.fixture
def make_client(make_key):
    """make_client(*scopes, chambers=(), partner=...) -> an APIClient sending a new key."""

    def make(*scopes, **kwargs):
        api_key, key = make_key(*scopes, **kwargs)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
        client.api_key = api_key
        client.key = key
        return client

    return make


@pytest.fixture
def api_client(make_client):
    """A client with a key of `partner` holding every scope, for every chamber."""
    return make_client()


PROBLEM = "application/problem+json"


def problem(response, status: int, code: str) -> dict:
    """The answer is an RFC 9457 problem with this status and code; returns its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert (body["status"], body["code"], body["type"]) == (
        status,
        code,
        f"urn:alliance:problem:{code}",
    )
    assert body["title"] and body["detail"]
    return body


def pytest_terminal_summary(terminalreporter):
    """After a schemathesis run: how many operations and examples, valid and invalid."""
    import sys

    module = sys.modules.get("tests.api.test_schemathesis")
    examples = getattr(module, "EXAMPLES", None)
    if not examples:
        return
    operations = {operation for operation, _phase, _mode in examples}
    by_mode, by_phase = {}, {}
    for (_operation, phase, mode), count in examples.items():
        by_mode[mode] = by_mode.get(mode, 0) + count
        by_phase[phase] = by_phase.get(phase, 0) + count
    terminalreporter.write_line(
        f"schemathesis: {len(operations)} operations, {sum(examples.values())} examples "
        f"({', '.join(f'{mode} {n}' for mode, n in sorted(by_mode.items()))}; "
        f"{', '.join(f'{phase} {n}' for phase, n in sorted(by_phase.items()))})"
    )
