"""Abstract models every app may build on."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """A row that knows when it was created and last changed."""

    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        abstract = True


class DomainError(Exception):
    """A rule of the domain refused a change; the message is for the user, in their language."""

    code = "domain_error"

    def __init__(self, message, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
