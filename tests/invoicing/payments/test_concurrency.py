"""Real threads on real connections: a webhook that arrives many times at once, and a bank
statement read while the webhook books, count each payment once."""

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection

from invoicing.models import BankTransaction, Invoice
from invoicing.payments import services
from tests.factories import ChamberFactory, CompanyFactory
from tests.invoicing.payments.coda_builder import CodaStatement
from tests.invoicing.payments.helpers import make_invoice

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_invoice(db):
    chamber = ChamberFactory(iban="BE68539007547034")
    return make_invoice(chamber=chamber, company=CompanyFactory(), net=Decimal("100.00"))


def in_threads(count, work):
    start = threading.Barrier(count)

    def run(i):
        try:
            start.wait()
            return work(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_ten_webhooks_at_once_book_the_payment_once(fake_mollie, open_invoice):
    payment = services.payment_start(invoice=open_invoice, method="bancontact", actor=None)
    fake_mollie.set_status(payment.provider_id, "paid")
    results = in_threads(10, lambda i: services.payment_refresh(provider_id=payment.provider_id))
    assert {r.status for r in results} == {"paid"}
    open_invoice.refresh_from_db()
    assert open_invoice.amount_paid == open_invoice.total_gross
    assert open_invoice.status == Invoice.Status.PAID


def test_a_statement_and_a_webhook_at_once_both_count(fake_mollie, open_invoice):
    """The member paid online and, by mistake, by transfer too: both are booked, the second
    is flagged as too much, whichever came first."""
    payment = services.payment_start(invoice=open_invoice, method="bancontact", actor=None)
    fake_mollie.set_status(payment.provider_id, "paid")
    data = (
        CodaStatement(iban=open_invoice.chamber.iban)
        .credit(open_invoice.total_gross, structured=open_invoice.structured_communication)
        .build()
    )

    def work(i):
        if i == 0:
            return services.payment_refresh(provider_id=payment.provider_id)
        return services.statement_import(
            chambers=[open_invoice.chamber], data=data, file_name="k.cod", actor=None
        )

    in_threads(2, work)
    open_invoice.refresh_from_db()
    assert open_invoice.amount_paid == 2 * open_invoice.total_gross
    assert open_invoice.status == Invoice.Status.PAID
    bank = BankTransaction.objects.get()
    payment.refresh_from_db()
    # Whichever came second is flagged for staff.
    assert (bank.outcome, bool(payment.problem)) in {("paid", True), ("overpaid", False)}
