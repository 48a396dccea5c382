"""VAT and rounding (EN 16931), the structured communication, dues pro rata."""

import datetime
from decimal import Decimal

import pytest

from alliance.base.models import DomainError
from invoicing import communication, services
from invoicing.models import Invoice, Product, VatCategory
from invoicing.services import LineData, money
from tests.factories import CompanyFactory, MembershipFactory


def test_money_rounds_half_up_to_the_cent():
    assert money(Decimal("0.005")) == Decimal("0.01")
    assert money(Decimal("2.675")) == Decimal("2.68")  # binary floats would say 2.67
    assert money(Decimal("-0.005")) == Decimal("-0.01")


@pytest.mark.parametrize(
    ("digits", "check"),
    [("0108068171", "83"), ("1234567890", "02"), ("0000000097", "97"), ("0000000001", "01")],
)
def test_structured_communication_check_digits_are_mod_97(digits, check):
    value = communication.structured_communication(int(digits))
    assert value == digits + check
    # The check is the remainder modulo 97, and 97 when that is 0.
    assert int(check) == (int(digits) % 97 or 97)
    assert communication.parse(communication.display(value)) == value


def test_structured_communication_refuses_wrong_check_digits():
    assert communication.parse("+++010/8068/17183+++") == "010806817183"
    assert communication.parse("+++010/8068/17180+++") is None
    assert communication.parse("010/8068/1718") is None


def test_vat_is_rounded_once_per_category_not_per_line(seller):
    company = CompanyFactory()
    # Three lines of 0.35 at 21 %: per line 0.0735 → 0.07 each (0.21); on the sum 1.05 → 0.22.
    lines = [LineData("Koffie", Product.Kind.EVENT_FEE, Decimal("0.35")) for _ in range(3)]
    invoice = services.invoice_issue(chamber=seller, company=company, lines=lines)
    assert invoice.total_net == Decimal("1.05")
    assert invoice.total_vat == money(Decimal("1.05") * Decimal("0.21"))
    assert invoice.total_vat == Decimal("0.22")
    assert invoice.total_gross == invoice.total_net + invoice.total_vat


def test_line_amount_is_quantity_times_price_rounded(seller):
    company = CompanyFactory()
    line = LineData("Lidgeld", Product.Kind.DUES, Decimal("33.3333"), quantity=Decimal("3"))
    invoice = services.invoice_issue(chamber=seller, company=company, lines=[line])
    (stored,) = invoice.lines.all()
    assert stored.net_amount == money(Decimal("33.3333") * 3) == Decimal("100.00")


def test_vat_rate_and_exemption_per_product(seller):
    Product.objects.create(
        chamber=seller,
        kind=Product.Kind.TRAINING_FEE,
        vat_category=VatCategory.EXEMPT,
        vat_rate=Decimal("0"),
        vat_exemption_reason="Vrijgesteld van btw, art. 44 §2 4° WBTW",
    )
    company = CompanyFactory()
    invoice = services.invoice_issue(
        chamber=seller,
        company=company,
        lines=[
            LineData("Opleiding", Product.Kind.TRAINING_FEE, Decimal("400")),
            LineData("Forum", Product.Kind.EVENT_FEE, Decimal("100")),
        ],
    )
    training, forum = invoice.lines.order_by("position")
    assert (training.vat_category, training.vat_rate) == ("E", Decimal("0.00"))
    assert training.vat_exemption_reason.startswith("Vrijgesteld")
    assert (forum.vat_category, forum.vat_rate) == ("S", Decimal("21.00"))
    totals = services.vat_breakdown(invoice.lines.all())
    assert [(s.category, s.taxable, s.tax) for s in totals.subtotals] == [
        ("E", Decimal("400.00"), Decimal("0.00")),
        ("S", Decimal("100.00"), Decimal("21.00")),
    ]
    assert invoice.total_vat == Decimal("21.00")


def test_invoice_carries_buyer_seller_bank_due_date_and_communication(seller, settings):
    settings.INVOICING_PAYMENT_DAYS = 30
    company = CompanyFactory()
    day = datetime.date(2026, 3, 2)
    invoice = services.invoice_issue(
        chamber=seller,
        company=company,
        lines=[LineData("Forum", Product.Kind.EVENT_FEE, Decimal("100"))],
        issue_date=day,
    )
    assert invoice.number == "2026-00001"
    assert invoice.buyer_enterprise_number == company.enterprise_number
    assert invoice.buyer_vat_number == f"BE{company.enterprise_number}"
    assert invoice.seller_iban == seller.iban and invoice.seller_bic == seller.bic
    assert invoice.due_date == day + datetime.timedelta(days=30)
    assert communication.parse(invoice.structured_communication) == invoice.structured_communication
    assert invoice.structured_communication_display.startswith("+++")
    assert invoice.sending_status == Invoice.SendingStatus.PENDING


