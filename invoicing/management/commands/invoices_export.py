"""manage.py invoices_export --format ubl|csv [--chamber SLUG] [--from DATE] [--to DATE] --out DIR

One UBL file per invoice and credit note (ubl), or the accountant's list (csv, invoices.csv),
issued in the period (both dates included); for staff's exports and for a nightly job.
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chambers.models import Chamber
from invoicing import exports
from invoicing.models import Invoice


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from error


class Command(BaseCommand):
    help = "Export invoices and credit notes as UBL files or as a CSV list."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["ubl", "csv"], required=True)
        parser.add_argument("--chamber", help="the issuing chamber's slug (default: all)")
        parser.add_argument("--from", dest="start", type=_date, help="first issue date")
        parser.add_argument("--to", dest="end", type=_date, help="last issue date")
        parser.add_argument("--out", required=True, type=Path, help="the folder to write to")

    def handle(self, *args, format, chamber, start, end, out, **options):
        queryset = Invoice.objects.issued_between(start, end)
        if chamber:
            found = Chamber.objects.filter(slug=chamber).first()
            if found is None:
                raise CommandError(f"no chamber with slug {chamber!r}")
            queryset = queryset.filter(chamber=found)
        if format == "csv":
            out.mkdir(parents=True, exist_ok=True)
            path = out / "invoices.csv"
            rows = queryset.select_related("chamber", "credited_invoice").order_by(
                "chamber__slug", "kind", "year", "sequence"
            )
            path.write_text(exports.csv_text(rows.iterator(chunk_size=500)), encoding="utf-8")
            self.stdout.write(f"{rows.count()} documents → {path}")
        else:
            count = exports.write_ubl(queryset, out)
            self.stdout.write(f"{count} documents → {out}")
