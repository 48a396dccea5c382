"""Invoices for the payments tests, written directly (the invoicing services issue the real
ones; these tests are about what happens after): open, with a structured communication."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone
from stdnum.be import ogm_vcs

from invoicing.models import Invoice

# Far from the numbers invoicing.services gives (1, 2, …) and from its communications (which
# start with the year): the two kinds of invoice can share a chamber in one test.
_numbers = itertools.count(90001)


def communication_for(base: int) -> str:
    digits = f"{base:010d}"
    return digits + ogm_vcs.calc_check_digits(digits)


def make_invoice(
    *,
    chamber,
    company,
    net: Decimal = Decimal("100.00"),
    vat: Decimal | None = None,
    due_in_days: int = 30,
    issue_date: datetime.date | None = None,
    **fields,
) -> Invoice:
    vat = (net * Decimal("0.21")).quantize(Decimal("0.01")) if vat is None else vat
    issue_date = issue_date or timezone.localdate()
    sequence = next(_numbers)
    number = f"{issue_date.year}-{sequence:05d}"
    defaults = {
        "chamber": chamber,
        "company": company,
        "year": issue_date.year,
        "sequence": sequence,
        "number": number,
        "issue_date": issue_date,
        "due_date": issue_date + datetime.timedelta(days=due_in_days),
        "buyer_name": company.name,
        "seller_name": chamber.name,
        "seller_iban": chamber.iban,
        "structured_communication": communication_for(
            9 * 10**9 + (chamber.pk % 10000) * 10**5 + sequence % 10**5
        ),
        "total_net": net,
        "total_vat": vat,
        "total_gross": net + vat,
    }
    defaults.update(fields)
    return Invoice.objects.create(**defaults)