def test_a_chamber_without_seller_details_does_not_invoice(kempen):
    with pytest.raises(DomainError) as refused:
        services.invoice_issue(
            chamber=kempen,
            company=CompanyFactory(),
            lines=[LineData("Forum", Product.Kind.EVENT_FEE, Decimal("10"))],
        )
    assert refused.value.code == "chamber_not_invoicing"
    assert not Invoice.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), 12),
        (datetime.date(2026, 4, 1), datetime.date(2026, 12, 31), 9),
        (datetime.date(2026, 4, 10), datetime.date(2026, 12, 31), 9),
        (datetime.date(2026, 3, 15), datetime.date(2027, 3, 14), 12),
        (datetime.date(2026, 12, 1), datetime.date(2026, 12, 31), 1),
    ],
)
def test_months_covered(start, end, months):
    assert services.months_covered(start, end) == months


def test_dues_invoice_is_pro_rata_for_a_membership_starting_during_the_year(seller):
    from invoicing.models import FeeSchedule

    FeeSchedule.objects.create(
        chamber=seller, tier="standard", year=2026, annual_fee=Decimal("600")
    )
    membership = MembershipFactory(
        chamber=seller,
        tier="standard",
        valid_from=datetime.date(2026, 4, 1),
        valid_until=datetime.date(2026, 12, 31),
        annual_fee=Decimal("450"),
    )
    invoice = services.dues_invoice_issue(membership=membership)
    (line,) = invoice.lines.all()
    assert line.net_amount == money(Decimal("600") * 9 / 12) == Decimal("450.00")
    assert "9/12" in line.description
    assert (invoice.source_kind, invoice.source_id) == ("membership", membership.pk)
    # Idempotent: the same period is billed once.
    assert services.dues_invoice_issue(membership=membership) == invoice
    assert Invoice.objects.count() == 1


def test_dues_fall_back_to_the_fee_on_the_membership(seller):
    membership = MembershipFactory(
        chamber=seller,
        valid_from=datetime.date(2026, 3, 15),
        valid_until=datetime.date(2027, 3, 14),
        annual_fee=Decimal("450"),
    )
    invoice = services.dues_invoice_issue(membership=membership)
    assert invoice.total_net == Decimal("450.00")
    assert invoice.total_vat == money(Decimal("450") * Decimal("0.21"))


def test_credit_note_refers_to_its_invoice_and_cancels_it(seller):
    invoice = services.invoice_issue(
        chamber=seller,
        company=CompanyFactory(),
        lines=[LineData("Forum", Product.Kind.EVENT_FEE, Decimal("100"))],
    )
    note = services.credit_note_issue(invoice=invoice, reason="Annulering")
    invoice.refresh_from_db()
    assert note.kind == Invoice.Kind.CREDIT_NOTE
    assert note.credited_invoice == invoice
    assert note.number.startswith("CN") and note.sequence == 1
    assert note.total_gross == invoice.total_gross
    assert note.structured_communication == ""
    assert invoice.status == Invoice.Status.CANCELLED
    assert services.credit_note_issue(invoice=invoice) == note


def test_partial_credit_note_keeps_the_fee_and_the_invoice_open(seller):
    invoice = services.invoice_issue(
        chamber=seller,
        company=CompanyFactory(),
        lines=[LineData("Forum", Product.Kind.EVENT_FEE, Decimal("100"))],
    )
    note = services.credit_note_issue(invoice=invoice, amount=Decimal("75"))
    invoice.refresh_from_db()
    assert note.total_net == Decimal("75.00")
    assert note.total_vat == money(Decimal("75") * Decimal("0.21"))
    assert invoice.status == Invoice.Status.OPEN


def test_payments_add_up_to_paid(seller):
    invoice = services.invoice_issue(
        chamber=seller,
        company=CompanyFactory(),
        lines=[LineData("Forum", Product.Kind.EVENT_FEE, Decimal("100"))],
    )
    half = money(invoice.total_gross / 2)
    invoice = services.invoice_record_payment(invoice=invoice, amount=half)
    assert (
        invoice.status == Invoice.Status.OPEN and invoice.amount_due == invoice.total_gross - half
    )
    invoice = services.invoice_record_payment(invoice=invoice, amount=invoice.total_gross - half)
    assert invoice.status == Invoice.Status.PAID and invoice.paid_at is not None
    assert invoice.amount_due == Decimal("0.00")
