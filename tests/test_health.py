"""GET /healthz: the database always, the broker when configured."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_healthz_ok_in_eager_mode(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


@pytest.mark.django_db
def test_healthz_ok_with_a_real_broker(client, celery_broker):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_names_an_unreachable_broker(client, celery_broker):
    celery_broker.conf.broker_url = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "broker": "error",
        "failing": ["broker"],
    }


def test_healthz_names_an_unreachable_database(client, django_db_blocker):
    """A server that refuses connections (port 1) is reported, not raised as a 500."""
    with django_db_blocker.unblock():
        connection.close()
        saved = dict(connection.settings_dict)
        connection.settings_dict.update({"HOST": "127.0.0.1", "PORT": "1"})
        try:
            response = client.get("/healthz")
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "error",
        "broker": "eager",
        "failing": ["database"],
    }


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405
