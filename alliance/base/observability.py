"""Request ids that follow a request into its Celery tasks, and the logs that carry them.

Every request gets an id (the load balancer's X-Request-ID when it sent a well-formed one, else
a new one), answered in the X-Request-ID header and written on every log line of that request
(RequestIdFilter, in LOGGING). A task enqueued while the request runs carries the id in its
message headers, and the worker's log lines for that task carry it too. docs/deploy.md.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# What we accept from the proxy: short, and nothing a log reader would have to escape.
WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")
HEADER = "X-Request-ID"
requests_log = logging.getLogger("alliance.requests")


def current_request_id() -> str:
    return request_id.get()


class RequestIdFilter(logging.Filter):
    """Puts the current request id (or "") on every record, for the formatters."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id.get()
        return True


class RequestIdMiddleware:
    """First in the chain: the id is set before anything logs, and one access-log line per
    request is written when the answer leaves (method, path, status, duration)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        rid = given if WELL_FORMED.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        request.request_id = rid
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = rid
            requests_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id.reset(token)


# Celery: the id rides in the message headers (connected in alliance/celery.py).


def add_request_id_to_task(headers=None, **kwargs) -> None:
    """before_task_publish: the enqueuing request's id goes with the message."""
    rid = request_id.get()
    if rid and headers is not None:
        headers.setdefault("request_id", rid)


def adopt_request_id(task=None, **kwargs) -> None:
    """task_prerun (in the worker): the task's log lines carry the id it was sent with."""
    rid = getattr(task.request, "request_id", None) if task is not None else None
    if rid:
        task.request._alliance_request_id_token = request_id.set(rid)


def forget_request_id(task=None, **kwargs) -> None:
    """task_postrun: the next task of this worker process starts without one."""
    token = getattr(task.request, "_alliance_request_id_token", None) if task else None
    if token is not None:
        request_id.reset(token)
