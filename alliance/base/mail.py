"""E-mails: rendered in the recipient's language, written to the outbox with the change, sent once.

A message is three templates under templates/emails/: <name>_subject.txt, <name>.txt and
<name>.html. `send_on_commit` renders it and writes it to the outbox (an OutboxMessage row) in the
caller's transaction, so that a rolled-back change sends nothing and a committed change has its
e-mail even when the broker is down at the commit. After the commit a worker is kicked to send it
at once (best effort); the drain (`mail.drain_outbox`, every minute, and `manage.py drain_outbox`)
sends whatever is left. Sending claims the row with FOR UPDATE SKIP LOCKED and marks it sent in
the same transaction, so two senders never send one message twice.

Every message carries a key, recorded in SentMessage as it is sent: a key that was sent before
(a reminder for a registration) is never sent again. docs/background-work.md has the why.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterable

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from alliance.base.models import OutboxMessage, SentMessage
from alliance.base.tasks import kick_on_commit

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """A link for outside the browser (e-mails, calendar files)."""
    return settings.PORTAL_URL + path


def render(name: str, context: dict, language: str) -> dict:
    """The subject, text and HTML of message `name` in `language`."""
    with translation.override(language):
        subject = render_to_string(f"emails/{name}_subject.txt", context).strip()
        text = render_to_string(f"emails/{name}.txt", context)
        html = render_to_string(f"emails/{name}.html", context)
    return {"subject": " ".join(subject.split()), "text": text, "html": html}


@shared_task(
    name="mail.deliver",
    # SMTP hiccups: smtplib's errors and socket timeouts are all OSErrors. Back-off 2, 4, 8,
    # then 15 s (TASK_MAX_COUNTDOWN), with jitter: at most two minutes in all; after that the
    # message is a FailedTask that staff can put back in the queue.
    autoretry_for=(OSError,),
    retry_backoff=2,
    retry_backoff_max=15,
    max_retries=10,
)
def deliver(message: dict) -> None:
    """Send one rendered message, unless a message with its key was sent already.

    The task of the days before the outbox: messages still on the broker from then go out
    through it. New messages go through the outbox (`send_outbox`).
    """
    key = message.get("key") or _content_key(message)
    email = _email(message)
    with transaction.atomic():
        # The row is inserted before the send and committed after it. A second run of the same
        # message waits on this insert until the first commits (then finds the key and stops)
        # or dies (its insert is rolled back, so this run sends).
        try:
            with transaction.atomic():
                SentMessage.objects.create(
                    key=key,
                    name=message.get("name", ""),
                    subject=message["subject"][:255],
                    recipients=", ".join(message["to"]),
                )
        except IntegrityError:
            logger.info("E-mail %s was sent already; not sending it again.", key)
            return
        email.send()


def _email(message: dict) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["text"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message["to"],
    )
    email.attach_alternative(message["html"], "text/html")
    for filename, content, mimetype in message.get("attachments", []):
        email.attach(filename, content, mimetype)
    return email


def _content_key(message: dict) -> str:
    """A key for a message enqueued without one (before keys existed): its content."""
    content = json.dumps(message, sort_keys=True, default=str).encode()
    return "content:" + hashlib.sha256(content).hexdigest()


def send_on_commit(
    name: str,
    *,
    to: Iterable[str],
    language: str,
    context: dict | Callable[[], dict],
    attachments: Callable[[], list] | None = None,
    key: str | None = None,
) -> None:
    """Render message `name` and write it to the outbox, in the current transaction.

    It is rendered now, in `language`: call it after the last change to what it tells about
    (a callable `context` or `attachments` is evaluated now, so it may read that state back).
    After the commit a worker is kicked to send it; if the broker cannot be reached, the drain
    sends it. `key` names the message for good: a second message with the same key, pending
    or sent, is never sent (a reminder for a registration); without one it gets a key of its own.
    """
    send_all_on_commit(
        [
            {
                "name": name,
                "to": to,
                "language": language,
                "context": context,
                "attachments": attachments,
                "key": key,
            }
        ]
    )


def send_all_on_commit(messages: Iterable[dict]) -> None:
    """`send_on_commit` for many messages (each a dict of its arguments), in one INSERT: the
    periodic scans (reminders, renewals) take the same queries for three or three hundred."""
    rows = [row for row in map(_outbox_row, messages) if row is not None]
    if not rows:
        return
    # ON CONFLICT DO NOTHING: the same key written twice (two scans of the reminders at once)
    # is one message, without breaking the caller's transaction.
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    for row in rows:
        kick_on_commit("mail.send_outbox", row.key)


def _outbox_row(spec: dict) -> OutboxMessage | None:
    recipients = [address for address in spec["to"] if address]
    if not recipients:
        return None
    name, context, attachments = spec["name"], spec["context"], spec.get("attachments")
    data = context() if callable(context) else context
    message = render(name, data, spec["language"]) | {"to": recipients}
    message["attachments"] = [list(item) for item in attachments()] if attachments else []
    message["name"] = name
    message["key"] = spec.get("key") or f"{name}:{uuid.uuid4().hex}"
    return OutboxMessage(
        key=message["key"],
        name=name,
        subject=message["subject"][:255],
        recipients=", ".join(recipients),
        message=message,
    )


def keys_known(keys: Iterable[str]) -> set[str]:
    """Those of `keys` that were sent or wait in the outbox: writing them again sends nothing."""
    keys = list(keys)
    sent = SentMessage.objects.filter(key__in=keys).order_by().values_list("key", flat=True)
    waiting = OutboxMessage.objects.filter(key__in=keys).order_by().values_list("key", flat=True)
    return set(sent.union(waiting))


@shared_task(name="mail.send_outbox", ignore_result=True)
def send_outbox(key: str) -> None:
    """Send the outbox's message `key` now (the kick after a commit). Idempotent."""
    send_pending(key)


