"""Online payments through a payment provider: the adapter interface.

The portal speaks to a provider through `PaymentProvider` only, so that Mollie (the first one,
invoicing/payments/mollie.py) can be joined or replaced by another without touching the
services. `provider()` gives the one configured by settings (`PAYMENT_PROVIDER`).

A provider's word about a payment is trusted only when the portal asked for it itself
(`fetch`): a webhook says "something changed about tr_…", never what changed.
"""

from __future__ import annotations

import abc
import enum
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string


class Method(enum.StrEnum):
    """The ways to pay that the portal offers (Mollie's names)."""

    BANCONTACT = "bancontact"
    CARD = "creditcard"
    BANK_TRANSFER = "banktransfer"


class Status(enum.StrEnum):
    """A payment's status at the provider (Mollie's names, which other providers map onto)."""

    OPEN = "open"
    PENDING = "pending"
    AUTHORIZED = "authorized"
    PAID = "paid"
    FAILED = "failed"
    EXPIRED = "expired"
    CANCELED = "canceled"

    @property
    def is_final(self) -> bool:
        return self in {Status.PAID, Status.FAILED, Status.EXPIRED, Status.CANCELED}


@dataclass(frozen=True)
class ProviderPayment:
    """What the provider says about one payment."""

    id: str
    status: Status
    amount: Decimal
    currency: str
    checkout_url: str = ""
    method: str = ""
    metadata: dict = field(default_factory=dict)
    # For a bank transfer: where to and with which reference (shown on the return page).
    transfer_details: dict = field(default_factory=dict)


class PaymentProviderError(Exception):
    """The provider could not be reached or refused the request; the message is for the logs."""


class PaymentProvider(abc.ABC):
    """A payment provider, as the portal uses one."""

    name: str = ""

    @abc.abstractmethod
    def create(
        self,
        *,
        amount: Decimal,
        currency: str,
        description: str,
        method: Method,
        redirect_url: str,
        webhook_url: str,
        metadata: dict,
        idempotency_key: str,
        locale: str = "nl_BE",
    ) -> ProviderPayment:
        """Start a payment; the payer goes to its `checkout_url`."""

    @abc.abstractmethod
    def fetch(self, payment_id: str) -> ProviderPayment:
        """The payment as the provider knows it now."""


def provider() -> PaymentProvider:
    """The provider configured by `PAYMENT_PROVIDER` (a dotted path to a PaymentProvider)."""
    path = getattr(settings, "PAYMENT_PROVIDER", "invoicing.payments.mollie.MollieProvider")
    return import_string(path)()
