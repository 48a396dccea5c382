"""Sending over Peppol through the access points: a file drop and an HTTP access point (a local
server speaking the same protocol), retried, with the status on the invoice."""

import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from invoicing import access_points, sending, services, tasks
from invoicing.models import Invoice, Product
from invoicing.services import LineData
from tests.factories import CompanyFactory


def _issue(seller, **company):
    return services.invoice_issue(
        chamber=seller,
        company=CompanyFactory(**company),
        lines=[LineData("Forum", Product.Kind.EVENT_FEE, Decimal("100"))],
    )


class AccessPointServer:
    """A local access point: answers `status` and keeps what it received."""

    def __init__(self):
        self.received, self.status = [], 201
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((dict(self.headers), body))
                self.send_response(outer.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps({"id": f"ap-{len(outer.received)}"}).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/documents"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def access_point(settings):
    server = AccessPointServer()
    settings.INVOICING_ACCESS_POINT = "http"
    settings.INVOICING_ACCESS_POINT_URL = server.url
    settings.INVOICING_ACCESS_POINT_TOKEN = "secret-token"
    yield server
    server.close()


def test_file_drop_writes_the_ubl_and_marks_sent(seller, settings, tmp_path):
    settings.INVOICING_ACCESS_POINT = "file"
    settings.INVOICING_FILE_DROP_DIR = str(tmp_path)
    invoice = _issue(seller)
    assert sending.invoices_to_send() == [invoice.pk]
    assert tasks.send_due.delay() is not None
    invoice.refresh_from_db()
    assert invoice.sending_status == Invoice.SendingStatus.SENT
    assert invoice.sent_at is not None
    (dropped,) = tmp_path.iterdir()
    assert dropped.name == f"{seller.slug}-{invoice.number}.xml"
    assert invoice.number.encode() in dropped.read_bytes()
    assert sending.invoices_to_send() == []


def test_http_access_point_receives_the_document_once(seller, access_point):
    invoice = _issue(seller)
    assert tasks.send_invoice.delay(invoice.pk).get() == Invoice.SendingStatus.SENT
    # A second delivery of the same task sends nothing.
    tasks.send_invoice.delay(invoice.pk)
    invoice.refresh_from_db()
    assert len(access_point.received) == 1
    headers, body = access_point.received[0]
    assert headers["Authorization"] == "Bearer secret-token"
    assert headers["X-Peppol-Receiver"] == f"0208:{invoice.buyer_enterprise_number}"
    assert body.startswith(b"<?xml")
    assert invoice.access_point_reference == "ap-1"


def test_a_refusing_access_point_is_retried_then_left_failed(seller, access_point, settings):
    settings.INVOICING_SEND_MAX_ATTEMPTS = 2
    access_point.status = 503
    invoice = _issue(seller)
    with pytest.raises(access_points.AccessPointError):
        sending.invoice_send(invoice_id=invoice.pk)
    invoice.refresh_from_db()
    assert invoice.sending_status == Invoice.SendingStatus.FAILED
    assert invoice.sending_attempts == 1 and "503" in invoice.sending_error
    assert sending.invoices_to_send() == [invoice.pk]  # tried again by the next run
    access_point.status = 201
    assert sending.invoice_send(invoice_id=invoice.pk) == Invoice.SendingStatus.SENT
    invoice.refresh_from_db()
    assert invoice.sending_attempts == 2 and invoice.sending_error == ""


def test_an_invalid_document_is_never_sent(seller, access_point):
    invoice = _issue(seller)
    # Without the seller's VAT number a 21 % invoice breaks EN 16931's BR-S-02.
    Invoice.objects.filter(pk=invoice.pk).update(seller_vat_number="")
    assert sending.invoice_send(invoice_id=invoice.pk) == Invoice.SendingStatus.FAILED
    invoice.refresh_from_db()
    assert access_point.received == []
    assert "[BR-S-02]" in invoice.sending_error
    assert sending.invoices_to_send() == []
