"""Response headers: the Content-Security-Policy, and no inline script for it to forbid."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from chambers.models import StaffRole
from tests.factories import EmailAddressFactory, UserFactory, staff_user
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I)


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:]
        for part in (piece.strip() for piece in policy.split(";"))
        if part
    }


def test_pages_forbid_inline_scripts_and_eval(kempen):
    pages = [
        (None, "/"),
        (None, reverse("account_login")),
        (staff_user(StaffRole.Role.VIEWER, kempen), "/staff/"),
    ]
    for user, url in pages:
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["style-src"] == ["'self'"]
        assert not INLINE_SCRIPT.search(response.content.decode()), url


def test_the_totp_set_up_page_has_no_inline_script(db):
    user = UserFactory()
    EmailAddressFactory(user=user)
    client = client_for(user)
    client.post(reverse("account_reauthenticate"), {"password": "secret-pass-123"})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert not INLINE_SCRIPT.search(response.content.decode())
    assert "data:" in directives(response)["img-src"], "its QR code is a data: image"


def test_the_api_documentation_runs_without_inline_script(db):
    for name in ("api-docs", "api-redoc"):
        response = client_for(None).get(reverse(name))
        assert response.status_code == 200
        assert not INLINE_SCRIPT.search(response.content.decode()), name
        assert directives(response)["script-src"] == ["'self'"]


def test_no_template_of_ours_has_an_inline_script_or_handler():
    """E-mails aside (no script runs there), every template loads its scripts from files."""
    found = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        if "emails" in path.parts:
            continue
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER):
            found += [f"{path.name}: {match.group(0)}" for match in pattern.finditer(text)]
    assert found == []
