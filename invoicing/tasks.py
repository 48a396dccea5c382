"""Background tasks of invoicing: thin, idempotent, scheduled by beat (setup_schedules)."""

from celery import shared_task

from invoicing import access_points, sending, services
from invoicing.payments import dunning


@shared_task(name="invoicing.send_due", ignore_result=True)
def send_due() -> int:
    """Every minute: hand every document still to send to a worker; returns how many."""
    due = sending.invoices_to_send()
    for invoice_id in due:
        send_invoice.delay(invoice_id)
    return len(due)


@shared_task(
    name="invoicing.send_invoice",
    # An access point that is down or slow: back-off 2, 4, 8, then 15 s; after that the
    # document stays "failed" and send_due tries it again until INVOICING_SEND_MAX_ATTEMPTS.
    autoretry_for=(access_points.AccessPointError,),
    retry_backoff=2,
    retry_backoff_max=15,
    max_retries=3,
)
def send_invoice(invoice_id: int) -> str:
    """Send one invoice or credit note over Peppol."""
    return sending.invoice_send(invoice_id=invoice_id)


@shared_task(name="invoicing.issue_dues_invoices", ignore_result=True)
def issue_dues_invoices() -> int:
    """Every morning, after the memberships roll over: the dues invoices of the periods that
    start (renewals on their renewal date, new memberships on their first day)."""
    return services.dues_invoices_issue()


@shared_task(name="invoicing.send_payment_reminders", ignore_result=True)
def send_payment_reminders() -> int:
    """Every morning: reminders for open invoices 7 and 21 days past due (DUNNING_DAYS), each
    step once (invoicing/payments/dunning.py)."""
    return dunning.send_payment_reminders()
