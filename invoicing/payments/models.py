"""What the payments side keeps: online payments, bank statements and their movements, reminders.

These models belong to the invoicing app (app_label "invoicing"; invoicing/models.py imports
them) and change an invoice only through invoicing.payments.services, which locks the invoice
first, then the payment or the movement (one lock order for the webhook, the bank statement and
staff alike).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliance.base import audit
from alliance.base.models import TimeStampedModel


class Payment(TimeStampedModel):
    """One attempt to pay an invoice online, at a payment provider.

    Written before the provider is asked (status `created`), so that the provider's idempotency
    key is ours (`payment-<pk>`) and a lost answer creates no second payment there. Its amount
    is what the invoice still owed when the attempt started; `applied_at` says when (and that)
    it was added to the invoice: once, whatever the number of webhooks."""

    class Method(models.TextChoices):
        BANCONTACT = "bancontact", _("Bancontact")
        CARD = "creditcard", _("Kredietkaart")
        BANK_TRANSFER = "banktransfer", _("Overschrijving")

    class Status(models.TextChoices):
        CREATED = "created", _("Aangemaakt")
        OPEN = "open", _("Wacht op betaling")
        PENDING = "pending", _("In behandeling")
        AUTHORIZED = "authorized", _("Goedgekeurd")
        PAID = "paid", _("Betaald")
        FAILED = "failed", _("Mislukt")
        EXPIRED = "expired", _("Verlopen")
        CANCELED = "canceled", _("Geannuleerd")
        # The provider could not be reached or refused to start it.
        ERROR = "error", _("Niet gestart")

    invoice = models.ForeignKey(
        "invoicing.Invoice",
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("factuur"),
    )
    provider = models.CharField(_("betaalprovider"), max_length=20)
    provider_id = models.CharField(_("id bij de provider"), max_length=64, blank=True)
    method = models.CharField(_("betaalwijze"), max_length=20, choices=Method)
    amount = models.DecimalField(_("bedrag"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("munt"), max_length=3, default="EUR")
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.CREATED)
    checkout_url = models.URLField(_("betaalpagina"), max_length=500, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gestart door"),
    )
    applied_at = models.DateTimeField(_("geboekt op de factuur"), null=True, blank=True)
    # What the provider said that did not fit (another amount, another currency): for staff.
    problem = models.CharField(_("probleem"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("online betaling")
        verbose_name_plural = _("online betalingen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_id"],
                condition=~Q(provider_id=""),
                name="payment_provider_id_once",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(applied_at__isnull=True) | Q(status="paid"),
                name="payment_applied_only_when_paid",
            ),
        ]
        indexes = [models.Index(fields=["invoice", "status"], name="payment_invoice_status_idx")]

    def __str__(self):
        return f"{self.provider} {self.provider_id or self.pk} · {self.amount} {self.currency}"

    @property
    def is_final(self) -> bool:
        return self.status in {
            self.Status.PAID,
            self.Status.FAILED,
            self.Status.EXPIRED,
            self.Status.CANCELED,
            self.Status.ERROR,
        }


@audit.tracked()
class BankStatement(TimeStampedModel):
    """A CODA file a chamber's staff uploaded: one row per file, recognised by its content, so
    that uploading the same file again books nothing twice."""

    chamber = models.ForeignKey(
        "chambers.Chamber",
        on_delete=models.PROTECT,
        related_name="bank_statements",
        verbose_name=_("kamer"),
    )
    file_name = models.CharField(_("bestand"), max_length=200)
    digest = models.CharField(_("vingerafdruk"), max_length=64, unique=True)
    account = models.CharField(_("rekening"), max_length=34)
    statement_numbers = models.CharField(_("uittrekselnummers"), max_length=100, blank=True)
    first_date = models.DateField(_("van"), null=True, blank=True)
    last_date = models.DateField(_("tot"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opgeladen door"),
    )

    class Meta:
        verbose_name = _("rekeninguittreksel")
        verbose_name_plural = _("rekeninguittreksels")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.account} · {self.statement_numbers}"


@audit.tracked()
class BankTransaction(TimeStampedModel):
    """Money in on a chamber's account, from a CODA statement, and what it paid.

    `bank_key` (account, year, statement, sequence, detail) is unique: a movement that comes
    again in another file (a duplicate statement) is recognised and not booked twice."""

    class Outcome(models.TextChoices):
        PAID = "paid", _("Betaald")
        PARTIAL = "partial", _("Gedeeltelijk betaald")
        OVERPAID = "overpaid", _("Te veel betaald")
        UNMATCHED = "unmatched", _("Niet herkend")

    statement = models.ForeignKey(
        BankStatement,
        on_delete=models.CASCADE,
        related_name="transactions",
        verbose_name=_("rekeninguittreksel"),
    )
    bank_key = models.CharField(_("sleutel"), max_length=80, unique=True)
    bank_reference = models.CharField(_("referentie van de bank"), max_length=21, blank=True)
    value_date = models.DateField(_("valutadatum"), null=True, blank=True)
    amount = models.DecimalField(_("bedrag"), max_digits=12, decimal_places=2)
    structured_communication = models.CharField(
        _("gestructureerde mededeling"), max_length=12, blank=True
    )
    communication = models.CharField(_("mededeling"), max_length=300, blank=True)
    counterparty_name = models.CharField(_("naam tegenpartij"), max_length=100, blank=True)
    counterparty_account = models.CharField(_("rekening tegenpartij"), max_length=34, blank=True)
    invoice = models.ForeignKey(
        "invoicing.Invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_transactions",
        verbose_name=_("factuur"),
    )
    outcome = models.CharField(_("resultaat"), max_length=10, choices=Outcome)
    # Staff looked at a flagged movement (a partial payment, too much, or unknown) and dealt
    # with it outside the portal (a refund, a call): it leaves the list of what to look at.
    handled_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgehandeld door"),
    )

    class Meta:
        verbose_name = _("banktransactie")
        verbose_name_plural = _("banktransacties")
        ordering = ["-value_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="bank_transaction_money_in"),
            models.CheckConstraint(
                condition=Q(outcome="unmatched", invoice__isnull=True)
                | (~Q(outcome="unmatched") & Q(invoice__isnull=False)),
                name="bank_transaction_outcome_has_invoice",
            ),
        ]
        indexes = [
            models.Index(
                fields=["outcome"],
                condition=Q(handled_at__isnull=True) & ~Q(outcome="paid"),
                name="bank_transaction_to_handle_idx",
            )
        ]

    def __str__(self):
        return f"{self.bank_key}: {self.amount}"

    @property
    def needs_attention(self) -> bool:
        return self.outcome != self.Outcome.PAID and self.handled_at is None


class PaymentReminder(models.Model):
    """A reminder sent for an overdue invoice, one per step (7 and 21 days after the due date,
    by `DUNNING_STEPS`): the unique constraint makes each step go out once, whatever the number
    of beat runs."""

    invoice = models.ForeignKey(
        "invoicing.Invoice",
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("factuur"),
    )
    step = models.PositiveSmallIntegerField(_("stap"))
    days_overdue = models.PositiveSmallIntegerField(_("dagen na vervaldag"))
    amount_due = models.DecimalField(_("openstaand bedrag"), max_digits=12, decimal_places=2)
    sent_at = models.DateTimeField(_("verstuurd op"))
    recipients = models.TextField(_("ontvangers"), blank=True)

    class Meta:
        verbose_name = _("betalingsherinnering")
        verbose_name_plural = _("betalingsherinneringen")
        ordering = ["invoice", "step"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "step"], name="payment_reminder_once"),
            models.CheckConstraint(
                condition=Q(amount_due__gt=Decimal("0")), name="payment_reminder_something_due"
            ),
        ]

    def __str__(self):
        return f"{self.invoice} · {self.step}"
