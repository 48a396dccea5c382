"""The API answers hostile JSON with a problem, never a 500."""

import pytest

from chambers.models import ApiScope

pytestmark = pytest.mark.django_db


def test_the_api_refuses_a_nul_in_json_as_a_problem(make_client, event, company):
    client = make_client(ApiScope.REGISTRATIONS_WRITE)
    response = client.post(
        f"/api/v1/events/{event.slug}/registrations/",
        {
            "first_name": "A\x00",
            "last_name": "B",
            "email": "a@b.be",
            "enterprise_number": company.enterprise_number,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
