"""Every write of the payments side: online payments, their webhook, bank statements, handling.

Lock order, everywhere: the invoice first (SELECT … FOR UPDATE), then the payment or the bank
movement. No HTTP while a lock is held: the provider is asked before the transaction that
books what it said (a webhook that arrives twice fetches twice and books once).
"""

from __future__ import annotations

import hashlib
import logging
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from alliance.base import mail
from alliance.base.mail import absolute_url
from alliance.base.models import DomainError
from invoicing import coda
from invoicing.models import Invoice
from invoicing.payments import PaymentProviderError, ProviderPayment, Status, provider
from invoicing.payments.models import BankStatement, BankTransaction, Payment

logger = logging.getLogger(__name__)


def _payable(invoice: Invoice) -> None:
    if invoice.is_credit_note:
        raise DomainError(_("Een creditnota wordt niet betaald."), code="credit_note")
    if invoice.status == Invoice.Status.CANCELLED:
        raise DomainError(_("Deze factuur is geannuleerd."), code="cancelled")
    if invoice.status == Invoice.Status.PAID or invoice.amount_due <= 0:
        raise DomainError(_("Deze factuur is al betaald."), code="paid")


def invoice_for_source(source_kind: str, source_id: int) -> Invoice | None:
    """The invoice that bills a registration or a membership (Invoice.Source), if there is one:
    paying a registration online is paying its invoice."""
    return Invoice.objects.filter(
        kind=Invoice.Kind.INVOICE, source_kind=source_kind, source_id=source_id
    ).first()


