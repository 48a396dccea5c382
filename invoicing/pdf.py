"""The PDF of an invoice or a credit note, for people: WeasyPrint, from the stored document.

The same fields and the same VAT breakdown as the UBL (invoicing/ubl.py), in the chamber's
language.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from invoicing.models import Invoice
from invoicing.services import vat_breakdown


def document(invoice: Invoice) -> bytes:
    """The PDF; needs the document from InvoiceQuerySet.for_document()."""
    lines = list(invoice.lines.all())
    with translation.override(invoice.chamber.language):
        html = render_to_string(
            "invoicing/document.html",
            {"invoice": invoice, "lines": lines, "totals": vat_breakdown(lines)},
        )
    return HTML(string=html).write_pdf()


def filename(invoice: Invoice) -> str:
    return f"{invoice.chamber.slug}-{invoice.number}.pdf"
