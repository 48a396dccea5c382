"""Every write of invoicing: issuing invoices and credit notes, dues, payments, sending.

Issuing takes the chamber's counter row for the document's kind and year with SELECT ... FOR
UPDATE in the same transaction that writes the document: concurrent issues wait for each other
for the few milliseconds the insert takes, and a rolled-back issue gives its number back.
Nothing else (no PDF, no XML, no e-mail, no HTTP) happens while the lock is held; sending over
Peppol is enqueued on commit (invoicing.tasks.send_invoice).

Amounts follow EN 16931: a line's net amount is quantity × price rounded half up to the cent;
each VAT category's tax is its taxable amount × rate, rounded once; the totals are sums of the
rounded figures (BR-CO-10, BR-CO-14, BR-CO-15, BR-CO-17).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.base import mail
from alliance.base.models import DomainError
from chambers import roles
from invoicing import communication, permissions
from invoicing.models import (
    FeeSchedule,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    Product,
    VatCategory,
)
from members.models import Membership, Person

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
DEFAULT_VAT_RATE = Decimal("21.00")


def money(amount: Decimal) -> Decimal:
    """Rounded half up to the cent, as EN 16931 rounds every amount it states."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineData:
    """What a service that charges passes in for one line (invoicing imports none of them)."""

    description: str
    product_kind: str
    unit_price: Decimal
    quantity: Decimal = Decimal("1")
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    source_kind: str = ""
    source_id: int | None = None


@dataclass(frozen=True)
class VatSubtotal:
    """One VAT breakdown (EN 16931 BG-23): a category and rate, its taxable amount and tax."""

    category: str
    rate: Decimal
    taxable: Decimal
    tax: Decimal
    exemption_reason: str = ""


@dataclass
class Totals:
    net: Decimal = Decimal("0.00")
    vat: Decimal = Decimal("0.00")
    subtotals: list[VatSubtotal] = field(default_factory=list)

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


def vat_breakdown(lines: Iterable) -> Totals:
    """The totals of lines that carry net_amount, vat_category, vat_rate, vat_exemption_reason
    (InvoiceLine or the like), one subtotal per category and rate, in a stable order."""
    groups: dict[tuple[str, Decimal], list] = {}
    for line in lines:
        groups.setdefault((line.vat_category, Decimal(line.vat_rate)), []).append(line)
    totals = Totals()
    for (category, rate), members in sorted(groups.items()):
        taxable = sum((money(line.net_amount) for line in members), Decimal("0.00"))
        tax = money(taxable * rate / HUNDRED)
        reason = next(
            (line.vat_exemption_reason for line in members if line.vat_exemption_reason), ""
        )
        totals.subtotals.append(VatSubtotal(category, rate, taxable, tax, reason))
        totals.net += taxable
        totals.vat += tax
    return totals


def product_vat(chamber, kind: str) -> tuple[str, Decimal, str]:
    """The VAT category, rate and exemption reason of a chamber's product (21 % by default)."""
    product = Product.objects.filter(chamber=chamber, kind=kind).first()
    if product is None:
        return VatCategory.STANDARD, DEFAULT_VAT_RATE, ""
    return product.vat_category, product.vat_rate, product.vat_exemption_reason


def chamber_invoices(chamber) -> bool:
    """A chamber issues invoices once finance staff gave its seller details (docs/invoicing.md):
    without an enterprise number and a bank account an invoice could not be valid or paid."""
    return bool(chamber.enterprise_number and chamber.vat_number and chamber.iban)


def _refuse_unless_chamber_invoices(chamber) -> None:
    if not chamber_invoices(chamber):
        raise DomainError(
            _(
                "De kamer %(chamber)s factureert nog niet: vul eerst haar ondernemingsnummer, "
                "btw-nummer en IBAN in."
            )
            % {"chamber": chamber},
            code="chamber_not_invoicing",
        )