def payment_start(
    *, method: str, actor, invoice: Invoice | None = None, registration=None
) -> Payment:
    """Start paying what `invoice` (or `registration`'s invoice: a paid place is billed by
    events.billing) still owes online; the payer goes to `payment.checkout_url`.

    The payment row is committed before the provider is asked, so that its key is ours and
    the provider makes one payment for it even when the answer is lost and the member tries
    again. A provider that cannot be reached leaves the payment `error` and says so.
    """
    if method not in Payment.Method.values:
        raise DomainError(_("Kies een betaalwijze."), code="method", field="method")
    if invoice is None and registration is not None:
        invoice = invoice_for_source(Invoice.Source.REGISTRATION, registration.pk)
    if invoice is None:
        raise DomainError(_("Hiervoor is er geen factuur te betalen."), code="no_invoice")
    unavailable = DomainError(
        _("Online betalen lukt nu niet. Probeer het later opnieuw of betaal per overschrijving."),
        code="provider",
    )
    try:
        gateway = provider()
    except PaymentProviderError as error:  # not configured (no key): nothing is started
        logger.warning("payments are not configured: %s", error)
        raise unavailable from error
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        _payable(invoice)
        payment = Payment.objects.create(
            invoice=invoice,
            provider=gateway.name,
            method=method,
            amount=invoice.amount_due,
            currency=invoice.currency,
            started_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    try:
        made = gateway.create(
            amount=payment.amount,
            currency=payment.currency,
            description=str(_("Factuur %(number)s") % {"number": invoice.number}),
            method=method,
            redirect_url=absolute_url(reverse("me:payment_return", kwargs={"pk": payment.pk})),
            webhook_url=absolute_url(reverse("payments:webhook")),
            metadata={"payment": payment.pk, "invoice": invoice.number},
            idempotency_key=f"payment-{payment.pk}",
            locale=translation.get_language() or "nl",
        )
    except PaymentProviderError as error:
        logger.warning("payment %s could not start: %s", payment.pk, error)
        Payment.objects.filter(pk=payment.pk).update(
            status=Payment.Status.ERROR, updated_at=timezone.now()
        )
        raise unavailable from error
    payment.provider_id = made.id
    payment.checkout_url = made.checkout_url
    payment.status = made.status
    payment.save(update_fields=["provider_id", "checkout_url", "status", "updated_at"])
    return payment


def payment_refresh(*, provider_id: str) -> Payment | None:
    """What the webhook does: ask the provider about `provider_id` and book what it says.

    The webhook's body is never trusted: it only names a payment. An unknown id changes
    nothing (None). A provider that cannot be reached raises PaymentProviderError, so that the
    webhook answers with an error and the provider calls again later.
    """
    payment = Payment.objects.filter(provider_id=provider_id).first()
    if payment is None:
        return None
    return payment_apply(payment=payment, said=provider().fetch(provider_id))


def payment_apply(*, payment: Payment, said: ProviderPayment) -> Payment:
    """Book the provider's word about `payment`: idempotent, paid exactly once.

    A failed, expired or cancelled payment leaves the invoice open (the member may try again);
    a paid one adds its amount to the invoice once (`applied_at`). An amount or currency other
    than the one we asked for is never booked: the payment keeps the provider's status and a
    `problem` for staff.
    """
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=payment.invoice_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if said.id != payment.provider_id:
            raise DomainError(_("Deze betaling hoort niet bij deze factuur."), code="mismatch")
        if said.amount != payment.amount or said.currency != payment.currency:
            problem = f"provider says {said.amount} {said.currency}"
            if payment.problem != problem or payment.status != said.status:
                payment.problem = problem
                payment.status = said.status
                payment.save(update_fields=["problem", "status", "updated_at"])
            logger.warning("payment %s: %s, not booked", payment.pk, problem)
            return payment
        if payment.applied_at is not None:
            # Booked before: a later word (a refund, a chargeback) is for staff, not for us.
            return payment
        changed = payment.status != said.status
        payment.status = said.status
        if said.status == Status.PAID:
            now = timezone.now()
            if invoice.is_credit_note or invoice.status == Invoice.Status.CANCELLED:
                payment.problem = "paid after the invoice was cancelled"
            else:
                if invoice.status == Invoice.Status.PAID:
                    # Paid meanwhile (a transfer on the bank statement): booked, and flagged.
                    payment.problem = "the invoice was already paid: refund or keep as credit"
                invoice.record_payment(payment.amount, now)
                invoice.save(update_fields=["amount_paid", "status", "paid_at", "updated_at"])
                payment.applied_at = now
                _confirm(payment, invoice)
            changed = True
        if changed:
            payment.save(update_fields=["status", "applied_at", "problem", "updated_at"])
    return payment


def _confirm(payment: Payment, invoice: Invoice) -> None:
    """The payer hears that the money arrived, once (the message key), after the commit."""
    user = payment.started_by
    if user is None or not user.email:
        return
    person = getattr(user, "person", None)
    mail.send_on_commit(
        "payment_received",
        to=[user.email],
        language=getattr(person, "preferred_language", "") or "nl",
        key=f"payment_received:{payment.pk}",
        context={"payment": payment, "invoice": invoice, "chamber": invoice.chamber},
    )


# --- bank statements (CODA) ---------------------------------------------------------------------


def _bank_key(statement: coda.Statement, movement: coda.Movement) -> str:
    day = statement.old_balance_date or statement.creation_date
    return (
        f"{statement.account}/{day.year}/{statement.number}/{movement.sequence}/{movement.detail}"
    )


def statement_import(*, chambers, data: bytes, file_name: str, actor) -> BankStatement:
    """Read a CODA file and book the money in on it, in one transaction.

    The file's account must be the IBAN of one of `chambers` (the uploader's): the movements
    can pay that chamber's invoices only. Each credit with a structured communication that is
    one of the chamber's open invoices pays it: exactly what is due → paid; less → partial,
    more (or an invoice already paid) → overpaid, both for staff to look at; no or an unknown
    communication → unmatched. The same file twice, or a movement already booked from another
    file, books nothing again.
    """
    try:
        statements = coda.parse(data)
    except coda.CodaError as error:
        raise DomainError(str(error), code="coda", field="file") from error
    accounts = {s.account.replace(" ", "") for s in statements}
    by_iban = {c.iban.replace(" ", "").upper(): c for c in chambers if c.iban}
    if len(accounts) != 1 or next(iter(accounts)).upper() not in by_iban:
        raise DomainError(
            _("Dit uittreksel is niet van de rekening van een kamer die je beheert."),
            code="account",
            field="file",
        )
    account = next(iter(accounts)).upper()
    chamber = by_iban[account]
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        if BankStatement.objects.filter(digest=digest).exists():
            raise DomainError(_("Dit bestand werd al ingelezen."), code="duplicate", field="file")
        dates = [s.new_balance_date or s.creation_date for s in statements]
        try:
            with transaction.atomic():
                bank_statement = BankStatement.objects.create(
                    chamber=chamber,
                    file_name=file_name[:200],
                    digest=digest,
                    account=account,
                    statement_numbers=", ".join(str(s.number) for s in statements)[:100],
                    first_date=min(dates),
                    last_date=max(dates),
                    uploaded_by=actor,
                )
        except IntegrityError as error:  # the same file uploaded twice at once
            raise DomainError(
                _("Dit bestand werd al ingelezen."), code="duplicate", field="file"
            ) from error
        received = [(s, m) for s in statements for m in s.payments_received()]
        keys = {_bank_key(s, m) for s, m in received}
        known = set(
            BankTransaction.objects.filter(bank_key__in=keys).values_list("bank_key", flat=True)
        )
        wanted = {m.structured_communication for _s, m in received if m.structured_communication}
        # Lock the invoices these movements pay, in one order (by id), before booking.
        invoices = {
            invoice.structured_communication: invoice
            for invoice in Invoice.objects.select_for_update()
            .filter(
                chamber=chamber,
                kind=Invoice.Kind.INVOICE,
                structured_communication__in=wanted,
            )
            .order_by("pk")
        }
        now = timezone.now()
        for statement, movement in received:
            key = _bank_key(statement, movement)
            if key in known:
                continue
            known.add(key)
            invoice = invoices.get(movement.structured_communication)
            outcome = _book(invoice, movement.amount, now)
            BankTransaction.objects.create(
                statement=bank_statement,
                bank_key=key,
                bank_reference=movement.bank_reference[:21],
                value_date=movement.value_date or movement.entry_date,
                amount=movement.amount,
                structured_communication=movement.structured_communication,
                communication=(movement.communication or movement.information)[:300],
                counterparty_name=movement.counterparty_name[:100],
                counterparty_account=movement.counterparty_account[:34],
                invoice=invoice if outcome != BankTransaction.Outcome.UNMATCHED else None,
                outcome=outcome,
            )
    return bank_statement


def _book(invoice: Invoice | None, amount: Decimal, now) -> str:
    """Add a bank payment to a locked invoice; the outcome for the movement."""
    Outcome = BankTransaction.Outcome
    if invoice is None:
        return Outcome.UNMATCHED
    if invoice.status == Invoice.Status.CANCELLED:
        return Outcome.OVERPAID  # nothing was due: it goes back, staff decide
    due = invoice.amount_due
    if invoice.status == Invoice.Status.OPEN:
        invoice.record_payment(amount, now)
        invoice.save(update_fields=["amount_paid", "status", "paid_at", "updated_at"])
    else:  # already paid: the money is booked on the invoice, and flagged
        invoice.amount_paid += amount
        invoice.save(update_fields=["amount_paid", "updated_at"])
    if amount == due:
        return Outcome.PAID
    return Outcome.PARTIAL if amount < due else Outcome.OVERPAID


def bank_transaction_handle(*, transaction_id: int, chamber_ids, actor) -> BankTransaction:
    """Staff dealt with a flagged movement: it leaves the list of what to look at."""
    with transaction.atomic():
        row = (
            BankTransaction.objects.select_for_update()
            .filter(pk=transaction_id, statement__chamber_id__in=chamber_ids)
            .first()
        )
        if row is None:
            raise BankTransaction.DoesNotExist
        if not row.needs_attention:
            raise DomainError(_("Deze beweging vraagt geen actie meer."), code="handled")
        row.handled_at = timezone.now()
        row.handled_by = actor
        row.save(update_fields=["handled_at", "handled_by", "updated_at"])
    return row
