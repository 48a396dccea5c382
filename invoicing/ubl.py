"""The Peppol BIS Billing 3.0 UBL 2.1 document of an invoice or a credit note.

Written from the stored document alone (its copied seller and buyer details, its lines and
totals), like the PDF (invoicing/pdf.py), so both say the same. Parties are identified by
their Belgian enterprise number, scheme 0208; a buyer without one (a Dutch company) by its
KvK number (0106) or its VAT number (9944 for NL, else none). Elements follow the UBL schema's
order, which the schema (not the Schematron) checks.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from invoicing.models import Invoice
from invoicing.services import vat_breakdown

CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
NS = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
# The document's own element under a prefix (ElementTree cannot mix a default namespace with
# unqualified attributes): <ubl:Invoice>, <cn:CreditNote>, equivalent to the unprefixed form.
ET.register_namespace("ubl", NS["Invoice"])
ET.register_namespace("cn", NS["CreditNote"])
ET.register_namespace("cac", NS["cac"])
ET.register_namespace("cbc", NS["cbc"])
# UNCL1001: commercial invoice, credit note. UNCL4461: credit transfer (SEPA).
INVOICE_TYPE, CREDIT_NOTE_TYPE, CREDIT_TRANSFER = "380", "381", "58"


def _cbc(parent, name: str, text=None, **attributes):
    element = ET.SubElement(parent, f"{{{NS['cbc']}}}{name}", attributes)
    if text is not None:
        element.text = str(text)
    return element


def _cac(parent, name: str):
    return ET.SubElement(parent, f"{{{NS['cac']}}}{name}")


def _amount(parent, name: str, value: Decimal, currency: str):
    return _cbc(parent, name, f"{Decimal(value):.2f}", currencyID=currency)


def _percent(rate: Decimal) -> str:
    return f"{Decimal(rate):.2f}"


def buyer_scheme(invoice: Invoice) -> tuple[str, str] | None:
    """The Peppol scheme and identifier of the buyer, or None when it has none we know."""
    if invoice.buyer_enterprise_number:
        return "0208", invoice.buyer_enterprise_number
    if invoice.buyer_country == "NL" and invoice.buyer_vat_number:
        return "9944", invoice.buyer_vat_number
    return None


def _address(party, street, postcode, municipality, country):
    address = _cac(party, "PostalAddress")
    if street:
        _cbc(address, "StreetName", street)
    if municipality:
        _cbc(address, "CityName", municipality)
    if postcode:
        _cbc(address, "PostalZone", postcode)
    _cbc(_cac(address, "Country"), "IdentificationCode", country)


def _tax_scheme(parent):
    _cbc(_cac(parent, "TaxScheme"), "ID", "VAT")


def _seller(root, invoice: Invoice):
    party = _cac(_cac(root, "AccountingSupplierParty"), "Party")
    _cbc(party, "EndpointID", invoice.seller_enterprise_number, schemeID="0208")
    _cbc(
        _cac(party, "PartyIdentification"), "ID", invoice.seller_enterprise_number, schemeID="0208"
    )
    _cbc(_cac(party, "PartyName"), "Name", invoice.seller_name)
    _address(
        party,
        invoice.seller_street,
        invoice.seller_postcode,
        invoice.seller_municipality,
        invoice.seller_country,
    )
    if invoice.seller_vat_number:
        tax = _cac(party, "PartyTaxScheme")
        _cbc(tax, "CompanyID", invoice.seller_vat_number)
        _tax_scheme(tax)
    legal = _cac(party, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", invoice.seller_name)
    _cbc(legal, "CompanyID", invoice.seller_enterprise_number, schemeID="0208")


def _buyer(root, invoice: Invoice):
    party = _cac(_cac(root, "AccountingCustomerParty"), "Party")
    scheme = buyer_scheme(invoice)
    if scheme:
        _cbc(party, "EndpointID", scheme[1], schemeID=scheme[0])
    if invoice.buyer_enterprise_number:
        _cbc(
            _cac(party, "PartyIdentification"),
            "ID",
            invoice.buyer_enterprise_number,
            schemeID="0208",
        )
    _cbc(_cac(party, "PartyName"), "Name", invoice.buyer_name)
    _address(
        party,
        invoice.buyer_street,
        invoice.buyer_postcode,
        invoice.buyer_municipality,
        invoice.buyer_country,
    )
    if invoice.buyer_vat_number:
        tax = _cac(party, "PartyTaxScheme")
        _cbc(tax, "CompanyID", invoice.buyer_vat_number)
        _tax_scheme(tax)
    legal = _cac(party, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", invoice.buyer_name)
    if invoice.buyer_enterprise_number:
        _cbc(legal, "CompanyID", invoice.buyer_enterprise_number, schemeID="0208")


def _note(invoice: Invoice) -> str:
    parts = [invoice.note]
    if invoice.kmo_recognition_number:
        parts.append(f"KMO-portefeuille {invoice.kmo_recognition_number}")
    return " · ".join(part for part in parts if part)


def document(invoice: Invoice) -> bytes:
    """The UBL XML of the document, UTF-8 with its declaration. Needs `invoice.lines`
    (prefetched by InvoiceQuerySet.for_document) and, for a credit note, the credited invoice."""
    credit = invoice.is_credit_note
    kind = "CreditNote" if credit else "Invoice"
    currency = invoice.currency
    lines = list(invoice.lines.all())
    totals = vat_breakdown(lines)
    root = ET.Element(f"{{{NS[kind]}}}{kind}")
    _cbc(root, "CustomizationID", CUSTOMIZATION)
    _cbc(root, "ProfileID", PROFILE)
    _cbc(root, "ID", invoice.number)
    _cbc(root, "IssueDate", invoice.issue_date.isoformat())
    if not credit and invoice.due_date:
        _cbc(root, "DueDate", invoice.due_date.isoformat())
    _cbc(
        root,
        "CreditNoteTypeCode" if credit else "InvoiceTypeCode",
        CREDIT_NOTE_TYPE if credit else INVOICE_TYPE,
    )
    note = _note(invoice)
    if note:
        _cbc(root, "Note", note)
    _cbc(root, "DocumentCurrencyCode", currency)
    # Peppol R003: a buyer reference or an order reference; the buyer's own when it gave one.
    _cbc(root, "BuyerReference", invoice.buyer_reference or invoice.number)
    if credit and invoice.credited_invoice_id:
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", invoice.credited_invoice.number)
        _cbc(reference, "IssueDate", invoice.credited_invoice.issue_date.isoformat())
    _seller(root, invoice)
    _buyer(root, invoice)
    if not credit and invoice.seller_iban:
        means = _cac(root, "PaymentMeans")
        _cbc(means, "PaymentMeansCode", CREDIT_TRANSFER)
        if invoice.structured_communication:
            _cbc(means, "PaymentID", invoice.structured_communication_display)
        account = _cac(means, "PayeeFinancialAccount")
        _cbc(account, "ID", invoice.seller_iban)
        _cbc(account, "Name", invoice.seller_name)
        if invoice.seller_bic:
            _cbc(_cac(account, "FinancialInstitutionBranch"), "ID", invoice.seller_bic)
    tax_total = _cac(root, "TaxTotal")
    _amount(tax_total, "TaxAmount", totals.vat, currency)
    for subtotal in totals.subtotals:
        element = _cac(tax_total, "TaxSubtotal")
        _amount(element, "TaxableAmount", subtotal.taxable, currency)
        _amount(element, "TaxAmount", subtotal.tax, currency)
        category = _cac(element, "TaxCategory")
        _cbc(category, "ID", subtotal.category)
        _cbc(category, "Percent", _percent(subtotal.rate))
        if subtotal.category not in ("S", "Z") and subtotal.exemption_reason:
            _cbc(category, "TaxExemptionReason", subtotal.exemption_reason)
        _tax_scheme(category)
    monetary = _cac(root, "LegalMonetaryTotal")
    _amount(monetary, "LineExtensionAmount", totals.net, currency)
    _amount(monetary, "TaxExclusiveAmount", totals.net, currency)
    _amount(monetary, "TaxInclusiveAmount", totals.gross, currency)
    prepaid = Decimal("0.00") if credit else min(invoice.amount_paid, totals.gross)
    if prepaid:
        _amount(monetary, "PrepaidAmount", prepaid, currency)
    _amount(monetary, "PayableAmount", totals.gross - prepaid, currency)
    for line in lines:
        element = _cac(root, "CreditNoteLine" if credit else "InvoiceLine")
        _cbc(element, "ID", line.position)
        _cbc(
            element,
            "CreditedQuantity" if credit else "InvoicedQuantity",
            f"{line.quantity.normalize():f}",
            unitCode="C62",
        )
        _amount(element, "LineExtensionAmount", line.net_amount, currency)
        if line.period_start and line.period_end:
            period = _cac(element, "InvoicePeriod")
            _cbc(period, "StartDate", line.period_start.isoformat())
            _cbc(period, "EndDate", line.period_end.isoformat())
        item = _cac(element, "Item")
        _cbc(item, "Name", line.description[:200])
        classified = _cac(item, "ClassifiedTaxCategory")
        _cbc(classified, "ID", line.vat_category)
        _cbc(classified, "Percent", _percent(line.vat_rate))
        _tax_scheme(classified)
        price = _cac(element, "Price")
        _cbc(price, "PriceAmount", f"{line.unit_price.normalize():f}", currencyID=currency)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def filename(invoice: Invoice) -> str:
    return f"{invoice.chamber.slug}-{invoice.number}.xml"
