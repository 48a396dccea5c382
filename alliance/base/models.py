"""Abstract models every app may build on, and the records of background work."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """A row that knows when it was created and last changed."""

    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        abstract = True


class DomainError(Exception):
    """A rule of the domain refused a change; the message is for the user, in their language.

    `field` names the input the refusal is about (a form field, an API attribute) when there is
    one, so that pages and the API put the message next to it without reading `code`.
    """

    code = "domain_error"

    def __init__(self, message, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class SentMessage(models.Model):
    """An e-mail that was sent, under the key that makes sending it again a no-op.

    Written in the same transaction as the send (alliance.base.mail.deliver): a second run of the
    same message, after a worker died or a message came back from the broker, finds the row and
    sends nothing.
    """

    key = models.CharField(_("sleutel"), max_length=200, unique=True)
    name = models.CharField(_("bericht"), max_length=80, blank=True)
    subject = models.CharField(_("onderwerp"), max_length=255)
    recipients = models.TextField(_("ontvangers"))
    sent_at = models.DateTimeField(_("verzonden op"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("verzonden e-mail")
        verbose_name_plural = _("verzonden e-mails")
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.subject} → {self.recipients}"


class FailedTask(models.Model):
    """A background task that failed for good: its retries ran out, or it is not retried.

    Staff see these in the admin and can put one back in the queue once the cause is fixed.
    """

    task_name = models.CharField(_("taak"), max_length=200, db_index=True)
    task_id = models.CharField(_("taak-id"), max_length=64, blank=True)
    args = models.JSONField(_("argumenten"), default=list, blank=True)
    kwargs = models.JSONField(_("benoemde argumenten"), default=dict, blank=True)
    exception = models.TextField(_("fout"))
    traceback = models.TextField(_("traceback"), blank=True)
    retries = models.PositiveIntegerField(_("nieuwe pogingen"), default=0)
    failed_at = models.DateTimeField(_("mislukt op"), default=timezone.now, db_index=True)
    requeued_at = models.DateTimeField(_("opnieuw in de wachtrij op"), null=True, blank=True)

    class Meta:
        verbose_name = _("mislukte taak")
        verbose_name_plural = _("mislukte taken")
        ordering = ["-failed_at"]

    def __str__(self):
        return f"{self.task_name} ({self.failed_at:%Y-%m-%d %H:%M})"


class OutboxMessageQuerySet(models.QuerySet):
    def pending(self):
        """Neither sent nor given up."""
        return self.filter(sent_at__isnull=True, failed_at__isnull=True)

    def due(self, now=None):
        """Pending and due for an attempt now: what the drain sends."""
        return self.pending().filter(next_attempt_at__lte=now or timezone.now())


class OutboxMessage(models.Model):
    """An e-mail to send, written in the transaction of the change it tells about.

    The outbox (alliance.base.mail): the message is rendered and written with the change, so a
    committed change always has its e-mail and a rolled-back one has none, whether the broker is
    up or not. A worker (kicked after the commit) or the drain (every minute, or
    `manage.py drain_outbox`) claims the row with FOR UPDATE SKIP LOCKED, sends, and marks it
    sent in the claim's transaction: two drainers never send one message twice.
    """

    key = models.CharField(_("sleutel"), max_length=200, unique=True)
    name = models.CharField(_("bericht"), max_length=80, blank=True)
    subject = models.CharField(_("onderwerp"), max_length=255)
    recipients = models.TextField(_("ontvangers"))
    # The rendered message: subject, text, html, to, attachments, name, key.
    message = models.JSONField(_("inhoud"))
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("volgende poging op"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    last_error = models.CharField(_("laatste fout"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    failed_at = models.DateTimeField(_("opgegeven op"), null=True, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitgaande e-mail")
        verbose_name_plural = _("uitgaande e-mails")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sent_at__isnull=True) | models.Q(failed_at__isnull=True),
                name="outbox_sent_or_failed",
            ),
        ]
        indexes = [
            # The drain's look-up: only the pending rows, however many were sent.
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due_idx",
                condition=models.Q(sent_at__isnull=True, failed_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.recipients}"
