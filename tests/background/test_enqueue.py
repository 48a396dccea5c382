"""Services enqueue tasks by name (alliance.base.tasks.enqueue_on_commit, and kick_on_commit for
the outbox's kicks): every process must know those names, not only a worker, which discovers the
task modules by itself."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from alliance.base.tasks import enqueue_on_commit, kick_on_commit

APPS = ["alliance", "chambers", "competences", "members", "events"]
NAMED = re.compile(r"""(?:enqueue|kick)_on_commit\(\s*["']([\w.]+)["']""")


def names_enqueued_in_the_code() -> set[str]:
    base = Path(settings.BASE_DIR)
    found = set()
    for app in APPS:
        for path in (base / app).rglob("*.py"):
            found.update(NAMED.findall(path.read_text()))
    return found


def test_the_code_enqueues_tasks_by_name():
    assert {
        "chambers.webhook_deliver",
        "events.export_attendees",
        "mail.send_outbox",
    } <= names_enqueued_in_the_code()


def test_a_process_that_imported_no_tasks_module_knows_every_name_a_service_enqueues():
    # A fresh interpreter, as a web process starts: django.setup() and nothing else.
    script = (
        "import json, django; django.setup(); from celery import current_app; "
        "print(json.dumps(sorted(current_app.tasks)))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "alliance.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    known = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert names_enqueued_in_the_code() - known == set()


@pytest.mark.django_db
@pytest.mark.parametrize("enqueue", [enqueue_on_commit, kick_on_commit])
def test_an_unknown_name_fails_where_it_is_enqueued_not_after_the_commit(enqueue):
    with pytest.raises(KeyError), transaction.atomic():
        enqueue("chambers.no_such_task", "x")
