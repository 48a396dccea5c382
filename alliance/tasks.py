"""Tasks of the top floor and of the ground floor, imported here so that autodiscovery
registers them."""

from celery import shared_task

from alliance import retention
from alliance.base.mail import deliver

__all__ = ["apply_retention", "deliver"]


@shared_task(name="alliance.apply_retention")
def apply_retention() -> dict:
    """Every night: purge or anonymise what the retention periods say (alliance/retention.py)."""
    return retention.apply_retention()
