"""Two app servers and two workers on one PostgreSQL and one Redis (docs/deploy.md).

Each app server is gunicorn as the Procfile runs it (gthread workers, gunicorn.conf.py), on a
port of its own; each worker is `celery -A alliance worker`. Nothing is shared between them but
the database and the broker, as on two machines: a session started on one is valid on the
other, registrations sent to both keep the capacity exact, and each e-mail goes out once.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from django.contrib.auth import get_user_model
from django.middleware.csrf import _get_new_csrf_string

from events.models import Registration
from tests.background.worker import (
    BASE_DIR,
    database_url_of_this_test,
    drained,
    wait_until,
)
from tests.factories import EmailAddressFactory, EventFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]
PASSWORD = "secret-pass-123"  # UserFactory's


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AppServer:
    """gunicorn with the background tests' settings (real broker, mailbox folder)."""

    def __init__(self, *, broker_url: str, mailbox, folder: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"gunicorn-{self.port}.log"
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="tests.background.worker_settings",
            DATABASE_URL=database_url_of_this_test(),
            CELERY_BROKER_URL=broker_url,
            REDIS_URL="",
            MAILBOX_DIR=str(mailbox.folder),
            PROMETHEUS_MULTIPROC_DIR=str(folder / f"metrics-{self.port}"),
            BIND=f"127.0.0.1:{self.port}",
            WEB_CONCURRENCY="2",
            GUNICORN_THREADS="4",
        )
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "alliance.wsgi"],
                cwd=BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {self.log.read_text()[-3000:]}")
        try:
            return requests.get(f"{self.url}/readyz", timeout=10).status_code == 200
        except (requests.ConnectionError, requests.Timeout):
            return False

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def app_servers(celery_broker, broker_url, mailbox, tmp_path):
    servers = [AppServer(broker_url=broker_url, mailbox=mailbox, folder=tmp_path) for _ in "ab"]
    try:
        for server in servers:
            wait_until(server.ready, timeout=90, what="gunicorn to be ready")
        yield servers
    finally:
        for server in servers:
            server.stop()


def logged_in_session(server: AppServer, email: str) -> requests.Session:
    """Log in through allauth's form on `server`, as a browser does."""
    session = requests.Session()
    page = session.get(f"{server.url}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{server.url}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "login": email, "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text[:500]
    return session


def test_a_session_started_on_one_app_server_is_valid_on_the_other(
    start_worker, app_servers, person
):
    user = UserFactory(username="els", email=person.email)
    EmailAddressFactory(user=user)
    person.user = user
    person.save(update_fields=["user"])
    first, second = app_servers

    session = logged_in_session(first, user.email)
    elsewhere = session.get(f"{second.url}/me/", allow_redirects=False, timeout=10)
    assert elsewhere.status_code == 200
    assert "Els" in elsewhere.text
    # And without the cookie the other server sends a visitor to the log-in.
    stranger = requests.get(f"{second.url}/me/", allow_redirects=False, timeout=10)
    assert stranger.status_code == 302


def test_registrations_sent_to_both_app_servers_keep_the_capacity_and_each_mail_goes_once(
    start_worker, app_servers, mailbox, celery_broker, company, kempen, centre
):
    start_worker(concurrency=2)
    start_worker(concurrency=2)
    event = EventFactory(
        title="Schaalforum", slug="schaalforum", organiser=kempen, centre=centre, capacity=5
    )
    members = []
    for number in range(12):
        user = UserFactory(username=f"lid{number}", email=f"lid{number}@example.be")
        EmailAddressFactory(user=user)
        PersonFactory(company=company, user=user, email=user.email)
        members.append(user)

    # Sessions as the log-in makes them, each sent to both servers in turn; a CSRF secret of
    # our own in the cookie and the header, as the page's form would carry it.
    sessions = []
    for number, user in enumerate(members):
        session = logged_in_session(app_servers[number % 2], user.email)
        secret = _get_new_csrf_string()
        session.cookies.set("csrftoken", secret)
        session.headers["X-CSRFToken"] = secret
        sessions.append(session)

    answers: list[int] = []
    start = threading.Barrier(len(sessions))

    def register(number: int, session: requests.Session) -> None:
        server = app_servers[(number + 1) % 2]  # the other server than the log-in's
        start.wait()
        answer = session.post(
            f"{server.url}/events/{event.slug}/inschrijven/", allow_redirects=False, timeout=60
        )
        answers.append(answer.status_code)

    threads = [threading.Thread(target=register, args=pair) for pair in enumerate(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == [302] * len(sessions), answers
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert len(statuses) == len(members)
    assert statuses.count(Registration.Status.CONFIRMED) == 5
    assert statuses.count(Registration.Status.WAITLISTED) == len(members) - 5

    def everyone_heard():
        return all(len(mailbox.messages(to=user.email)) >= 1 for user in members)

    wait_until(everyone_heard, timeout=90, what="an e-mail to every member")
    drained(celery_broker)
    time.sleep(1)  # a second copy, if any, would be on its way by now
    for user in members:
        assert len(mailbox.messages(to=user.email)) == 1, user.email
    assert get_user_model().objects.filter(username__startswith="lid").count() == 12
