"""Builds CODA statements (version 2, 128-character records) for the tests, as a bank writes them.

statement = CodaStatement(iban="BE68539007547034", old_balance=Decimal("100.00"))
statement.credit(Decimal("121.00"), structured="010806817183", name="Acme NV")
statement.debit(Decimal("5.00"), communication="Bankkosten")
data = statement.build()   # bytes, Latin-1, CRLF line ends
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


def _fit(text: str, width: int) -> str:
    return str(text)[:width].ljust(width)


def _num(value: int, width: int) -> str:
    return str(value).rjust(width, "0")


def _amount(value: Decimal) -> tuple[str, str]:
    sign = "1" if value < 0 else "0"
    return sign, _num(int((abs(value) * 1000).to_integral_value()), 15)


def _date(day: datetime.date) -> str:
    return day.strftime("%d%m%y")


@dataclass
class _Movement:
    amount: Decimal
    structured: str
    communication: str
    name: str
    account: str
    bic: str
    value_date: datetime.date
    information: str
    transaction_code: str


@dataclass
class CodaStatement:
    iban: str = "BE68539007547034"
    currency: str = "EUR"
    old_balance: Decimal = Decimal("0")
    day: datetime.date = field(default_factory=lambda: datetime.date(2026, 3, 2))
    number: int = 1
    holder: str = "Voka Kempen"
    bic: str = "GKCCBEBB"
    enterprise_number: str = "00404454412"
    movements: list[_Movement] = field(default_factory=list)

    def credit(
        self,
        amount: Decimal,
        *,
        structured: str = "",
        communication: str = "",
        name: str = "Betaler NV",
        account: str = "BE71096123456769",
        bic: str = "GEBABEBB",
        information: str = "",
        transaction_code: str = "00150000",
    ) -> CodaStatement:
        self.movements.append(
            _Movement(
                amount,
                structured,
                communication,
                name,
                account,
                bic,
                self.day,
                information,
                transaction_code,
            )
        )
        return self

    def debit(self, amount: Decimal, **kwargs) -> CodaStatement:
        kwargs.setdefault("transaction_code", "00130000")
        return self.credit(-amount, **kwargs)

    @property
    def new_balance(self) -> Decimal:
        booked = [m for m in self.movements if m.transaction_code[0] in "0123"]
        return self.old_balance + sum((m.amount for m in booked), Decimal("0"))

    def records(self) -> list[str]:
        day = _date(self.day)
        account = _fit(self.iban, 34) + _fit(self.currency, 3)
        lines = [
            "0"
            + "0000"
            + day
            + "300"
            + "05"
            + " "
            + " " * 7
            + _fit("REF0001", 10)
            + _fit(self.holder, 26)
            + _fit(self.bic, 11)
            + _fit(self.enterprise_number, 11)
            + " "
            + "00000"
            + " " * 16
            + " " * 16
            + " " * 7
            + "2"
        ]
        sign, value = _amount(self.old_balance)
        lines.append(
            "1"
            + "2"
            + _num(self.number, 3)
            + account
            + sign
            + value
            + day
            + _fit(self.holder, 26)
            + _fit("Zichtrekening", 35)
            + _num(self.number, 3)
        )
        debit = credit = Decimal("0")
        for sequence, m in enumerate(self.movements, start=1):
            sign, value = _amount(m.amount)
            if m.transaction_code[0] in "0123":
                if m.amount < 0:
                    debit -= m.amount
                else:
                    credit += m.amount
            if m.structured:
                flag, zone = "1", "101" + m.structured
            else:
                flag, zone = "0", m.communication
            lines.append(
                "21"
                + _num(sequence, 4)
                + "0000"
                + _fit(f"BANKREF{sequence:04d}", 21)
                + sign
                + value
                + _date(m.value_date)
                + m.transaction_code
                + flag
                + _fit(zone, 53)
                + day
                + _num(self.number, 3)
                + "0"
                + "1"
                + " "
                + ("1" if m.information else "0")
            )
            lines.append(
                "22"
                + _num(sequence, 4)
                + "0000"
                + _fit("", 53)
                + _fit("", 35)
                + _fit(m.bic, 11)
                + " " * 3
                + " "
                + " " * 4
                + " " * 4
                + " " * 4
                + "1"
                + " "
                + "0"
            )
            lines.append(
                "23"
                + _num(sequence, 4)
                + "0000"
                + _fit(m.account, 34)
                + _fit("EUR", 3)
                + _fit(m.name, 35)
                + _fit("", 43)
                + "0"
                + " "
                + "0"
            )
            if m.information:
                lines.append(
                    "31"
                    + _num(sequence, 4)
                    + "0001"
                    + _fit(f"BANKREF{sequence:04d}", 21)
                    + m.transaction_code
                    + "0"
                    + _fit(m.information, 73)
                    + " " * 12
                    + "0"
                    + " "
                    + "0"
                )
        sign, value = _amount(self.new_balance)
        lines.append("8" + _num(self.number, 3) + account + sign + value + day + " " * 64 + "0")
        lines.append(
            "9"
            + " " * 15
            + _num(len(lines) - 1, 6)
            + _amount(debit)[1]
            + _amount(credit)[1]
            + " " * 75
            + "2"
        )
        for line in lines:
            assert len(line) == 128, (len(line), line)
        return lines

    def build(self) -> bytes:
        return ("\r\n".join(self.records()) + "\r\n").encode("latin-1")


def coda_file(*statements: CodaStatement) -> bytes:
    """Several statements in one file, as some banks send them."""
    return b"".join(statement.build() for statement in statements)
