"""The payments side's named reads, with their scoping (chamber ids from the finance roles)."""

from __future__ import annotations

import datetime

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, Min, Q, Sum

from invoicing.models import Invoice
from invoicing.payments.models import BankStatement, BankTransaction, Payment


def open_per_company(chamber_ids, *, today: datetime.date, search: str = ""):
    """What is open per company at these chambers: how many invoices, how much, since when,
    how many overdue, and the last reminder step sent. One grouped query, one row a company."""
    due = ExpressionWrapper(
        F("total_gross") - F("amount_paid"),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )
    qs = Invoice.objects.open().filter(chamber_id__in=chamber_ids)
    if search:
        qs = qs.filter(Q(company__name__icontains=search) | Q(number__icontains=search))
    return (
        qs.values("company_id", "company__name")
        .annotate(
            invoices=Count("id", distinct=True),
            amount_due=Sum(due),
            oldest_due_date=Min("due_date"),
            overdue=Count("id", filter=Q(due_date__lt=today), distinct=True),
            last_reminder=Max("reminders__step"),
        )
        .order_by("-amount_due", "company__name")
    )


def statements_for(chamber_ids):
    return (
        BankStatement.objects.filter(chamber_id__in=chamber_ids)
        .select_related("chamber", "uploaded_by")
        .annotate(
            movements=Count("transactions"),
            to_check=Count(
                "transactions",
                filter=~Q(transactions__outcome=BankTransaction.Outcome.PAID)
                & Q(transactions__handled_at__isnull=True),
            ),
        )
        .order_by("-created_at")
    )


def transactions_to_check(chamber_ids):
    """Partial and over-payments and unmatched money in, not yet handled by staff."""
    return (
        BankTransaction.objects.filter(
            statement__chamber_id__in=chamber_ids, handled_at__isnull=True
        )
        .exclude(outcome=BankTransaction.Outcome.PAID)
        .select_related("invoice", "invoice__company", "statement__chamber")
        .order_by("-value_date", "-id")
    )


def payments_with_a_problem(chamber_ids):
    """Online payments staff should look at: another amount than asked, or money for an
    invoice that was paid (or cancelled) meanwhile."""
    return (
        Payment.objects.filter(invoice__chamber_id__in=chamber_ids)
        .exclude(problem="")
        .select_related("invoice", "invoice__company")
        .order_by("-created_at")
    )
