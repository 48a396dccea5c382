"""Mollie, through its official Python client (mollie-api-python).

Settings: `MOLLIE_API_KEY` (test_… or live_…) and `MOLLIE_API_URL` (Mollie's own by default;
the tests point it at their fake, tests/invoicing/fake_mollie.py). Amounts go to Mollie as
strings with two decimals, as its API wants them.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from mollie.api.client import Client
from mollie.api.error import Error as MollieError

from invoicing.payments import (
    Method,
    PaymentProvider,
    PaymentProviderError,
    ProviderPayment,
    Status,
)

LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "en": "en_US"}


class MollieProvider(PaymentProvider):
    """Payments at Mollie (API v2)."""

    name = "mollie"

    def __init__(self):
        self.client = Client(
            api_endpoint=getattr(settings, "MOLLIE_API_URL", "") or Client.API_ENDPOINT,
            timeout=(3, 10),
        )
        try:
            self.client.set_api_key(getattr(settings, "MOLLIE_API_KEY", ""))
        except MollieError as error:
            raise PaymentProviderError(f"Mollie is not configured: {error}") from error

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
        data = {
            "amount": {"currency": currency, "value": f"{amount.quantize(Decimal('0.01'))}"},
            "description": description[:255],
            "redirectUrl": redirect_url,
            "webhookUrl": webhook_url,
            "method": str(method),
            "metadata": metadata,
            "locale": LOCALES.get(locale[:2], locale),
        }
        try:
            payment = self.client.payments.create(data, idempotency_key=idempotency_key)
        except MollieError as error:
            raise PaymentProviderError(f"Mollie refused the payment: {error}") from error
        return self._payment(payment)

    def fetch(self, payment_id: str) -> ProviderPayment:
        try:
            payment = self.client.payments.get(payment_id)
        except MollieError as error:
            raise PaymentProviderError(f"Mollie could not give {payment_id}: {error}") from error
        return self._payment(payment)

    @staticmethod
    def _payment(payment) -> ProviderPayment:
        details = payment.details or {}
        transfer = {}
        if payment.method == Method.BANK_TRANSFER and details:
            transfer = {
                "bank_name": details.get("bankName", ""),
                "account": details.get("bankAccount", ""),
                "bic": details.get("bankBic", ""),
                "reference": details.get("transferReference", ""),
            }
        try:
            status = Status(payment.status)
        except ValueError as error:
            raise PaymentProviderError(f"Unknown Mollie status {payment.status!r}") from error
        return ProviderPayment(
            id=payment.id,
            status=status,
            amount=Decimal(payment.amount["value"]),
            currency=payment.amount["currency"],
            checkout_url=payment.checkout_url or "",
            method=payment.method or "",
            metadata=payment.metadata or {},
            transfer_details=transfer,
        )
