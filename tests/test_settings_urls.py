"""Settings a developer trips over: where the e-mails' links point (PORTAL_URL follows HOST_PORT
in development and must be given in production) and the broker URL without Redis."""

import os
import subprocess
import sys

from django.conf import settings


def settings_value(module: str, name: str, **environ) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"PORTAL_URL", "HOST_PORT"}}
    env.update(environ, DJANGO_SETTINGS_MODULE=module)
    code = f"from django.conf import settings; print(settings.{name})"
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_in_development_the_portal_url_follows_host_port():
    run = settings_value("alliance.settings.base", "PORTAL_URL", HOST_PORT="0.0.0.0:8123")
    assert run.stdout.strip() == "http://0.0.0.0:8123", run.stderr


def test_production_requires_the_portal_url():
    production = {
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "portaal.example.be",
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.be:587",
    }
    run = settings_value("alliance.settings.production", "PORTAL_URL", **production)
    assert run.returncode != 0 and "PORTAL_URL" in run.stderr
    run = settings_value(
        "alliance.settings.production",
        "PORTAL_URL",
        PORTAL_URL="https://portaal.example.be/",
        **production,
    )
    assert run.stdout.strip() == "https://portaal.example.be", run.stderr


def test_without_a_broker_kombu_does_not_warn_about_a_missing_host(caplog):
    """`make run` without REDIS_URL printed "No hostname was supplied. Reverting to default
    'localhost'" (a bare memory:// URL)."""
    from kombu import Connection

    Connection(settings.CELERY_BROKER_URL)._info()
    if settings.CELERY_BROKER_URL.startswith("memory://"):
        assert "Reverting to default" not in caplog.text
