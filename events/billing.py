"""What registrations are billed: an invoice when a paid place is confirmed, a credit note when
it is cancelled within the terms (invoicing/, docs/invoicing.md).

Events calls invoicing (the layer below) with the data: invoicing knows a registration only by
its id. Called by events.services inside their transaction, after the event's row lock
(lock order: event, then the chamber's invoice counter), so the invoice exists exactly when
the confirmed place does. The organising chamber invoices; one that has not given its seller
details yet does not (invoicing.services.chamber_invoices).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from events.models import Event, Registration
from invoicing import services as invoicing
from invoicing.models import Invoice, Product


def _line(registration: Registration) -> invoicing.LineData:
    event = registration.event
    terms = _("ledenprijs") if registration.member_terms else _("prijs voor niet-leden")
    description = _("%(event)s op %(date)s, %(person)s (%(terms)s)") % {
        "event": event.title,
        "date": formats.date_format(timezone.localtime(event.starts_at), "SHORT_DATE_FORMAT"),
        "person": registration.person.full_name,
        "terms": terms,
    }
    return invoicing.LineData(
        description=description,
        product_kind=(
            Product.Kind.TRAINING_FEE
            if event.kind == Event.Kind.TRAINING
            else Product.Kind.EVENT_FEE
        ),
        unit_price=registration.price,
        source_kind=Invoice.Source.REGISTRATION,
        source_id=registration.pk,
    )


def registration_invoice(registration: Registration) -> Invoice | None:
    """The invoice of a confirmed paid registration (idempotent), or None when nothing is
    billed: a free place, or an organiser that does not invoice yet."""
    chamber = registration.event.organiser
    if registration.price <= 0 or not invoicing.chamber_invoices(chamber):
        return None
    return invoicing.invoice_issue(
        chamber=chamber,
        company=registration.company,
        lines=[_line(registration)],
        source_kind=Invoice.Source.REGISTRATION,
        source_id=registration.pk,
        buyer_reference=registration.purchase_order,
        kmo_recognition_number=registration.event.kmo_recognition_number,
        recipients=[(registration.person.email, registration.person.preferred_language)],
    )


def registration_credit(registration: Registration) -> Invoice | None:
    """The credit note of a cancelled registration that was invoiced: in full when it was
    cancelled within the terms (or by the chamber), less the late-cancellation fee otherwise;
    None when there is nothing to credit."""
    invoice = Invoice.objects.for_source(Invoice.Source.REGISTRATION, registration.pk).first()
    if invoice is None:
        return None
    fee = registration.cancellation_fee or Decimal("0")
    if fee >= invoice.total_net:
        return None  # the fee is the whole price: the invoice stands
    reason = _("Annulering van de inschrijving")
    if fee:
        reason += " " + _("(min de annuleringskost van € %(fee)s)") % {"fee": fee}
    return invoicing.credit_note_issue(
        invoice=invoice, amount=invoice.total_net - fee if fee else None, reason=reason
    )


def registration_transfer(registration: Registration, substitute: Registration) -> None:
    """A place passed on to a colleague stays billed by the same invoice (same company, same
    price): the invoice now bills the colleague's registration, so that cancelling it later
    credits it. Only what the invoice refers to changes, never what it says."""
    Invoice.objects.for_source(Invoice.Source.REGISTRATION, registration.pk).update(
        source_id=substitute.pk
    )
