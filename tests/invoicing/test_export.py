"""manage.py invoices_export: UBL files per document, the CSV list, by chamber and period."""

import csv
import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from invoicing import services
from invoicing.models import Product
from invoicing.peppol import validate
from invoicing.services import LineData
from tests.factories import CompanyFactory
from tests.invoicing.conftest import make_seller


@pytest.fixture
def documents(seller, mechelen):
    other = make_seller(mechelen, 2)
    line = [LineData("Forum", Product.Kind.EVENT_FEE, Decimal("100"))]
    company = CompanyFactory()
    march = services.invoice_issue(
        chamber=seller, company=company, lines=line, issue_date=datetime.date(2026, 3, 1)
    )
    may = services.invoice_issue(
        chamber=seller, company=company, lines=line, issue_date=datetime.date(2026, 5, 1)
    )
    note = services.credit_note_issue(invoice=march, issue_date=datetime.date(2026, 3, 5))
    elsewhere = services.invoice_issue(
        chamber=other, company=company, lines=line, issue_date=datetime.date(2026, 3, 2)
    )
    return march, may, note, elsewhere


def test_ubl_export_of_a_chamber_and_period(documents, seller, tmp_path):
    march, _may, note, _elsewhere = documents
    call_command(
        "invoices_export",
        "--format",
        "ubl",
        "--chamber",
        seller.slug,
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--out",
        str(tmp_path),
    )
    files = sorted(path.name for path in tmp_path.iterdir())
    assert files == sorted(
        [f"{seller.slug}-{march.number}.xml", f"{seller.slug}-{note.number}.xml"]
    )
    for path in tmp_path.iterdir():
        assert validate.fatal_errors(path.read_bytes()) == []


def test_csv_export_lists_every_document(documents, tmp_path):
    call_command("invoices_export", "--format", "csv", "--out", str(tmp_path))
    with (tmp_path / "invoices.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert len(rows) == 1 + len(documents)
    numbers = {row[1] for row in rows[1:]}
    assert numbers == {document.number for document in documents}
    credit = next(row for row in rows if row[1] == documents[2].number)
    assert credit[11] == documents[0].number


def test_unknown_chamber_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="no chamber"):
        call_command(
            "invoices_export", "--format", "csv", "--chamber", "nope", "--out", str(tmp_path)
        )
