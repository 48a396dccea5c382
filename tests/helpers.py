"""Small assertions shared by the tests."""

import contextlib
import importlib
import time
from unittest import mock

import pytest
from allauth.account.internal.flows.login import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    record_authentication,
)
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.test import Client

from alliance.security import must_reauthenticate_with_second_factor
from tests.factories import TOTP_SECRET


@contextlib.contextmanager
def rejected_by_database(constraint: str):
    """The block must fail on the named database constraint (not on Python validation)."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        yield
    assert constraint in str(caught.value), str(caught.value)


def client_for(user, *, reauthenticated: bool = False) -> Client:
    """A test client logged in as `user`; a visitor's when `user` is None. `reauthenticated`:
    the session has just confirmed who it is, as creating a key or an export asks."""
    client = Client()
    if user is not None:
        client.force_login(user)
        if reauthenticated:
            reauthenticate(client)
    return client


def reauthenticate(client: Client, *, seconds_ago: float = 0) -> Client:
    """The client's session confirms who it is again, `seconds_ago`, as allauth's
    re-authentication pages record it: the password, or a code for staff with TOTP."""
    session = client.session
    request = HttpRequest()
    request.session = session
    user = get_user_model().objects.get(pk=session["_auth_user_id"])
    method = "mfa" if must_reauthenticate_with_second_factor(user) else "password"
    record_authentication(request, user, method, reauthenticated=True)
    session[AUTHENTICATION_METHODS_SESSION_KEY][-1]["at"] -= seconds_ago
    session.save()
    return client


def totp_code(secret: str = TOTP_SECRET, *, step: int = 0) -> str:
    """The code an authenticator app shows now (or `step` periods later) for `secret`."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


@contextlib.contextmanager
def travel_to(moment):
    """Time travel: django.utils.timezone.now() answers `moment` inside the block."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def restore_migrated_principles() -> None:
    """Put back the federation's principles and pillars the migrations seed, if a flushed
    database (a transactional test, the browser tests' live server) has lost them."""
    from django.apps import apps

    from chambers.models import AccreditationPrinciple

    if AccreditationPrinciple.objects.exists():
        return
    for migration, seed in (
        ("0003_accreditation_principles", "create_principles"),
        ("0017_accreditation_pillars_and_guards", "create_pillars"),
    ):
        getattr(importlib.import_module(f"chambers.migrations.{migration}"), seed)(apps, None)