def _next_sequence(chamber, kind: str, year: int) -> int:
    """The next number of the chamber's counter, its row locked until the transaction ends."""
    InvoiceCounter.objects.bulk_create(
        [InvoiceCounter(chamber=chamber, kind=kind, year=year)], ignore_conflicts=True
    )
    counter = InvoiceCounter.objects.select_for_update().get(chamber=chamber, kind=kind, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def document_number(kind: str, year: int, sequence: int) -> str:
    """2026-00042 for an invoice, CN2026-00007 for a credit note."""
    prefix = "CN" if kind == Invoice.Kind.CREDIT_NOTE else ""
    return f"{prefix}{year}-{sequence:05d}"


def _communication_for(chamber, year: int, sequence: int) -> str:
    # Year, chamber and number make the ten digits unique (the database keeps it so).
    return communication.structured_communication(
        (year % 100) * 10**8 + (chamber.pk % 1000) * 10**5 + sequence % 10**5
    )


def _seller_fields(chamber) -> dict:
    return {
        "seller_name": chamber.name,
        "seller_street": chamber.street,
        "seller_postcode": chamber.postcode,
        "seller_municipality": chamber.municipality,
        "seller_country": chamber.country,
        "seller_enterprise_number": chamber.enterprise_number,
        "seller_vat_number": chamber.vat_number,
        "seller_iban": chamber.iban.replace(" ", ""),
        "seller_bic": chamber.bic,
    }


def _buyer_fields(company) -> dict:
    return {
        "company": company,
        "buyer_name": company.name,
        "buyer_street": company.street,
        "buyer_postcode": company.postcode,
        "buyer_municipality": company.municipality,
        "buyer_country": company.country,
        "buyer_enterprise_number": company.enterprise_number or "",
        # A Belgian company's enterprise number is its VAT number (members/identifiers.py).
        "buyer_vat_number": company.vat_number
        or (f"BE{company.enterprise_number}" if company.enterprise_number else ""),
    }


def _sending_status(invoice: Invoice) -> str:
    # Peppol needs the buyer's identifier (scheme 0208: the Belgian enterprise number).
    if invoice.buyer_enterprise_number:
        return Invoice.SendingStatus.PENDING
    return Invoice.SendingStatus.NOT_APPLICABLE


def _build_lines(chamber, lines: Sequence[LineData]) -> list[InvoiceLine]:
    built = []
    for position, data in enumerate(lines, start=1):
        category, rate, reason = product_vat(chamber, data.product_kind)
        quantity = Decimal(data.quantity)
        unit_price = Decimal(data.unit_price)
        if quantity <= 0 or unit_price < 0:
            raise DomainError(_("Een factuurlijn heeft een positief aantal en prijs."), code="line")
        built.append(
            InvoiceLine(
                position=position,
                description=data.description[:300],
                product_kind=data.product_kind,
                quantity=quantity,
                unit_price=unit_price,
                net_amount=money(quantity * unit_price),
                vat_category=category,
                vat_rate=rate,
                vat_exemption_reason=reason,
                period_start=data.period_start,
                period_end=data.period_end,
                source_kind=data.source_kind,
                source_id=data.source_id,
            )
        )
    if not built:
        raise DomainError(_("Een factuur heeft minstens één lijn."), code="no_lines")
    return built


def _notify(invoice: Invoice, recipients: Sequence[tuple[str, str]] = ()) -> None:
    """Tell the company's admins (and `recipients`: (e-mail, language) pairs, e.g. the person
    who registered) after the commit that a document is there, with a link to /me/invoices/
    (the PDF and the UBL are downloaded there, not rendered inside the issuing transaction)."""
    admins = Person.objects.filter(company_id=invoice.company_id, role=Person.Role.ADMIN).exclude(
        email=""
    )
    by_language: dict[str, list[str]] = {}
    for email, language in [*admins.values_list("email", "preferred_language"), *recipients]:
        if email and email not in by_language.setdefault(language, []):
            by_language[language].append(email)
    url = mail.absolute_url(reverse("me:invoices"))
    mail.send_all_on_commit(
        {
            "name": "invoice_issued",
            "to": emails,
            "language": language,
            "context": {"invoice": invoice, "invoices_url": url},
            "key": f"invoice_issued:{invoice.pk}:{language}",
        }
        for language, emails in by_language.items()
    )


def _write(invoice: Invoice, lines: list[InvoiceLine]) -> Invoice:
    totals = vat_breakdown(lines)
    invoice.total_net, invoice.total_vat = totals.net, totals.vat
    invoice.total_gross = totals.gross
    invoice.sending_status = _sending_status(invoice)
    invoice.save()
    for line in lines:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(lines)
    # Sending over Peppol: invoicing.send_due (beat, every minute) picks pending documents up
    # after the commit, as chambers' webhooks do.
    return invoice


def invoice_issue(
    *,
    chamber,
    company,
    lines: Sequence[LineData],
    source_kind: str = Invoice.Source.MANUAL,
    source_id: int | None = None,
    issue_date: datetime.date | None = None,
    buyer_reference: str = "",
    note: str = "",
    kmo_recognition_number: str = "",
    recipients: Sequence[tuple[str, str]] = (),
) -> Invoice:
    """Issue an invoice from `chamber` to `company`, numbered in the chamber's sequence; the
    company's admins and `recipients` ((e-mail, language) pairs) hear of it after the commit.

    Idempotent per source: a second call for the same membership period or registration
    returns the invoice already issued instead of billing twice."""
    _refuse_unless_chamber_invoices(chamber)
    issue_date = issue_date or timezone.localdate()
    if source_id is not None:
        existing = Invoice.objects.filter(
            kind=Invoice.Kind.INVOICE, source_kind=source_kind, source_id=source_id
        ).first()
        if existing:
            return existing
    built = _build_lines(chamber, lines)
    try:
        with transaction.atomic():
            year = issue_date.year
            sequence = _next_sequence(chamber, Invoice.Kind.INVOICE, year)
            invoice = Invoice(
                kind=Invoice.Kind.INVOICE,
                chamber=chamber,
                year=year,
                sequence=sequence,
                number=document_number(Invoice.Kind.INVOICE, year, sequence),
                issue_date=issue_date,
                due_date=issue_date + datetime.timedelta(days=settings.INVOICING_PAYMENT_DAYS),
                source_kind=source_kind,
                source_id=source_id,
                buyer_reference=buyer_reference[:50],
                note=note,
                kmo_recognition_number=kmo_recognition_number,
                structured_communication=_communication_for(chamber, year, sequence),
                **_seller_fields(chamber),
                **_buyer_fields(company),
            )
            _write(invoice, built)
            _notify(invoice, recipients)
            return invoice
    except IntegrityError:
        # Another transaction issued the invoice for this source first.
        if source_id is not None:
            existing = Invoice.objects.filter(
                kind=Invoice.Kind.INVOICE, source_kind=source_kind, source_id=source_id
            ).first()
            if existing:
                return existing
        raise


def credit_note_issue(
    *,
    invoice: Invoice,
    amount: Decimal | None = None,
    reason: str = "",
    issue_date: datetime.date | None = None,
) -> Invoice:
    """Credit an invoice: in full (amount None) or for a net amount spread over its lines in
    order (a cancellation that keeps a fee). The credit note has its own numbering; a full
    credit cancels the invoice. Idempotent: an invoice already credited returns its note."""
    issue_date = issue_date or timezone.localdate()
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.is_credit_note:
            raise DomainError(_("Een creditnota wordt niet gecrediteerd."), code="credit_note")
        existing = invoice.credit_notes.first()
        if existing:
            return existing
        originals = list(invoice.lines.order_by("position"))
        left = invoice.total_net if amount is None else money(amount)
        if left <= 0 or left > invoice.total_net:
            raise DomainError(
                _("Het te crediteren bedrag ligt tussen 0 en het factuurbedrag."), code="amount"
            )
        lines = []
        for position, line in enumerate(originals, start=1):
            if left <= 0:
                break
            net = min(line.net_amount, left)
            left -= net
            full = net == line.net_amount
            lines.append(
                InvoiceLine(
                    position=position,
                    description=line.description[:300],
                    product_kind=line.product_kind,
                    quantity=line.quantity if full else Decimal("1"),
                    unit_price=line.unit_price if full else net,
                    net_amount=net,
                    vat_category=line.vat_category,
                    vat_rate=line.vat_rate,
                    vat_exemption_reason=line.vat_exemption_reason,
                    period_start=line.period_start,
                    period_end=line.period_end,
                    source_kind=line.source_kind,
                    source_id=line.source_id,
                )
            )
        year = issue_date.year
        sequence = _next_sequence(invoice.chamber, Invoice.Kind.CREDIT_NOTE, year)
        note = Invoice(
            kind=Invoice.Kind.CREDIT_NOTE,
            chamber=invoice.chamber,
            year=year,
            sequence=sequence,
            number=document_number(Invoice.Kind.CREDIT_NOTE, year, sequence),
            issue_date=max(issue_date, invoice.issue_date),
            credited_invoice=invoice,
            source_kind=invoice.source_kind,
            source_id=invoice.source_id,
            buyer_reference=invoice.buyer_reference,
            note=reason,
            kmo_recognition_number=invoice.kmo_recognition_number,
            status=Invoice.Status.OPEN,
            **{name: getattr(invoice, name) for name in _seller_fields(invoice.chamber)},
            **{
                name: getattr(invoice, name)
                for name in _buyer_fields(invoice.company)
                if name != "company"
            },
            company=invoice.company,
        )
        _write(note, lines)
        _notify(note)
        if amount is None or note.total_gross >= invoice.total_gross:
            invoice.status = Invoice.Status.CANCELLED
            invoice.save(update_fields=["status", "updated_at"])
        return note


def invoice_credit_by_staff(*, invoice: Invoice, actor, reason: str) -> Invoice:
    """Staff credit an invoice in full (a mistake, a gesture): the issuing chamber's finance
    staff (invoicing.permissions.INVOICE_WRITE_ROLES) only, with a reason the credit note
    prints."""
    if not roles.is_staff_of(actor, invoice.chamber, permissions.INVOICE_WRITE_ROLES):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Geef een reden op voor de creditnota."), code="reason_required", field="reason"
        )
    if invoice.status != Invoice.Status.OPEN or invoice.credit_notes.exists():
        raise DomainError(
            _("Enkel een openstaande factuur zonder creditnota kan gecrediteerd worden."),
            code="not_creditable",
        )
    return credit_note_issue(invoice=invoice, reason=reason[:300])


