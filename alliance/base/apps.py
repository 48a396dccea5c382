from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BaseConfig(AppConfig):
    """The ground floor as an app: the records of background work (sent e-mails, failed tasks)."""

    name = "alliance.base"
    label = "base"
    verbose_name = _("Achtergrondwerk")

    def ready(self):
        from alliance.base import tasks

        tasks.connect_signals()
