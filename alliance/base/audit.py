"""The audit trail: who changed what, when and from where (docs/security.md, "Audit trail").

django-pghistory records every insert, update and delete of a tracked model through PostgreSQL
triggers, in the same transaction as the change, whatever the way in (page, API, admin, task,
shell, raw SQL). `tracked()` is the one decorator the apps put on their models: it takes the
same events everywhere, never snapshots a secret (each model names its own: password hashes are
not on tracked models, tokens and secrets are excluded), and makes the event table append-only
in the database (pgtrigger's `Protect`: UPDATE and DELETE raise).

The context of a change (who, from where) is pghistory's: one row in `pghistory_context` per
request, task or command, which every event of that unit of work points to. It is set

- for page writes by `AuditContextMiddleware` (the user, the visitor's address, the path);
- for the API by its key authentication (`partner_key`, `partner`: DRF authenticates in the
  view, after the middleware);
- for Celery tasks by `ReliableTask` (`actor: "system"` and the task's name, unless the task
  runs eagerly inside a request, which then stays the actor);
- for management commands by `command_context` (`actor: "system"`, the command).

Reads that hand personal data out (exports) are not changes: they are recorded explicitly with
`record(obj, "export", ...)`, a manual pghistory event on the exported object.

Erasure must still remove a person's values from the history: `scrubbing()` is the one
privileged way past the append-only triggers (pgtrigger's `ignore`, a setting local to the
transaction), used by the erasure service only.
"""

from __future__ import annotations

import contextlib

import pghistory
import pgtrigger
from django.apps import apps
from django.db import connection
from pghistory import runtime
from pghistory.middleware import HistoryMiddleware

# The row events of every tracked model, and the explicit ones some models add.
CREATE, UPDATE, DELETE = "create", "update", "delete"
EXPORT, ERASE = "export", "erase"
APPEND_ONLY_TRIGGER = "append_only"


def tracked(*, exclude: tuple[str, ...] = (), manual: tuple[str, ...] = ()):
    """The audit decorator for a model: its inserts, updates and deletes, with the fields
    except `exclude` (secrets, generated columns, counters touched on every read). An update
    that changes only `auto_now` timestamps or excluded fields records nothing."""
    trackers = [
        pghistory.InsertEvent(CREATE),
        pghistory.UpdateEvent(UPDATE, condition=pghistory.AnyChange(exclude_auto=True)),
        pghistory.DeleteEvent(DELETE),
        *(pghistory.ManualEvent(label) for label in manual),
    ]
    return pghistory.track(
        *trackers,
        exclude=list(exclude),
        append_only=True,
        obj_field=pghistory.ObjForeignKey(related_name="audit_events"),
    )


def in_context() -> bool:
    """True inside a request, task or command that already has an audit context."""
    return hasattr(runtime._tracker, "value")


def request_context(request) -> dict:
    """Who and from where, for a page: the user's id, the visitor's address (REMOTE_ADDR is
    the client's, alliance.security.ClientAddressMiddleware), the method and the path."""
    user = getattr(request, "user", None)
    return {
        "user": user.pk if user is not None and user.is_authenticated else None,
        "address": request.META.get("REMOTE_ADDR"),
        "method": request.method,
        "url": request.path,
    }


class AuditContextMiddleware(HistoryMiddleware):
    """Every write request (POST, PUT, PATCH, DELETE) runs in an audit context: its changes
    name the user, the address and the path. GET requests are left alone (no injected SQL)."""

    def get_context(self, request):
        return request_context(request)


def attach(**metadata) -> None:
    """Adds to the current context (the partner key once the API has authenticated it)."""
    pghistory.context(**metadata)


@contextlib.contextmanager
def system_context(**metadata):
    """A task or command outside any request: the actor is the system, named by `metadata`.
    Inside a request (an eager task) the request's context stays, with `metadata` added."""
    if in_context():
        pghistory.context(**metadata)
        yield
        return
    with pghistory.context(actor="system", **metadata):
        yield


def command_context(name: str, **metadata):
    return system_context(command=name, **metadata)


def record(obj, label: str, **metadata):
    """An explicit audit event (an export), in the current context, or in a new one for a
    read outside a write request. `metadata` says what was done (format, number of rows)."""
    if in_context():
        pghistory.context(**metadata)
        return pghistory.create_event(obj, label=label)
    with pghistory.context(**metadata):
        return pghistory.create_event(obj, label=label)


def event_models():
    """Every event model of the audit trail (the tracked models' pghistory tables)."""
    # Told by the attribute pghistory gives every generated event model (importing its
    # models module here would need the app registry, and Celery imports this module first).
    return [
        model
        for model in apps.get_models()
        if getattr(model, "pgh_tracked_model", None) is not None
    ]


@contextlib.contextmanager
def scrubbing():
    """The only way past the append-only triggers: for the erasure service, which overwrites
    an erased person's values in the history (never deletes an event). Local to the
    transaction it runs in."""
    uris = [f"{model._meta.label}:{APPEND_ONLY_TRIGGER}" for model in event_models()]
    with pgtrigger.ignore(*uris):
        yield connection
