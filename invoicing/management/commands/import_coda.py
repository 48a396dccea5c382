"""Read CODA bank statements and book the money in, as the staff page does (docs/payments.md).

    manage.py import_coda FILE [FILE …] [--chamber SLUG]

For the bank's nightly file drop. The account on each file must be a chamber's IBAN (of
--chamber, when given). A file read before is skipped; anything refused is said and the
command ends non-zero after the other files.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alliance.base import audit
from alliance.base.models import DomainError
from chambers.models import Chamber
from invoicing.payments import services
from invoicing.payments.models import BankTransaction


class Command(BaseCommand):
    help = "Read CODA bank statement files and reconcile them with the open invoices."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--chamber", help="only this chamber's account (its slug)")

    def handle(self, *args, files, chamber=None, **options):
        chambers = Chamber.objects.all()
        if chamber:
            chambers = chambers.filter(slug=chamber)
            if not chambers.exists():
                raise CommandError(f"No chamber {chamber!r}.")
        failed = 0
        with audit.command_context("import_coda"):
            for path in files:
                try:
                    data = path.read_bytes()
                except OSError as error:
                    self.stderr.write(f"{path}: {error}")
                    failed += 1
                    continue
                try:
                    statement = services.statement_import(
                        chambers=chambers, data=data, file_name=path.name, actor=None
                    )
                except DomainError as error:
                    self.stderr.write(f"{path}: {error.message}")
                    failed += error.code != "duplicate"
                    continue
                outcomes = dict.fromkeys(BankTransaction.Outcome.values, 0)
                for outcome in statement.transactions.values_list("outcome", flat=True):
                    outcomes[outcome] += 1
                summary = ", ".join(f"{count} {name}" for name, count in outcomes.items())
                self.stdout.write(f"{path}: {statement.account}: {summary}")
        if failed:
            raise CommandError(f"{failed} file(s) not read.")
