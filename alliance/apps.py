from django.apps import AppConfig

from alliance import checks  # noqa: F401  (registers the deployment checks)
from alliance.celery import app as celery_app


class AllianceConfig(AppConfig):
    """The project package as an app, for its templates, commands and cross-app pages."""

    name = "alliance"
    verbose_name = "Alliantieportaal"

    def ready(self):
        # The security log's signal receivers (failed log-ins).
        from alliance import security  # noqa: F401

        # Services enqueue their tasks by name (alliance.base.tasks.enqueue_on_commit), so that
        # no service imports the tasks module that imports it. A worker discovers the task
        # modules by itself; a web process or a command must too, or a name would be unknown
        # there (and, without a broker, the task would not run in-process).
        celery_app.autodiscover_tasks(force=True)
