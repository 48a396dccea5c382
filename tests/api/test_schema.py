"""The OpenAPI 3 schema, and the documentation served from the project's own static files."""

import io
import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

from tests.api.conftest import problem

pytestmark = pytest.mark.django_db


def test_the_schema_validates_as_openapi_3_without_a_single_warning(tmp_path):
    target = tmp_path / "schema.yaml"
    # --fail-on-warn: an operation whose types drf-spectacular had to guess fails the build.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", f"--file={target}", stderr=io.StringIO()
    )
    schema = yaml.safe_load(target.read_text())
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["ApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": schema["components"]["securitySchemes"]["ApiKey"]["description"],
    }


def test_the_served_schema_documents_every_resource_and_its_problems(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    paths = set(schema["paths"])
    assert {
        "/api/v1/chambers/",
        "/api/v1/alliances/",
        "/api/v1/competence-centres/",
        "/api/v1/services/",
        "/api/v1/events/",
        "/api/v1/events/{event_slug}/registrations/",
        "/api/v1/members/",
        "/api/v1/partners/",
        "/api/v1/stats/",
        "/api/v1/calls/",
        "/api/v1/webhook-endpoints/",
        "/api/v1/webhook-deliveries/{id}/redeliver/",
    } <= paths
    events = schema["paths"]["/api/v1/events/"]["get"]
    parameters = {parameter["name"] for parameter in events["parameters"]}
    assert {
        "chamber",
        "centre",
        "kind",
        "sector",
        "starts_after",
        "starts_before",
        "updated_since",
        "q",
        "cursor",
        "page_size",
    } <= parameters
    for status in ("400", "401", "403", "429"):
        content = events["responses"][status]["content"]
        assert content == {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        }
    assert "`events:read`" in events["description"]


def test_the_docs_are_served_by_the_project_itself(client):
    for url in ("/api/docs/", "/api/redoc/"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "cdn." not in html and "jsdelivr" not in html
        assets = re.findall(r'(?:src|href)="(/static/drf_spectacular_sidecar/[^"]+)"', html)
        assert assets, html
        for asset in assets:
            assert finders.find(asset.removeprefix("/static/")), asset


def test_any_other_address_under_api_is_a_problem(client):
    problem(client.get("/api/v2/events/"), 404, "not_found")
    problem(client.post("/api/nergens/"), 404, "not_found")
