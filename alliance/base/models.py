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
