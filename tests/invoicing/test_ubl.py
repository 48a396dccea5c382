"""Every kind of document validates against EN 16931 and Peppol BIS 3.0 (Schematron, saxonche).

The validators are compiled once and cached (invoicing/peppol/validate.py): the first test of a
session pays about a second, the others milliseconds.
"""

import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from invoicing import services, ubl
from invoicing.models import Invoice, Product, VatCategory
from invoicing.peppol import validate
from invoicing.services import LineData
from tests.factories import CompanyFactory, MembershipFactory

EXAMPLES = Path(__file__).parent / "examples"
NS = {"cbc": ubl.NS["cbc"], "cac": ubl.NS["cac"]}


def fatal(xml: bytes) -> list:
    return [(f.rule, f.text) for f in validate.fatal_errors(xml)]


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("example-*.xml")))
def test_the_standards_own_examples_pass(name):
    assert fatal((EXAMPLES / name).read_bytes()) == []


def test_a_broken_document_fails():
    """The validator finds errors at all: the example without its seller's name."""
    xml = (EXAMPLES / "example-base-example.xml").read_text()
    broken = xml.replace("<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>", "")
    rules = {rule for rule, _text in fatal(broken.encode())}
    assert "BR-05" in rules


def _document(invoice):
    return ubl.document(Invoice.objects.for_document().get(pk=invoice.pk))


def test_invoice_is_valid_peppol(seller):
    company = CompanyFactory(enterprise_number="0403170701")
    invoice = services.invoice_issue(
        chamber=seller,
        company=company,
        lines=[
            LineData("Innovatieforum", Product.Kind.EVENT_FEE, Decimal("125.50")),
            LineData("Koffie", Product.Kind.EVENT_FEE, Decimal("0.35"), quantity=Decimal("3")),
        ],
        buyer_reference="PO-778",
        kmo_recognition_number="DV.O123456",
    )
    xml = _document(invoice)
    assert fatal(xml) == []
    root = ET.fromstring(xml)
    assert root.find("cbc:ID", NS).text == invoice.number
    assert root.find("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", NS).attrib == {
        "schemeID": "0208"
    }
    assert root.find("cac:PaymentMeans/cbc:PaymentID", NS).text == (
        invoice.structured_communication_display
    )
    assert root.find("cac:LegalMonetaryTotal/cbc:PayableAmount", NS).text == str(
        invoice.total_gross
    )
    assert "DV.O123456" in root.find("cbc:Note", NS).text


def test_dues_invoice_with_a_period_is_valid(seller):
    membership = MembershipFactory(chamber=seller)
    invoice = services.dues_invoice_issue(membership=membership)
    assert fatal(_document(invoice)) == []


def test_exempt_and_mixed_vat_invoice_is_valid(seller):
    Product.objects.create(
        chamber=seller,
        kind=Product.Kind.TRAINING_FEE,
        vat_category=VatCategory.EXEMPT,
        vat_rate=Decimal("0"),
        vat_exemption_reason="Vrijgesteld van btw, art. 44 §2 4° WBTW",
    )
    invoice = services.invoice_issue(
        chamber=seller,
        company=CompanyFactory(),
        lines=[
            LineData("Opleiding", Product.Kind.TRAINING_FEE, Decimal("400")),
            LineData("Lunch", Product.Kind.EVENT_FEE, Decimal("19.99")),
        ],
    )
    assert fatal(_document(invoice)) == []


def test_full_and_partial_credit_notes_are_valid(seller):
    first, second = (
        services.invoice_issue(
            chamber=seller,
            company=CompanyFactory(),
            lines=[LineData("Forum", Product.Kind.EVENT_FEE, Decimal("100"))],
        )
        for _ in range(2)
    )
    full = services.credit_note_issue(invoice=first, reason="Annulering binnen de termijn")
    partial = services.credit_note_issue(invoice=second, amount=Decimal("60"))
    for note in (full, partial):
        xml = _document(note)
        assert fatal(xml) == []
        root = ET.fromstring(xml)
        assert root.tag.endswith("CreditNote")
        assert (
            root.find("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", NS).text
            == note.credited_invoice.number
        )


def test_a_dutch_buyer_is_identified_by_its_vat_number(seller):
    company = CompanyFactory(
        country="NL",
        enterprise_number=None,
        registration_number="12345678",
        vat_number="NL004495445B01",
        postcode="6211 LE",
        municipality="Maastricht",
    )
    invoice = services.invoice_issue(
        chamber=seller,
        company=company,
        lines=[LineData("Bedrijfsbezoek", Product.Kind.EVENT_FEE, Decimal("80"))],
    )
    assert invoice.sending_status == Invoice.SendingStatus.NOT_APPLICABLE
    xml = _document(invoice)
    assert fatal(xml) == []
    endpoint = ET.fromstring(xml).find("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", NS)
    assert endpoint.attrib["schemeID"] == "9944"
