"""E-mails: rendered in the recipient's language, sent by a Celery task after the commit.

A message is three templates under templates/emails/: <name>_subject.txt, <name>.txt and
<name>.html. It is rendered when the transaction commits (so it shows what was committed) and
handed to a task as plain text, so that a rolled-back change sends nothing and the worker needs
no database access to send.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


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
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def deliver(message: dict) -> None:
    """Send one rendered message; SMTP hiccups (OSError) are retried with back-off."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["text"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message["to"],
    )
    email.attach_alternative(message["html"], "text/html")
    for filename, content, mimetype in message.get("attachments", []):
        email.attach(filename, content, mimetype)
    email.send()


def send_on_commit(
    name: str,
    *,
    to: Iterable[str],
    language: str,
    context: dict | Callable[[], dict],
    attachments: Callable[[], list] | None = None,
) -> None:
    """Render and enqueue message `name` once the current transaction commits.

    `context` may be a callable, evaluated after the commit, so that the message shows
    committed state (a waiting-list position, a ticket code).
    """
    recipients = [address for address in to if address]
    if not recipients:
        return

    def enqueue():
        data = context() if callable(context) else context
        message = render(name, data, language) | {"to": recipients}
        message["attachments"] = attachments() if attachments else []
        deliver.delay(message)

    transaction.on_commit(enqueue)
