"""Sending e-invoices over Peppol: which documents are due, and sending one.

A document is validated against the Peppol rules before it leaves: one that fails is marked
failed with the rules it broke (for staff), never sent. The access point is called outside any
row lock; the outcome is written afterwards. Sending the same document twice is prevented by
its status (a sent document is skipped), so a task delivered twice sends once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from invoicing import access_points, ubl
from invoicing.models import Invoice
from invoicing.peppol import validate


def invoices_to_send() -> list[int]:
    """Documents still to send, and failed ones with tries left."""
    return list(
        Invoice.objects.filter(
            Q(sending_status=Invoice.SendingStatus.PENDING)
            | Q(
                sending_status=Invoice.SendingStatus.FAILED,
                sending_attempts__lt=settings.INVOICING_SEND_MAX_ATTEMPTS,
            )
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )


def _record(invoice_id: int, **fields) -> None:
    Invoice.objects.filter(pk=invoice_id).update(updated_at=timezone.now(), **fields)


def invoice_send(*, invoice_id: int) -> str:
    """Send one document through the configured access point; returns its sending status."""
    invoice = Invoice.objects.for_document().get(pk=invoice_id)
    if invoice.sending_status in (Invoice.SendingStatus.SENT, Invoice.SendingStatus.NOT_APPLICABLE):
        return invoice.sending_status
    access_point = access_points.configured()
    if access_point is None:
        return invoice.sending_status
    scheme = ubl.buyer_scheme(invoice)
    if scheme is None:
        _record(invoice_id, sending_status=Invoice.SendingStatus.NOT_APPLICABLE)
        return Invoice.SendingStatus.NOT_APPLICABLE
    xml = ubl.document(invoice)
    errors = validate.fatal_errors(xml)
    attempts = invoice.sending_attempts + 1
    if errors:
        _record(
            invoice_id,
            sending_status=Invoice.SendingStatus.FAILED,
            sending_attempts=settings.INVOICING_SEND_MAX_ATTEMPTS,  # retrying will not help
            sending_error="\n".join(f"[{e.rule}] {e.text}" for e in errors)[:4000],
        )
        return Invoice.SendingStatus.FAILED
    try:
        reference = access_point.send(
            filename=ubl.filename(invoice), xml=xml, receiver=f"{scheme[0]}:{scheme[1]}"
        )
    except access_points.AccessPointError as error:
        with transaction.atomic():
            _record(
                invoice_id,
                sending_status=Invoice.SendingStatus.FAILED,
                sending_attempts=attempts,
                sending_error=str(error)[:4000],
            )
        raise
    _record(
        invoice_id,
        sending_status=Invoice.SendingStatus.SENT,
        sending_attempts=attempts,
        sending_error="",
        sent_at=timezone.now(),
        access_point_reference=reference[:200],
    )
    return Invoice.SendingStatus.SENT
