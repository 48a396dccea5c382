"""Belgian CODA bank statements (Febelfin's standard, version 2): a parser.

A CODA file is a sequence of fixed-width records of 128 characters, one a line:

    0   header: creation date, bank, addressee, BIC, the account holder's enterprise number
    1   old balance: the account (IBAN) and currency, the balance and its date, the statement number
    21  a movement: sign, amount, value date, transaction code, the communication (structured:
        flag 1 and type 101 with the 12 digits of +++123/4567/89012+++) and the entry date
    22  the movement continued: more communication, the customer reference, the counterparty's BIC
    23  the movement continued: the counterparty's account and name, more communication
    31/32/33  information about a movement (free text or structured)
    4   free communication
    8   new balance
    9   trailer: the number of records and the totals of debits and credits

One file may hold several statements (0 … 9 repeated). Amounts have 15 digits, the last three
decimals; dates are DDMMYY. The parser is strict where a mistake would book money wrongly (a
record of the wrong length, an amount or date that is not digits, a balance that does not add up,
a trailer whose totals differ) and tolerant elsewhere (text is stripped, unknown record types
are refused). It reads the file only: reconciliation (invoicing/reconciliation.py) decides what
the movements pay.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.be import ogm_vcs

RECORD_LENGTH = 128

# The first digit of a movement's transaction code: 0 a simple amount, 1 an amount totalled by
# the customer, 2 by the bank, 3 a simple amount with details; 5-9 are the details of such a
# total. The account's balance moves by the booked amounts (0-3) only.
BOOKED_TYPES = frozenset("0123")
DETAIL_TYPES = frozenset("56789")


class CodaError(ValueError):
    """The file is not a CODA statement the portal can trust; the message says where."""

    def __init__(self, message, *, line: int | None = None):
        self.line = line
        super().__init__(message)

    def __str__(self):
        message = str(self.args[0])
        if self.line is None:
            return message
        return str(_("Regel %(line)s: %(message)s") % {"line": self.line, "message": message})


@dataclass
class Movement:
    """One movement (records 21, 22, 23 and the 31/32/33 that follow it)."""

    sequence: int
    detail: int
    bank_reference: str
    amount: Decimal  # positive for money in, negative for money out
    value_date: datetime.date | None
    entry_date: datetime.date | None
    transaction_code: str
    structured_communication: str = ""  # the 12 digits, checked (mod 97), or ""
    communication: str = ""  # free text (or a structured one of another type)
    counterparty_name: str = ""
    counterparty_account: str = ""
    counterparty_bic: str = ""
    information: str = ""  # from the 31/32/33 records

    @property
    def is_credit(self) -> bool:
        return self.amount > 0

    @property
    def is_booked(self) -> bool:
        """Whether this amount is booked on the account (not a detail of a total)."""
        return self.transaction_code[:1] in BOOKED_TYPES

    @property
    def is_detail(self) -> bool:
        return self.transaction_code[:1] in DETAIL_TYPES


@dataclass
class Statement:
    """One statement of one account: header, balances, movements."""

    creation_date: datetime.date
    bank_id: str
    addressee: str
    bic: str
    holder_enterprise_number: str
    account: str = ""
    currency: str = ""
    number: int = 0
    holder_name: str = ""
    old_balance: Decimal = Decimal("0")
    old_balance_date: datetime.date | None = None
    new_balance: Decimal = Decimal("0")
    new_balance_date: datetime.date | None = None
    movements: list[Movement] = field(default_factory=list)
    is_duplicate: bool = False

    def payments_received(self) -> list[Movement]:
        """The money in that may pay an invoice: credits that are not a bank's total of details
        (where a bank totals collections, the details carry the communications)."""
        detailed = {m.sequence for m in self.movements if m.is_detail}
        return [
            m
            for m in self.movements
            if m.is_credit and not (m.transaction_code[:1] in "12" and m.sequence in detailed)
        ]


def _amount(text: str, sign: str, line: int) -> Decimal:
    if not text.isdigit() or sign not in "01":
        raise CodaError(_("ongeldig bedrag."), line=line)
    value = Decimal(text) / 1000
    return -value if sign == "1" else value


def _date(text: str, line: int, *, optional: bool = False) -> datetime.date | None:
    if optional and text.strip("0 ") == "":
        return None
    try:
        return datetime.date(2000 + int(text[4:6]), int(text[2:4]), int(text[0:2]))
    except ValueError:
        raise CodaError(_("ongeldige datum."), line=line) from None


def _int(text: str, line: int) -> int:
    text = text.strip() or "0"
    if not text.isdigit():
        raise CodaError(_("ongeldig volgnummer."), line=line)
    return int(text)


def _structured(communication: str) -> str:
    """The 12 digits of a Belgian structured communication (type 101), checked, or ""."""
    if communication[:3] != "101":
        return ""
    digits = communication[3:15]
    try:
        return ogm_vcs.validate(digits)
    except stdnum_errors.ValidationError:
        return ""


def _account(text: str, structure: str) -> tuple[str, str]:
    """The account number and currency of a 37-character zone, by its structure code."""
    if structure == "0":  # Belgian account number: 12 digits, blank, currency
        return text[0:12].strip(), text[13:16].strip()
    if structure == "1":  # foreign account number: 34 characters, currency
        return text[0:34].strip(), text[34:37].strip()
    if structure == "2":  # Belgian IBAN: 16 characters, blanks, currency at the end
        return text[0:16].strip(), text[34:37].strip()
    return text[0:34].strip(), text[34:37].strip()  # 3: foreign IBAN


def parse(data: bytes | str) -> list[Statement]:
    """The statements of a CODA file, or CodaError. Bytes are read as Latin-1 (the banks' usual
    encoding; CP1252 and UTF-8 differ only in letters of the names)."""
    text = data.decode("latin-1") if isinstance(data, bytes) else data
    lines = [line.rstrip("\r") for line in text.split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise CodaError(_("Het bestand is leeg."))
    statements: list[Statement] = []
    statement: Statement | None = None
    movement: Movement | None = None
    debit = credit = Decimal("0")
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        # Some banks strip trailing blanks: pad them back, but never accept a longer record.
        if len(raw) > RECORD_LENGTH:
            raise CodaError(_("een record heeft 128 tekens."), line=number)
        record = raw.ljust(RECORD_LENGTH)
        kind = record[0]
        if kind == "0":
            if statement is not None:
                raise CodaError(
                    _("een nieuw uittreksel begint voor het vorige afsloot."), line=number
                )
            if record[127] != "2":
                raise CodaError(_("alleen CODA versie 2 wordt gelezen."), line=number)
            statement = Statement(
                creation_date=_date(record[5:11], number),
                bank_id=record[11:14].strip(),
                is_duplicate=record[16] == "D",
                addressee=record[34:60].strip(),
                bic=record[60:71].strip(),
                holder_enterprise_number=record[71:82].strip(),
            )
            movement = None
            debit = credit = Decimal("0")
            continue
        if statement is None:
            raise CodaError(_("het bestand begint niet met een kopregel (record 0)."), line=number)
        if kind == "1":
            statement.account, statement.currency = _account(record[5:42], record[1])
            statement.old_balance = _amount(record[43:58], record[42], number)
            statement.old_balance_date = _date(record[58:64], number)
            statement.holder_name = record[64:90].strip()
            statement.number = _int(record[125:128], number)
        elif kind == "2":
            article = record[1]
            if article == "1":
                amount = _amount(record[32:47], record[31], number)
                communication = record[62:115]
                structured = _structured(communication) if record[61] == "1" else ""
                movement = Movement(
                    sequence=_int(record[2:6], number),
                    detail=_int(record[6:10], number),
                    bank_reference=record[10:31].strip(),
                    amount=amount,
                    value_date=_date(record[47:53], number, optional=True),
                    entry_date=_date(record[115:121], number, optional=True),
                    transaction_code=record[53:61],
                    structured_communication=structured,
                    communication="" if structured else communication.strip(),
                )
                statement.movements.append(movement)
                if movement.is_booked:
                    if amount < 0:
                        debit -= amount
                    else:
                        credit += amount
            elif movement is None:
                raise CodaError(_("een vervolgrecord zonder beweging."), line=number)
            elif article == "2":
                movement.communication = (movement.communication + record[10:63].rstrip()).strip()
                movement.counterparty_bic = record[98:109].strip()
            elif article == "3":
                movement.counterparty_account = record[10:44].strip()
                movement.counterparty_name = record[47:82].strip()
                movement.communication = (movement.communication + record[82:125].rstrip()).strip()
            else:
                raise CodaError(_("onbekend recordtype."), line=number)
        elif kind == "3":
            if movement is None:
                raise CodaError(_("een informatierecord zonder beweging."), line=number)
            zone = {"1": record[40:113], "2": record[10:115], "3": record[10:100]}.get(record[1])
            if zone is None:
                raise CodaError(_("onbekend recordtype."), line=number)
            movement.information = (movement.information + " " + zone.strip()).strip()
        elif kind == "4":
            pass  # free communication: nothing the reconciliation uses
        elif kind == "8":
            statement.new_balance = _amount(record[42:57], record[41], number)
            statement.new_balance_date = _date(record[57:63], number)
        elif kind == "9":
            declared_debit = _amount(record[22:37], "0", number)
            declared_credit = _amount(record[37:52], "0", number)
            if (declared_debit, declared_credit) != (debit, credit):
                raise CodaError(
                    _("de totalen in de slotregel kloppen niet met de bewegingen."), line=number
                )
            if statement.old_balance + credit - debit != statement.new_balance:
                raise CodaError(
                    _("het nieuwe saldo is niet het oude plus de bewegingen."), line=number
                )
            statements.append(statement)
            statement = None
            movement = None
        else:
            raise CodaError(_("onbekend recordtype."), line=number)
    if statement is not None:
        raise CodaError(_("het bestand eindigt zonder slotregel (record 9)."))
    return statements
