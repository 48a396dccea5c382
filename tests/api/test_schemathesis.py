"""Schemathesis against the live schema: every operation, valid and invalid data, a valid key.

Fails on any server error and on any answer that the schema does not describe (status, content
type, headers, body). The schema is the one /api/schema/ serves, loaded through Django's WSGI
application; the calls go through the same application, inside each test's transaction.
"""

import collections
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

# Examples per operation (at most; simple operations have fewer distinct cases). Raise it for a
# longer run: SCHEMATHESIS_EXAMPLES=500 pytest tests/api/test_schemathesis.py
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "40"))
# (operation, phase, positive/negative) -> examples run; summed up at the end of the session.
EXAMPLES = collections.Counter()

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def world(partner, api_client, event, person, company, centre, mechelen, kempen, settings):
    """Something behind every address: events, a member, a quota, a webhook; no rate limit.

    Like Django's test client, the connection stays open between requests: closing it would
    end the transaction the test runs in.
    """
    from chambers import services as chamber_services
    from tests.factories import DelegationQuotaFactory

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_key": "1000000/minute", "api_session": "1000/minute"},
    }
    company.give_partner_consent()
    company.save()
    DelegationQuotaFactory(event=event, partner=partner, places=5)
    chamber_services.webhook_endpoint_create(
        partner=partner, url="https://liof.example/hooks", event_types=["event.updated"]
    )
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield api_client
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck)
)
def test_no_server_error_and_every_answer_matches_the_schema(case, world):
    meta = case._meta
    EXAMPLES[
        (
            case.operation.label,
            meta.phase.name.value if meta else "explicit",
            meta.generation.mode.value if meta else "positive",
        )
    ] += 1
    case.call_and_validate(
        headers={"Authorization": f"Api-Key {world.key}"},
        # By design, input the schema cannot judge is a 400 problem, not a success: a slug that
        # names nothing, an enterprise number with a wrong check digit, an event that ends
        # before it starts. Every other check runs, negative data rejection included.
        excluded_checks=[positive_data_acceptance],
    )