def invoice_record_payment(
    *, invoice: Invoice, amount: Decimal, at: datetime.datetime | None = None
) -> Invoice:
    """Add a payment to an invoice (online payment, bank statement): paid once covered.

    For the payments side; it takes the invoice's row lock, so that two payments arriving at
    once both count."""
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        invoice.record_payment(Decimal(amount), at or timezone.now())
        invoice.save(update_fields=["amount_paid", "status", "paid_at", "updated_at"])
    return invoice


# Dues -----------------------------------------------------------------------------------------


def months_covered(start: datetime.date, end: datetime.date) -> int:
    """The calendar months a period touches, started months counted, at most twelve:
    1 April–31 December is 9, a year from 15 March is 12."""
    after = end + datetime.timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    if after.day > start.day:
        months += 1
    return max(1, min(12, months))


def dues_fee(*, chamber, tier: str, year: int, fallback: Decimal) -> Decimal:
    """The chamber's yearly dues for a tier and year from its fee schedule, else `fallback`
    (the fee agreed on the membership)."""
    schedule = FeeSchedule.objects.filter(chamber=chamber, tier=tier, year=year).first()
    return schedule.annual_fee if schedule else fallback


def dues_amount(*, annual_fee: Decimal, valid_from: datetime.date, valid_until: datetime.date):
    """The dues for a membership period: the yearly fee pro rata of the months it covers."""
    months = months_covered(valid_from, valid_until)
    return money(Decimal(annual_fee) * months / 12), months


