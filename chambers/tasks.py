"""Background work of the partners' API: webhook deliveries.

Retries wait in the database (WebhookDelivery.next_attempt_at), not on the broker: a delay of
hours would outlive the broker's visibility timeout (see alliance/base/tasks.py). The periodic
task below hands due deliveries to workers; schedule it every minute.
"""

from celery import shared_task

from chambers import accreditation, services


@shared_task(name="chambers.webhook_deliver", ignore_result=True)
def webhook_deliver(delivery_id: str) -> None:
    """One attempt at one delivery. Idempotent: a delivery that is no longer pending is left
    alone, so a task that runs twice (a lost worker) sends once."""
    services.webhook_attempt(delivery_id=delivery_id)


@shared_task(name="chambers.webhook_deliver_due", ignore_result=True)
def webhook_deliver_due() -> int:
    """Hand every delivery whose next attempt is due to a worker; returns how many."""
    due = services.webhook_deliveries_due()
    for delivery_id in due:
        webhook_deliver.delay(str(delivery_id))
    return len(due)


@shared_task(name="chambers.send_accreditation_reminders", ignore_result=True)
def send_accreditation_reminders() -> int:
    """Daily: self-assessments due soon, accreditations ending soon. Idempotent (keyed mails)."""
    return accreditation.accreditation_reminders_send()
