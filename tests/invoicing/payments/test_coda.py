"""The CODA parser on statements the tests build (tests/invoicing/coda_builder.py)."""

import datetime
from decimal import Decimal

import pytest
from stdnum.be import ogm_vcs

from invoicing import coda
from tests.invoicing.payments.coda_builder import CodaStatement, coda_file


def communication(base: str) -> str:
    return base + ogm_vcs.calc_check_digits(base)


def test_a_statement_with_a_structured_payment_a_free_one_and_a_debit():
    paid_by = communication("0108068171")
    built = (
        CodaStatement(old_balance=Decimal("1000.00"))
        .credit(Decimal("121.00"), structured=paid_by, name="Acme NV", information="Factuur")
        .credit(Decimal("50.50"), communication="lidgeld 2026 Acme")
        .debit(Decimal("7.25"), communication="Bankkosten")
    )
    [statement] = coda.parse(built.build())
    assert statement.account == built.iban
    assert statement.currency == "EUR"
    assert statement.old_balance == Decimal("1000.00")
    assert statement.new_balance == Decimal("1000.00") + Decimal("121.00") + Decimal(
        "50.50"
    ) - Decimal("7.25")
    assert statement.holder_name == built.holder
    assert statement.holder_enterprise_number == built.enterprise_number
    assert statement.creation_date == built.day
    first, second, third = statement.movements
    assert (first.amount, first.structured_communication, first.communication) == (
        Decimal("121.00"),
        paid_by,
        "",
    )
    assert first.counterparty_name == "Acme NV"
    assert first.counterparty_account == "BE71096123456769"
    assert first.counterparty_bic == "GEBABEBB"
    assert first.information == "Factuur"
    assert first.value_date == built.day
    assert (second.structured_communication, second.communication) == ("", "lidgeld 2026 Acme")
    assert third.amount == Decimal("-7.25") and not third.is_credit
    assert statement.payments_received() == [first, second]


def test_a_structured_communication_with_wrong_check_digits_is_kept_as_none():
    wrong = "010806817180"
    [statement] = coda.parse(CodaStatement().credit(Decimal("10"), structured=wrong).build())
    assert statement.movements[0].structured_communication == ""


def test_several_statements_in_one_file_and_stripped_trailing_blanks():
    first = CodaStatement(number=1).credit(Decimal("1"))
    second = CodaStatement(number=2, old_balance=first.new_balance).credit(Decimal("2"))
    data = coda_file(first, second).decode("latin-1")
    stripped = "\n".join(line.rstrip() for line in data.splitlines())
    statements = coda.parse(stripped)
    assert [s.number for s in statements] == [1, 2]
    assert statements[1].new_balance == Decimal("3")


def test_details_of_a_bank_total_are_the_payments_not_the_total():
    # One total (type 2) then its two details (type 6), under the same sequence number.
    lines = (
        CodaStatement()
        .credit(Decimal("30"), transaction_code="20150000")
        .credit(Decimal("10"), structured=communication("0000000001"), transaction_code="60150000")
        .credit(Decimal("20"), structured=communication("0000000002"), transaction_code="60150000")
        .records()
    )
    # Details share the total's sequence number: positions 3-6 of their records.
    lines = [
        line[:2] + "0001" + line[6:] if line[:2] in {"21", "22", "23"} else line for line in lines
    ]
    [statement] = coda.parse("\n".join(lines))
    assert statement.new_balance == Decimal("30")
    received = statement.payments_received()
    assert [m.amount for m in received] == [Decimal("10"), Decimal("20")]


@pytest.mark.parametrize(
    "spoil, message",
    [
        (lambda lines: lines[:-1], "slotregel"),
        (lambda lines: lines[1:], "kopregel"),
        (lambda lines: [lines[0] + "X", *lines[1:]], "128"),
        (
            lambda lines: [
                *lines[:2],
                lines[2][:32] + "00000000000A000" + lines[2][47:],
                *lines[3:],
            ],
            "bedrag",
        ),
        (
            lambda lines: [
                *lines[:-2],
                lines[-2][:42] + "000000000999000" + lines[-2][57:],
                lines[-1],
            ],
            "saldo",
        ),
        (
            lambda lines: [*lines[:-1], lines[-1][:37] + "000000000999000" + lines[-1][52:]],
            "totalen",
        ),
        (lambda lines: [lines[0][:127] + "1", *lines[1:]], "versie 2"),
        (lambda lines: [*lines[:2], "7" + lines[2][1:], *lines[3:]], "recordtype"),
        (lambda lines: [], "leeg"),
    ],
)
def test_a_spoilt_file_is_refused_with_where_and_why(spoil, message):
    lines = CodaStatement().credit(Decimal("12.34")).records()
    with pytest.raises(coda.CodaError) as refused:
        coda.parse("\n".join(spoil(lines)))
    assert message in str(refused.value)


def test_dates_and_the_duplicate_flag():
    built = CodaStatement(day=datetime.date(2026, 12, 31)).credit(Decimal("1"))
    lines = built.records()
    lines[0] = lines[0][:16] + "D" + lines[0][17:]
    [statement] = coda.parse("\n".join(lines))
    assert statement.is_duplicate
    assert statement.creation_date == datetime.date(2026, 12, 31)
    assert statement.movements[0].entry_date == datetime.date(2026, 12, 31)
