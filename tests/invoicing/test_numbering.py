"""Numbers per issuing chamber without gaps or doubles, with real threads on real connections."""

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection, transaction

from invoicing import services
from invoicing.models import Invoice, Product
from invoicing.services import LineData
from tests.factories import ChamberFactory, CompanyFactory
from tests.invoicing.conftest import make_seller

THREADS = 12


@pytest.mark.django_db(transaction=True)
def test_parallel_issues_get_consecutive_numbers_per_chamber():
    first, second = make_seller(ChamberFactory(), 1), make_seller(ChamberFactory(), 2)
    company = CompanyFactory()
    start = threading.Barrier(THREADS)
    pids = set()

    def issue(index):
        try:
            start.wait()
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pids.add(cursor.fetchone()[0])
            invoice = services.invoice_issue(
                chamber=first if index % 2 else second,
                company=company,
                lines=[LineData(f"Forum {index}", Product.Kind.EVENT_FEE, Decimal("10"))],
            )
            return invoice.chamber_id, invoice.number
        finally:
            connection.close()

    with ThreadPoolExecutor(THREADS) as pool:
        numbers = list(pool.map(issue, range(THREADS)))

    assert len(pids) == THREADS  # one connection each: a real race
    assert len(set(numbers)) == THREADS
    for chamber in (first, second):
        sequences = sorted(
            Invoice.objects.filter(chamber=chamber).values_list("sequence", flat=True)
        )
        assert sequences == list(range(1, THREADS // 2 + 1))


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_issue_gives_its_number_back():
    chamber = make_seller(ChamberFactory(), 3)
    company = CompanyFactory()
    line = [LineData("Forum", Product.Kind.EVENT_FEE, Decimal("10"))]
    with pytest.raises(RuntimeError), transaction.atomic():
        services.invoice_issue(chamber=chamber, company=company, lines=line)
        raise RuntimeError("the caller's transaction fails after the issue")
    invoice = services.invoice_issue(chamber=chamber, company=company, lines=line)
    assert invoice.sequence == 1
    assert Invoice.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_issues_for_one_source_bill_once():
    chamber = make_seller(ChamberFactory(), 4)
    company = CompanyFactory()
    start = threading.Barrier(4)

    def issue(_index):
        try:
            start.wait()
            return services.invoice_issue(
                chamber=chamber,
                company=company,
                lines=[LineData("Forum", Product.Kind.EVENT_FEE, Decimal("10"))],
                source_kind=Invoice.Source.REGISTRATION,
                source_id=4242,
            ).pk
        finally:
            connection.close()

    with ThreadPoolExecutor(4) as pool:
        ids = set(pool.map(issue, range(4)))
    assert len(ids) == 1
    assert Invoice.objects.filter(source_id=4242).count() == 1
