"""Small assertions shared by the tests."""

import contextlib
import time
from unittest import mock

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.db import IntegrityError, transaction
from django.test import Client

from tests.factories import TOTP_SECRET


@contextlib.contextmanager
def rejected_by_database(constraint: str):
    """The block must fail on the named database constraint (not on Python validation)."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        yield
    assert constraint in str(caught.value), str(caught.value)


def client_for(user) -> Client:
    """A test client logged in as `user`; a visitor's when `user` is None."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def totp_code(secret: str = TOTP_SECRET, *, step: int = 0) -> str:
    """The code an authenticator app shows now (or `step` periods later) for `secret`."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


@contextlib.contextmanager
def travel_to(moment):
    """Time travel: django.utils.timezone.now() answers `moment` inside the block."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield
