from django.apps import AppConfig


class AllianceConfig(AppConfig):
    """The project package as an app, for its templates, commands and cross-app pages."""

    name = "alliance"
    verbose_name = "Alliantieportaal"
