"""Run code under alliance.settings.production in a fresh process, as a deployment would."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def production_env(**extra: str) -> dict:
    """The environment production requires, and nothing of the developer's or the test's."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "DATABASE_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="alliance.settings.production",
        SECRET_KEY="a-production-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="portaal.alliantie.example",
        PORTAL_URL="https://portaal.alliantie.example",
        EMAIL_URL="smtp+tls://mailer:secret@smtp.alliantie.example:587",
        REDIS_URL="redis://127.0.0.1:6399/0",
    )
    env.update(extra)
    return env


def run_python(code: str, **extra: str) -> subprocess.CompletedProcess:
    """`code` after django.setup() under production settings; its stdout and stderr."""
    program = "import django\ndjango.setup()\n" + code
    return subprocess.run(
        [sys.executable, "-c", program],
        cwd=BASE_DIR,
        env=production_env(**extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


def manage(*args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=production_env(**extra),
        capture_output=True,
        text=True,
        timeout=120,
    )
