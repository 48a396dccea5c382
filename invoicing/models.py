"""Invoices and credit notes a chamber issues, their lines, its numbering and its fee schedule.

A document is written once, complete, by invoicing.services (the seller's and the buyer's
details are copied onto it: an invoice says what was true the day it was issued), and is never
edited afterwards; a mistake is put right with a credit note that refers to it. The payments
side (online payment, bank statements, reminders) changes only its payment fields
(status, amount_paid, paid_at) and its sending fields.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from alliance.base import audit
from alliance.base.models import DomainError, TimeStampedModel
from invoicing.querysets import InvoiceQuerySet

ZERO = Decimal("0.00")


class VatCategory(models.TextChoices):
    """The VAT categories of EN 16931 (UNCL5305) a chamber uses."""

    STANDARD = "S", _("Standaardtarief")
    ZERO = "Z", _("Nultarief")
    EXEMPT = "E", _("Vrijgesteld van btw")
    REVERSE_CHARGE = "AE", _("Btw verlegd")
    OUTSIDE_SCOPE = "O", _("Buiten het toepassingsgebied van de btw")


@audit.tracked()
class Product(TimeStampedModel):
    """What a chamber bills and under which VAT: dues, event fees, trainings, cancellation fees.

    The rate and the exemption reason are per product (a training recognised as exempt
    education, dues at 21 %); a chamber without a row for a kind bills it at 21 %."""

    class Kind(models.TextChoices):
        DUES = "dues", _("Lidgeld")
        EVENT_FEE = "event_fee", _("Deelname aan een activiteit")
        TRAINING_FEE = "training_fee", _("Deelname aan een opleiding")
        CANCELLATION_FEE = "cancellation_fee", _("Annuleringskost")

    chamber = models.ForeignKey(
        "chambers.Chamber",
        on_delete=models.CASCADE,
        related_name="invoice_products",
        verbose_name=_("kamer"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind)
    name = models.CharField(_("naam"), max_length=200, blank=True)
    vat_category = models.CharField(
        _("btw-categorie"), max_length=2, choices=VatCategory, default=VatCategory.STANDARD
    )
    vat_rate = models.DecimalField(
        _("btw-tarief (%)"), max_digits=5, decimal_places=2, default=Decimal("21.00")
    )
    vat_exemption_reason = models.CharField(
        _("reden van vrijstelling"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("Verplicht bij vrijstelling, bv. 'Vrijgesteld van btw, art. 44 WBTW'."),
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("producten")
        constraints = [
            models.UniqueConstraint(fields=["chamber", "kind"], name="invoice_product_once"),
            models.CheckConstraint(
                condition=Q(vat_rate__gte=0, vat_rate__lte=100), name="invoice_product_vat_rate"
            ),
            # EN 16931: standard rate > 0; exempt and the like at 0 with a reason.
            models.CheckConstraint(
                condition=Q(vat_category="S", vat_rate__gt=0)
                | Q(vat_category="Z", vat_rate=0)
                | Q(~Q(vat_category__in=["S", "Z"]), ~Q(vat_exemption_reason=""), vat_rate=0),
                name="invoice_product_vat_category_rate",
            ),
        ]

    def __str__(self):
        return f"{self.chamber} · {self.get_kind_display()}"


@audit.tracked()
class FeeSchedule(TimeStampedModel):
    """A chamber's yearly dues for one membership tier, for one calendar year."""

    chamber = models.ForeignKey(
        "chambers.Chamber",
        on_delete=models.CASCADE,
        related_name="fee_schedules",
        verbose_name=_("kamer"),
    )
    # The tiers of members.Membership.Tier, by value: invoicing does not reach into members'
    # choices for its data (a tier the schedule does not know bills nothing).
    tier = models.CharField(_("formule"), max_length=10)
    year = models.PositiveSmallIntegerField(_("jaar"))
    annual_fee = models.DecimalField(
        _("jaarbijdrage (EUR, excl. btw)"), max_digits=10, decimal_places=2
    )

    class Meta:
        verbose_name = _("ledentarief")
        verbose_name_plural = _("ledentarieven")
        ordering = ["chamber", "year", "tier"]
        constraints = [
            models.UniqueConstraint(
                fields=["chamber", "tier", "year"], name="fee_schedule_once_per_year"
            ),
            models.CheckConstraint(
                condition=Q(annual_fee__gte=0), name="fee_schedule_fee_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.chamber} · {self.tier} · {self.year}: {self.annual_fee}"


class InvoiceCounter(models.Model):
    """The last number a chamber gave to a kind of document in a year.

    invoicing.services locks this row (SELECT ... FOR UPDATE) in the transaction that writes
    the document: two invoices issued at once wait for each other, and a rolled-back invoice
    gives its number back, so the numbers have neither gaps nor doubles."""

    chamber = models.ForeignKey(
        "chambers.Chamber", on_delete=models.CASCADE, related_name="+", verbose_name=_("kamer")
    )
    kind = models.CharField(_("soort"), max_length=12)
    year = models.PositiveSmallIntegerField(_("jaar"))
    last_number = models.PositiveIntegerField(_("laatste nummer"), default=0)

    class Meta:
        verbose_name = _("factuurteller")
        verbose_name_plural = _("factuurtellers")
        constraints = [
            models.UniqueConstraint(
                fields=["chamber", "kind", "year"], name="invoice_counter_once"
            ),
        ]

    def __str__(self):
        return f"{self.chamber} · {self.kind} · {self.year}: {self.last_number}"


@audit.tracked()
class Invoice(TimeStampedModel):
    """An invoice or a credit note issued by a chamber to a company.

    A credit note (kind credit_note) refers to the invoice it credits; its amounts are
    positive, as UBL's CreditNote has them."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Factuur")
        CREDIT_NOTE = "credit_note", _("Creditnota")

    class Status(models.TextChoices):
        OPEN = "open", _("Openstaand")
        PAID = "paid", _("Betaald")
        # Credited in full by a credit note: nothing is due any more.
        CANCELLED = "cancelled", _("Geannuleerd")

    class SendingStatus(models.TextChoices):
        PENDING = "pending", _("Te verzenden")
        SENT = "sent", _("Verzonden")
        FAILED = "failed", _("Verzenden mislukt")
        # The buyer has no Peppol identifier (no enterprise number): e-mail and PDF only.
        NOT_APPLICABLE = "none", _("Niet via Peppol")

    class Source(models.TextChoices):
        """What the document bills, by kind and id: invoicing does not import what bills."""

        MEMBERSHIP = "membership", _("Lidmaatschap")
        REGISTRATION = "registration", _("Inschrijving")
        MANUAL = "manual", _("Manueel")

    kind = models.CharField(_("soort"), max_length=12, choices=Kind, default=Kind.INVOICE)
    chamber = models.ForeignKey(
        "chambers.Chamber",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("uitgevende kamer"),
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    sequence = models.PositiveIntegerField(_("volgnummer"))
    number = models.CharField(_("nummer"), max_length=30)
    issue_date = models.DateField(_("factuurdatum"))
    due_date = models.DateField(_("vervaldatum"), null=True, blank=True)
    currency = models.CharField(_("munt"), max_length=3, default="EUR")
    credited_invoice = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
        verbose_name=_("gecrediteerde factuur"),
    )
    source_kind = models.CharField(_("bron"), max_length=20, choices=Source, default=Source.MANUAL)
    source_id = models.PositiveBigIntegerField(_("bron-id"), null=True, blank=True)

    # The buyer, as it was on the issue date.
    company = models.ForeignKey(
        "members.Company",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("onderneming"),
    )
    buyer_name = models.CharField(_("naam koper"), max_length=200)
    buyer_street = models.CharField(_("straat koper"), max_length=200, blank=True)
    buyer_postcode = models.CharField(_("postcode koper"), max_length=10, blank=True)
    buyer_municipality = models.CharField(_("gemeente koper"), max_length=100, blank=True)
    buyer_country = models.CharField(_("land koper"), max_length=2, default="BE")
    buyer_enterprise_number = models.CharField(
        _("ondernemingsnummer koper"), max_length=10, blank=True
    )
    buyer_vat_number = models.CharField(_("btw-nummer koper"), max_length=15, blank=True)
    buyer_reference = models.CharField(
        _("referentie koper"),
        max_length=50,
        blank=True,
        help_text=_("Het bestelbonnummer of de referentie die de koper opgaf."),
    )

    # The seller, as it was on the issue date.
    seller_name = models.CharField(_("naam verkoper"), max_length=200)
    seller_street = models.CharField(_("straat verkoper"), max_length=200, blank=True)
    seller_postcode = models.CharField(_("postcode verkoper"), max_length=10, blank=True)
    seller_municipality = models.CharField(_("gemeente verkoper"), max_length=100, blank=True)
    seller_country = models.CharField(_("land verkoper"), max_length=2, default="BE")
    seller_enterprise_number = models.CharField(
        _("ondernemingsnummer verkoper"), max_length=10, blank=True
    )
    seller_vat_number = models.CharField(_("btw-nummer verkoper"), max_length=15, blank=True)
    seller_iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    seller_bic = models.CharField(_("BIC"), max_length=11, blank=True)

    # +++123/4567/89002+++ without its marks: 12 digits, the last two mod-97 check digits.
    structured_communication = models.CharField(
        _("gestructureerde mededeling"), max_length=12, blank=True
    )
    note = models.TextField(_("opmerking"), blank=True)
    # Subsidy: a training recognised for the Flemish SME wallet (KMO-portefeuille).
    kmo_recognition_number = models.CharField(
        _("erkenningsnummer KMO-portefeuille"), max_length=40, blank=True
    )

    # Totals (EN 16931 BT-106, BT-110, BT-112, BT-115), in the document's currency.
    total_net = models.DecimalField(_("totaal excl. btw"), max_digits=12, decimal_places=2)
    total_vat = models.DecimalField(_("btw"), max_digits=12, decimal_places=2)
    total_gross = models.DecimalField(_("totaal incl. btw"), max_digits=12, decimal_places=2)

    # Payment: the payments side keeps these (invoicing.services.invoice_record_payment).
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    amount_paid = models.DecimalField(
        _("betaald bedrag"), max_digits=12, decimal_places=2, default=ZERO
    )
    paid_at = models.DateTimeField(_("betaald op"), null=True, blank=True)

    # Sending over Peppol through the access point (invoicing.access_points).
    sending_status = models.CharField(
        _("verzendstatus"), max_length=10, choices=SendingStatus, default=SendingStatus.PENDING
    )
    sending_attempts = models.PositiveSmallIntegerField(_("verzendpogingen"), default=0)
    sending_error = models.TextField(_("verzendfout"), blank=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    access_point_reference = models.CharField(
        _("referentie van het toegangspunt"), max_length=200, blank=True
    )

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("factuur")
        verbose_name_plural = _("facturen")
        ordering = ["-issue_date", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["chamber", "kind", "year", "sequence"], name="invoice_sequence_once"
            ),
            models.UniqueConstraint(fields=["chamber", "number"], name="invoice_number_once"),
            models.UniqueConstraint(
                fields=["structured_communication"],
                condition=~Q(structured_communication=""),
                name="invoice_structured_communication_once",
            ),
            # One invoice for what a membership period or a registration bills.
            models.UniqueConstraint(
                fields=["source_kind", "source_id"],
                condition=Q(kind="invoice", source_id__isnull=False),
                name="invoice_once_per_source",
            ),
            # A credit note credits one invoice, and an invoice is credited once.
            models.CheckConstraint(
                condition=Q(kind="invoice", credited_invoice__isnull=True)
                | Q(kind="credit_note", credited_invoice__isnull=False),
                name="credit_note_refers_to_invoice",
            ),
            models.UniqueConstraint(
                fields=["credited_invoice"],
                condition=Q(kind="credit_note"),
                name="invoice_credited_once",
            ),
            models.CheckConstraint(
                condition=Q(structured_communication="")
                | Q(structured_communication__regex=r"^[0-9]{12}$"),
                name="invoice_structured_communication_digits",
            ),
            models.CheckConstraint(
                condition=Q(total_gross=F("total_net") + F("total_vat")),
                name="invoice_totals_add_up",
            ),
            models.CheckConstraint(
                condition=Q(total_net__gte=0, total_vat__gte=0, amount_paid__gte=0),
                name="invoice_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(due_date__gte=F("issue_date")),
                name="invoice_due_after_issue",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_at__isnull=False),
                name="invoice_paid_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "-issue_date"], name="invoice_company_idx"),
            models.Index(fields=["chamber", "issue_date"], name="invoice_chamber_date_idx"),
            models.Index(fields=["status", "due_date"], name="invoice_status_due_idx"),
            # Invoices and credit notes of what they bill (the settlement ledger's amounts).
            models.Index(fields=["source_kind", "source_id"], name="invoice_source_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_credit_note(self) -> bool:
        return self.kind == self.Kind.CREDIT_NOTE

    @property
    def amount_due(self) -> Decimal:
        """What is still to pay (never below zero: an over-payment is flagged, not owed)."""
        if self.is_credit_note or self.status == self.Status.CANCELLED:
            return ZERO
        return max(self.total_gross - self.amount_paid, ZERO)

    @property
    def structured_communication_display(self) -> str:
        """+++123/4567/89002+++, as Belgian banks print it."""
        c = self.structured_communication
        return f"+++{c[:3]}/{c[3:7]}/{c[7:]}+++" if c else ""

    def is_overdue(self, on: datetime.date) -> bool:
        return (
            self.kind == self.Kind.INVOICE
            and self.status == self.Status.OPEN
            and self.due_date is not None
            and self.due_date < on
        )

    def record_payment(self, amount: Decimal, at: datetime.datetime) -> None:
        """Add a payment; the invoice is paid once the payments cover its total."""
        if self.is_credit_note:
            raise DomainError(_("Een creditnota wordt niet betaald."), code="credit_note")
        if self.status == self.Status.CANCELLED:
            raise DomainError(_("Deze factuur is geannuleerd."), code="cancelled")
        if amount <= 0:
            raise DomainError(_("Het bedrag is groter dan nul."), code="amount")
        self.amount_paid += amount
        if self.amount_paid >= self.total_gross:
            self.status = self.Status.PAID
            self.paid_at = self.paid_at or at


class InvoiceLine(models.Model):
    """One line of an invoice or a credit note: what, how many, at which price and VAT."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("factuur")
    )
    position = models.PositiveSmallIntegerField(_("lijn"))
    description = models.CharField(_("omschrijving"), max_length=300)
    product_kind = models.CharField(_("product"), max_length=20, choices=Product.Kind)
    quantity = models.DecimalField(
        _("aantal"), max_digits=10, decimal_places=2, default=Decimal("1")
    )
    # Net unit price, excluding VAT, up to four decimals (a pro-rata share of dues).
    unit_price = models.DecimalField(_("eenheidsprijs excl. btw"), max_digits=12, decimal_places=4)
    # quantity × unit_price, rounded half up to the cent (EN 16931 BT-131).
    net_amount = models.DecimalField(_("bedrag excl. btw"), max_digits=12, decimal_places=2)
    vat_category = models.CharField(_("btw-categorie"), max_length=2, choices=VatCategory)
    vat_rate = models.DecimalField(_("btw-tarief (%)"), max_digits=5, decimal_places=2)
    vat_exemption_reason = models.CharField(_("reden van vrijstelling"), max_length=300, blank=True)
    period_start = models.DateField(_("periode vanaf"), null=True, blank=True)
    period_end = models.DateField(_("periode tot"), null=True, blank=True)
    # What the line bills (a registration, a membership), by kind and id.
    source_kind = models.CharField(_("bron"), max_length=20, blank=True)
    source_id = models.PositiveBigIntegerField(_("bron-id"), null=True, blank=True)

    class Meta:
        verbose_name = _("factuurlijn")
        verbose_name_plural = _("factuurlijnen")
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "position"], name="invoice_line_position_once"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0, unit_price__gte=0), name="invoice_line_amounts"
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="invoice_line_period_order",
            ),
        ]

    def __str__(self):
        return f"{self.invoice} · {self.position}: {self.description}"


# The payments side's models (online payments, bank statements, reminders) live beside their
# services in invoicing/payments/; importing them here registers them with the app.
from invoicing.payments.models import (  # noqa: E402
    BankStatement,
    BankTransaction,
    Payment,
    PaymentReminder,
)

__all__ = [
    "BankStatement",
    "BankTransaction",
    "FeeSchedule",
    "Invoice",
    "InvoiceCounter",
    "InvoiceLine",
    "Payment",
    "PaymentReminder",
    "Product",
    "VatCategory",
]