def dues_invoice_issue(*, membership, issue_date: datetime.date | None = None) -> Invoice | None:
    """The dues invoice of one membership period (new or renewed), issued by its chamber.

    None when nothing is billed: the chamber does not invoice yet, or the dues are zero."""
    chamber = membership.chamber
    if not chamber_invoices(chamber):
        return None
    annual_fee = dues_fee(
        chamber=chamber,
        tier=membership.tier,
        year=membership.valid_from.year,
        fallback=membership.annual_fee,
    )
    amount, months = dues_amount(
        annual_fee=annual_fee, valid_from=membership.valid_from, valid_until=membership.valid_until
    )
    if amount <= 0:
        return None
    description = _("Lidgeld %(tier)s, %(start)s – %(end)s") % {
        "tier": membership.get_tier_display(),
        "start": membership.valid_from.strftime("%d/%m/%Y"),
        "end": membership.valid_until.strftime("%d/%m/%Y"),
    }
    if months < 12:
        description += " " + _("(pro rata %(months)s/12)") % {"months": months}
    return invoice_issue(
        chamber=chamber,
        company=membership.company,
        lines=[
            LineData(
                description=description,
                product_kind=Product.Kind.DUES,
                unit_price=amount,
                period_start=membership.valid_from,
                period_end=membership.valid_until,
                source_kind=Invoice.Source.MEMBERSHIP,
                source_id=membership.pk,
            )
        ],
        source_kind=Invoice.Source.MEMBERSHIP,
        source_id=membership.pk,
        issue_date=issue_date,
    )


def memberships_to_invoice(today: datetime.date):
    """Membership periods that started in the last INVOICING_DUES_LOOKBACK_DAYS (the renewal
    date or a new membership's first day) and have no dues invoice yet."""
    invoiced = Invoice.objects.filter(
        kind=Invoice.Kind.INVOICE,
        source_kind=Invoice.Source.MEMBERSHIP,
        source_id=OuterRef("pk"),
    )
    since = today - datetime.timedelta(days=settings.INVOICING_DUES_LOOKBACK_DAYS)
    return (
        Membership.objects.filter(
            status__in=[Membership.Status.PENDING, Membership.Status.ACTIVE],
            valid_from__gte=since,
            valid_from__lte=today,
        )
        .exclude(Exists(invoiced))
        .select_related("company", "chamber")
        .order_by("valid_from", "pk")
    )


def dues_invoices_issue(*, today: datetime.date | None = None) -> int:
    """Issue the dues invoices of every membership period that started (daily, by beat).

    Each invoice in its own transaction: one chamber's missing details stop only its own."""
    today = today or timezone.localdate()
    issued = 0
    for membership in memberships_to_invoice(today):
        try:
            # Issued on the day of the run (the period's first day when the beat ran on time):
            # numbers follow the issue dates, so a late run never dates an invoice back.
            if dues_invoice_issue(membership=membership, issue_date=today):
                issued += 1
        except DomainError:
            logger.warning("dues invoice refused", extra={"membership": membership.pk})
    return issued