@shared_task(name="mail.drain_outbox", ignore_result=True)
def drain_outbox() -> int:
    """Send the messages that are due (beat, every minute); returns how many went out."""
    return drain(seconds=settings.OUTBOX_DRAIN_SECONDS)


def drain(*, seconds: float | None = None, now: datetime.datetime | None = None) -> int:
    """Send every message due at `now`, for at most `seconds`; returns how many went out.

    One pass over what is due when it starts: a message another drainer holds is skipped (that
    one sends it), a message that fails waits for its next attempt.
    """
    deadline = None if seconds is None else time.monotonic() + seconds
    due = OutboxMessage.objects.due(now).order_by("next_attempt_at", "pk")
    sent = 0
    for key in list(due.values_list("key", flat=True)[:1000]):
        if deadline is not None and time.monotonic() > deadline:
            break
        sent += send_pending(key)
    return sent


def send_pending(key: str) -> bool:
    """Send the outbox's message `key` unless it was sent, given up or is being sent; True if sent.

    The claim (FOR UPDATE SKIP LOCKED), the send and the mark are one transaction: a second
    sender skips the locked row and finds it sent afterwards. A sender that dies while sending
    rolls the claim back, so the next one sends. A failed send is recorded with its back-off.
    """
    try:
        with transaction.atomic():
            row = (
                OutboxMessage.objects.pending()
                .select_for_update(skip_locked=True)
                .filter(key=key)
                .first()
            )
            if row is None:
                if OutboxMessage.objects.filter(key=key, sent_at__isnull=False).exists():
                    logger.info("E-mail %s was sent already; not sending it again.", key)
                return False  # sent, given up, or being sent by another sender
            row.attempts += 1
            row.sent_at = timezone.now()
            row.last_error = ""
            row.save(update_fields=["attempts", "sent_at", "last_error"])
            try:
                with transaction.atomic():
                    SentMessage.objects.create(
                        key=key,
                        name=row.name,
                        subject=row.subject,
                        recipients=row.recipients,
                    )
            except IntegrityError:
                logger.info("E-mail %s was sent already; not sending it again.", key)
                return False
            _email(row.message).send()
    except Exception as error:  # SMTP (OSError), a bad header, a time limit: tried again later
        _record_failure(key, error)
        return False
    # No address in the log: the key names the message, SentMessage the recipients.
    logger.info("E-mail %s sent (%s).", key, row.name)
    return True


def _record_failure(key: str, error: Exception) -> None:
    logger.warning("E-mail %s could not be sent: %r", key, error)
    now = timezone.now()
    with transaction.atomic():
        row = OutboxMessage.objects.pending().select_for_update().filter(key=key).first()
        if row is None:  # another sender got it out meanwhile
            return
        row.attempts += 1
        row.last_error = repr(error)[:500]
        if row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            row.failed_at = now
            logger.error("E-mail %s given up after %d attempts.", key, row.attempts)
        else:
            row.next_attempt_at = now + datetime.timedelta(seconds=retry_delay(row.attempts))
        row.save(update_fields=["attempts", "last_error", "failed_at", "next_attempt_at"])


def retry_delay(attempts_made: int) -> float:
    """Seconds before the next attempt: 1, 2, 4 ... minutes, at most an hour (OUTBOX_RETRY_*)."""
    base = settings.OUTBOX_RETRY_BACKOFF_SECONDS
    return min(base * 2 ** (attempts_made - 1), settings.OUTBOX_RETRY_BACKOFF_MAX_SECONDS)


def send_again(rows) -> int:
    """Put given-up messages back in the outbox, due now, with a new series of attempts."""
    keys = list(rows.filter(failed_at__isnull=False).values_list("key", flat=True))
    OutboxMessage.objects.filter(key__in=keys).update(
        failed_at=None, attempts=0, next_attempt_at=timezone.now()
    )
    for key in keys:
        kick_on_commit("mail.send_outbox", key)
    return len(keys)
