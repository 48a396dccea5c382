"""The pages: a company sees only its own documents; staff see their chambers' and export them."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse

from invoicing import services
from invoicing.models import Product
from invoicing.services import LineData
from tests.factories import CompanyFactory, EventFactory
from tests.helpers import reauthenticate
from tests.invoicing.conftest import make_seller


def _issue(chamber, company, amount="100"):
    return services.invoice_issue(
        chamber=chamber,
        company=company,
        lines=[LineData("Forum", Product.Kind.EVENT_FEE, Decimal(amount))],
    )


@pytest.fixture
def documents(seller, antwerpen, company):
    make_seller(antwerpen, 7)
    own = _issue(seller, company)
    note = services.credit_note_issue(invoice=own)
    other_company = _issue(seller, CompanyFactory(name="Andere Zaak BV"))
    other_chamber = _issue(antwerpen, CompanyFactory(name="Verre Zaak BV"))
    return own, note, other_company, other_chamber


def test_a_member_sees_only_the_company_s_own(member_client, documents):
    own, note, other_company, _other_chamber = documents
    page = member_client.get(reverse("me:invoices"))
    assert page.status_code == 200
    text = page.content.decode()
    assert own.number in text and note.number in text
    assert "Andere Zaak" not in text and own.structured_communication_display not in text
    pdf = member_client.get(reverse("me:invoice_pdf", args=[own.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xml = member_client.get(reverse("me:invoice_ubl", args=[note.pk]))
    assert b"CreditNote" in xml.content
    assert member_client.get(reverse("me:invoice_pdf", args=[other_company.pk])).status_code == 404
    assert member_client.get(reverse("me:invoice_ubl", args=[other_company.pk])).status_code == 404


def test_staff_see_and_export_their_chambers_documents(client, chamber_admin, documents):
    own, note, other_company, other_chamber = documents
    client.force_login(chamber_admin)
    text = client.get(reverse("staff:invoices")).content.decode()
    assert own.number in text and "Andere Zaak" in text and "Verre Zaak" not in text
    # The exports carry companies' data and registrants' names: a fresh confirmation first.
    for name in ("staff:invoice_export_csv", "staff:invoice_export_ubl"):
        stale = client.get(reverse(name))
        assert stale.status_code == 302 and "reauthenticate" in stale["Location"]
    reauthenticate(client)
    listing = client.get(reverse("staff:invoice_export_csv"), {"kind": "invoice"})
    rows = list(csv.reader(io.StringIO(listing.content.decode()), delimiter=";"))
    assert sorted(row[1] for row in rows[1:]) == sorted([own.number, other_company.number])
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("staff:invoice_export_ubl")).content))
    assert len(archive.namelist()) == 3  # two invoices and the credit note, not Antwerpen's
    assert client.get(reverse("staff:invoice_pdf", args=[other_chamber.pk])).status_code == 404
    assert (
        client.get(reverse("staff:invoices"), {"chamber": "antwerpen-waasland"}).status_code == 404
    )


def test_the_event_page_shows_the_kmo_recognition_number(client, seller):
    event = EventFactory(organiser=seller, kind="training", kmo_recognition_number="DV.O123987")
    page = client.get(reverse("events:detail", args=[event.slug]))
    assert "DV.O123987" in page.content.decode()


def test_a_chamber_admin_credits_an_open_invoice_with_a_reason(client, chamber_admin, documents):
    _own, _note, other_company, _other_chamber = documents
    client.force_login(chamber_admin)
    refused = client.post(reverse("staff:invoice_credit", args=[other_company.pk]), {"reason": ""})
    assert refused.status_code == 302 and not other_company.credit_notes.exists()
    client.post(
        reverse("staff:invoice_credit", args=[other_company.pk]), {"reason": "Dubbel gefactureerd"}
    )
    note = other_company.credit_notes.get()
    assert note.note == "Dubbel gefactureerd" and note.total_gross == other_company.total_gross


def test_a_viewer_may_not_credit(client, viewer, documents):
    client.force_login(viewer)
    answer = client.post(
        reverse("staff:invoice_credit", args=[documents[2].pk]), {"reason": "Waarom niet"}
    )
    assert answer.status_code == 403
    assert not documents[2].credit_notes.exists()
