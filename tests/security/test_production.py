"""The production settings, loaded as a deployment loads them: fail closed, check --deploy clean."""

import json
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from chambers.models import StaffRole
from tests.factories import staff_user
from tests.helpers import client_for
from tests.security.deployment import BASE_DIR, manage, production_env, run_python


def test_check_deploy_passes_at_warning_level():
    process = manage("check", "--deploy", "--fail-level", "WARNING")
    assert process.returncode == 0, process.stdout + process.stderr
    assert "no issues" in process.stdout


@pytest.mark.parametrize(
    ("variables", "check"),
    [
        ({"PORTAL_URL": "http://portaal.alliantie.example"}, "alliance.W001"),
        ({"EMAIL_URL": "consolemail://"}, "alliance.W002"),
        ({"WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "true"}, "alliance.W004"),
        ({"REDIS_URL": ""}, "alliance.W005"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SECURE_SSL_REDIRECT": "false"}, "security.W008"),
    ],
)
def test_check_deploy_refuses_what_fails_open(variables, check):
    process = manage("check", "--deploy", "--fail-level", "WARNING", **variables)
    assert process.returncode != 0
    assert check in process.stdout + process.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "PORTAL_URL", "EMAIL_URL"])
def test_production_does_not_start_without_what_it_needs(missing):
    env = production_env()
    del env[missing]
    process = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert process.returncode != 0
    assert "ImproperlyConfigured" in process.stderr and missing in process.stderr


def test_production_values():
    code = """
import json
from django.conf import settings
from django.contrib.auth.password_validation import get_default_password_validators
validators = get_default_password_validators()
print(json.dumps({
    "debug": settings.DEBUG,
    "autorefresh": settings.WHITENOISE_AUTOREFRESH,
    "email": settings.EMAIL_BACKEND,
    "portal": settings.PORTAL_URL,
    "min_length": [v.min_length for v in validators if hasattr(v, "min_length")],
    "common": any(type(v).__name__ == "CommonPasswordValidator" for v in validators),
    "cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
}))
"""
    process = run_python(code)
    assert process.returncode == 0, process.stderr
    values = json.loads(process.stdout.strip().splitlines()[-1])
    assert values == {
        "debug": False,
        "autorefresh": False,
        "email": "django.core.mail.backends.smtp.EmailBackend",
        "portal": "https://portaal.alliantie.example",
        "min_length": [12],
        "common": True,
        "cookies": [True, True],
    }


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["Kort-12345", "1qaz2wsx3edc", "password1234"])
def test_short_and_common_passwords_are_refused_at_sign_up(client, password):
    response = client.post(
        reverse("account_signup"),
        {"email": "nieuw@example.be", "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not get_user_model().objects.filter(email="nieuw@example.be").exists()


@pytest.mark.django_db
def test_private_pages_are_never_cached(kempen, member_user):
    staff = client_for(staff_user(StaffRole.Role.VIEWER, kempen))
    for client, url in [
        (staff, "/staff/"),
        (client_for(member_user), "/me/"),
        (client_for(None), reverse("account_login")),
    ]:
        response = client.get(url)
        control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store", "no-cache"} <= control, url
    public = client_for(None).get("/")
    assert "no-store" not in public.get("Cache-Control", "")
