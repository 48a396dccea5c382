"""Small assertions shared by the tests."""

import contextlib

import pytest
from django.db import IntegrityError, transaction


@contextlib.contextmanager
def rejected_by_database(constraint: str):
    """The block must fail on the named database constraint (not on Python validation)."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        yield
    assert constraint in str(caught.value), str(caught.value)
