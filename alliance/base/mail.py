"""E-mails: rendered in the recipient's language, sent by a Celery task after the commit, once.

A message is three templates under templates/emails/: <name>_subject.txt, <name>.txt and
<name>.html. It is rendered when the transaction commits (so it shows what was committed) and
handed to a task as plain text, so that a rolled-back change sends nothing.

Every message carries a key. The task records the key (a SentMessage row) in the transaction in
which it sends, so that the same message arriving twice (its worker died before acknowledging
it, the broker gave it back) is sent once: docs/background-work.md.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Iterable

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from alliance.base.models import SentMessage

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
    """Send one rendered message, unless a message with its key was sent already."""
    key = message.get("key") or _content_key(message)
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["text"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message["to"],
    )
    email.attach_alternative(message["html"], "text/html")
    for filename, content, mimetype in message.get("attachments", []):
        email.attach(filename, content, mimetype)
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
    # No address in the log: the key names the message, SentMessage the recipients.
    logger.info("E-mail %s sent (%s).", key, message.get("name", ""))


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
    """Render and enqueue message `name` once the current transaction commits.

    `context` may be a callable, evaluated after the commit, so that the message shows
    committed state (a waiting-list position, a ticket code). `key` names the message for
    good: a second message with the same key is never sent (a reminder for a registration);
    without one the message gets a key of its own.
    """
    recipients = [address for address in to if address]
    if not recipients:
        return

    def enqueue():
        data = context() if callable(context) else context
        message = render(name, data, language) | {"to": recipients}
        message["attachments"] = attachments() if attachments else []
        message["name"] = name
        message["key"] = key or f"{name}:{uuid.uuid4().hex}"
        deliver.delay(message)

    transaction.on_commit(enqueue)
