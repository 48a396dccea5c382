"""Payment reminders for overdue invoices (dunning), on the days `DUNNING_DAYS` says.

A periodic task (invoicing.send_payment_reminders, every morning; manage.py setup_schedules)
finds the open invoices whose due date lies `DUNNING_DAYS` days back (7 and 21 by default) and
e-mails the company's admins in their language, with what is due, the structured communication
and the link to pay online. Each step goes out once per invoice (PaymentReminder's unique
constraint, and the e-mail's key); a step missed while the beat was down is not sent late
when the next step is already due (the company gets the later reminder, not both at once).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from alliance.base import mail
from invoicing.models import Invoice
from invoicing.payments.models import PaymentReminder
from members.models import Person


def steps() -> list[int]:
    """The reminder days after the due date, in order: step 1 is the first of them."""
    return sorted({int(days) for days in settings.DUNNING_DAYS if int(days) > 0})


def reminder_key(invoice: Invoice, step: int, language: str) -> str:
    return f"payment_reminder:{invoice.pk}:{step}:{language}"


def due_step(invoice: Invoice, today: datetime.date, days: list[int]) -> int:
    """The step whose day has come for this invoice (0: none yet)."""
    overdue = (today - invoice.due_date).days
    return sum(1 for day in days if overdue >= day)


def invoices_to_remind(today: datetime.date, days: list[int]):
    """Open invoices at least the first step overdue, with the highest step they had."""
    return (
        Invoice.objects.open()
        .filter(due_date__lte=today - datetime.timedelta(days=days[0]))
        .annotate(last_step=Max("reminders__step"))
        .select_related("chamber", "company")
        .order_by("pk")
    )


def send_payment_reminders(*, today: datetime.date | None = None) -> int:
    """Record and enqueue the reminders due today; returns how many invoices were reminded."""
    today = today or timezone.localdate()
    days = steps()
    if not days:
        return 0
    todo = []
    for invoice in invoices_to_remind(today, days):
        step = due_step(invoice, today, days)
        if step and step > (invoice.last_step or 0):
            todo.append((invoice, step))
    if not todo:
        return 0
    recipients = defaultdict(lambda: defaultdict(list))
    people = Person.objects.filter(
        company__in={invoice.company_id for invoice, _ in todo},
        role=Person.Role.ADMIN,
        erased_at__isnull=True,
    ).exclude(email="")
    for company_id, email, language in people.values_list(
        "company_id", "email", "preferred_language"
    ):
        recipients[company_id][language or "nl"].append(email)
    now = timezone.now()
    with transaction.atomic():
        PaymentReminder.objects.bulk_create(
            [
                PaymentReminder(
                    invoice=invoice,
                    step=step,
                    days_overdue=(today - invoice.due_date).days,
                    amount_due=invoice.amount_due,
                    sent_at=now,
                    recipients=", ".join(
                        sorted(
                            e for emails in recipients[invoice.company_id].values() for e in emails
                        )
                    ),
                )
                for invoice, step in todo
            ],
            ignore_conflicts=True,
        )
        messages = [
            {
                "name": "payment_reminder",
                "to": emails,
                "language": language,
                "key": reminder_key(invoice, step, language),
                "context": {
                    "invoice": invoice,
                    "chamber": invoice.chamber,
                    "company": invoice.company,
                    "step": step,
                    "is_last": step == len(days),
                    "days_overdue": (today - invoice.due_date).days,
                    "amount_due": invoice.amount_due,
                    "pay_url": mail.absolute_url(
                        reverse("me:invoice_pay", kwargs={"pk": invoice.pk})
                    ),
                },
            }
            for invoice, step in todo
            for language, emails in recipients[invoice.company_id].items()
        ]
        mail.send_all_on_commit(messages)
    return len(todo)
