"""Choices shared by several apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    """The portal's languages: Dutch first, French and English in full."""

    NL = "nl", _("Nederlands")
    FR = "fr", _("Frans")
    EN = "en", _("Engels")
