"""Reads that may run on a read replica (DATABASE_REPLICA_URL), and the router that sends them.

Only code that says so reads from the replica: the directory and the figures, which may lag a
second behind the primary without anyone noticing. Everything else, and every write, stays on
the primary, so nobody reads their own change from a replica that has not seen it yet.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Iterator

from django.conf import settings

REPLICA = "replica"
_on_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("on_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def reads_from_replica() -> Iterator[None]:
    """Within this block, reads go to the replica when one is configured."""
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


def read_database() -> str:
    """The alias reads use right now."""
    return REPLICA if _on_replica.get() and replica_configured() else "default"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return read_database()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


def on_replica(view):
    """A view whose reads (its template's included) run on the replica when there is one."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with reads_from_replica():
            response = view(request, *args, **kwargs)
            if getattr(response, "is_rendered", True) is False:
                response.render()
        return response

    return wrapped
