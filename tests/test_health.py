"""GET /healthz (alive) and GET /readyz (database, migrations and broker ready)."""

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder


def test_healthz_says_alive_without_asking_the_database(client):
    """No django_db mark: any query would fail the test."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_ok_in_eager_mode(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
        "broker": "eager",
    }


@pytest.mark.django_db
def test_readyz_ok_with_a_real_broker(client, celery_broker):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_readyz_names_an_unreachable_broker(client, celery_broker):
    celery_broker.conf.broker_url = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "migrations": "ok",
        "broker": "error",
        "failing": ["broker"],
    }


@pytest.mark.django_db
def test_readyz_is_not_ready_while_a_migration_is_pending(client):
    """As after a deploy whose `migrate` has not run yet (the row is back after the test)."""
    MigrationRecorder.Migration.objects.filter(app="events").order_by("-id").first().delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"
    assert response.json()["failing"] == ["migrations"]


def test_readyz_names_an_unreachable_database(client, django_db_blocker):
    """A server that refuses connections (port 1) is reported, not raised as a 500; /healthz
    still says the process is alive."""
    with django_db_blocker.unblock():
        connection.close()
        saved = dict(connection.settings_dict)
        connection.settings_dict.update({"HOST": "127.0.0.1", "PORT": "1"})
        try:
            response = client.get("/readyz")
            alive = client.get("/healthz")
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "error",
        "migrations": "error",
        "broker": "eager",
        "failing": ["database", "migrations"],
    }
    assert alive.status_code == 200


@pytest.mark.parametrize("url", ["/healthz", "/readyz"])
def test_probes_refuse_post(client, url):
    assert client.post(url).status_code == 405
