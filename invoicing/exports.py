"""Exports for the accountant: the list of documents as CSV, and one UBL file per document
(a folder for the nightly job, a zip for staff). Every figure comes from the stored document."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from django.utils.translation import gettext as _

from invoicing import ubl
from invoicing.models import Invoice

CHUNK = 500


def csv_header() -> list[str]:
    return [
        _("soort"),
        _("nummer"),
        _("kamer"),
        _("factuurdatum"),
        _("vervaldatum"),
        _("onderneming"),
        _("ondernemingsnummer"),
        _("btw-nummer"),
        _("excl. btw"),
        _("btw"),
        _("incl. btw"),
        _("gecrediteerde factuur"),
        _("gestructureerde mededeling"),
        _("status"),
        _("betaald"),
        _("verzendstatus"),
    ]


def csv_row(invoice: Invoice) -> list[str]:
    return [
        invoice.get_kind_display(),
        invoice.number,
        invoice.chamber.slug,
        invoice.issue_date.isoformat(),
        invoice.due_date.isoformat() if invoice.due_date else "",
        invoice.buyer_name,
        invoice.buyer_enterprise_number,
        invoice.buyer_vat_number,
        f"{invoice.total_net:.2f}",
        f"{invoice.total_vat:.2f}",
        f"{invoice.total_gross:.2f}",
        invoice.credited_invoice.number if invoice.credited_invoice_id else "",
        invoice.structured_communication_display,
        invoice.get_status_display(),
        f"{invoice.amount_paid:.2f}",
        invoice.get_sending_status_display(),
    ]


def csv_text(invoices: Iterable[Invoice]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(csv_header())
    for invoice in invoices:
        writer.writerow(csv_row(invoice))
    return out.getvalue()


def documents(queryset) -> Iterable[Invoice]:
    """The documents with their lines, in chunks (an export of a year stays in memory bounds)."""
    return (
        queryset.for_document()
        .order_by("chamber__slug", "kind", "year", "sequence")
        .iterator(chunk_size=CHUNK)
    )


def write_ubl(queryset, directory: Path) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    count = 0
    for invoice in documents(queryset):
        (directory / ubl.filename(invoice)).write_bytes(ubl.document(invoice))
        count += 1
    return count


def ubl_zip(queryset) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for invoice in documents(queryset):
            archive.writestr(ubl.filename(invoice), ubl.document(invoice))
    return buffer.getvalue()
