"""Fixtures of the background tests: a mailbox folder and real worker processes."""

import pytest

from tests.background.worker import (
    Mailbox,
    Worker,
    publish_to_the_configured_broker,
    purge_broker,
)


@pytest.fixture
def mailbox(tmp_path):
    return Mailbox(tmp_path / "mailbox")


@pytest.fixture
def start_worker(celery_broker, broker_url, mailbox, tmp_path, transactional_db):
    """Start real workers for this test; stopped before the test database is emptied."""
    publish_to_the_configured_broker(celery_broker)
    purge_broker(celery_broker)
    workers = []

    def start(**options) -> Worker:
        worker = Worker(
            broker_url=broker_url, mailbox=mailbox, log=tmp_path / "worker.log", **options
        )
        workers.append(worker.start())
        return worker

    yield start
    for worker in workers:
        worker.stop()
    purge_broker(celery_broker)
    publish_to_the_configured_broker(celery_broker)
