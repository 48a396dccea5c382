"""The PDF says what the UBL says: number, amounts, communication, the KMO-portefeuille."""

import io
from decimal import Decimal

from pypdf import PdfReader

from invoicing import pdf, services
from invoicing.models import Invoice, Product
from invoicing.services import LineData
from tests.factories import CompanyFactory


def _text(invoice) -> str:
    data = pdf.document(Invoice.objects.for_document().get(pk=invoice.pk))
    assert data.startswith(b"%PDF")
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_invoice_pdf_carries_the_figures(seller):
    invoice = services.invoice_issue(
        chamber=seller,
        company=CompanyFactory(name="Brouwerij Het Anker NV"),
        lines=[LineData("Opleiding boekhouden", Product.Kind.TRAINING_FEE, Decimal("250"))],
        kmo_recognition_number="DV.O212345",
    )
    text = _text(invoice)
    for expected in (
        invoice.number,
        "Brouwerij Het Anker NV",
        invoice.structured_communication_display,
        invoice.seller_iban,
        f"{invoice.total_gross:.2f}".replace(".", ","),  # the chamber works in Dutch
        "DV.O212345",
    ):
        assert expected in text, expected


def test_credit_note_pdf_names_the_credited_invoice(seller):
    invoice = services.invoice_issue(
        chamber=seller,
        company=CompanyFactory(),
        lines=[LineData("Forum", Product.Kind.EVENT_FEE, Decimal("100"))],
    )
    note = services.credit_note_issue(invoice=invoice)
    text = _text(note)
    assert note.number in text and invoice.number in text
    assert "+++" not in text
