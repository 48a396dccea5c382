"""The Mollie adapter (the official client) against the local fake of Mollie's API."""

from decimal import Decimal

import pytest

from invoicing.payments import Method, PaymentProviderError, Status, provider
from invoicing.payments.mollie import MollieProvider
from tests.invoicing.payments.fake_mollie import API_KEY, FakeMollie


@pytest.fixture
def fake_mollie(settings):
    with FakeMollie() as fake:
        settings.MOLLIE_API_URL = fake.url
        settings.MOLLIE_API_KEY = API_KEY
        settings.PAYMENT_PROVIDER = "invoicing.payments.mollie.MollieProvider"
        yield fake


def start(method=Method.BANCONTACT, key="invoice-1-attempt-1", amount=Decimal("121.00")):
    return provider().create(
        amount=amount,
        currency="EUR",
        description="Factuur 2026-0001",
        method=method,
        redirect_url="http://127.0.0.1/me/pay/return/",
        webhook_url="http://127.0.0.1/payments/webhook/",
        metadata={"invoice": 1},
        idempotency_key=key,
        locale="nl",
    )


def test_a_payment_is_created_with_a_checkout_and_fetched_as_it_changes(fake_mollie):
    payment = start()
    assert payment.id.startswith("tr_")
    assert payment.status is Status.OPEN
    assert payment.amount == Decimal("121.00") and payment.currency == "EUR"
    assert payment.checkout_url == f"{fake_mollie.url}/checkout/{payment.id}"
    assert payment.metadata == {"invoice": 1}
    sent = fake_mollie.payments[payment.id]
    assert sent["method"] == "bancontact" and sent["locale"] == "nl_BE"
    assert sent["webhookUrl"] == "http://127.0.0.1/payments/webhook/"
    for status in ("failed", "expired", "canceled", "paid"):
        fake_mollie.set_status(payment.id, status)
        fetched = provider().fetch(payment.id)
        assert fetched.status == Status(status) and fetched.status.is_final
    assert provider().fetch(payment.id).checkout_url == ""


def test_card_and_bank_transfer(fake_mollie):
    card = start(Method.CARD, key="card")
    assert fake_mollie.payments[card.id]["method"] == "creditcard"
    transfer = start(Method.BANK_TRANSFER, key="transfer")
    assert transfer.transfer_details["account"] == "BE12345678901234"
    assert transfer.transfer_details["reference"]


def test_the_same_idempotency_key_gives_the_same_payment(fake_mollie):
    assert start(key="same").id == start(key="same").id
    assert start(key="other").id != start(key="same").id


def test_refusals_and_unknown_payments_become_a_provider_error(fake_mollie, settings):
    with pytest.raises(PaymentProviderError):
        start(amount=Decimal("0"))
    with pytest.raises(PaymentProviderError):
        provider().fetch("tr_doesnotexist")
    settings.MOLLIE_API_KEY = "test_wrongKeyForTheFakeToRefuse000"
    with pytest.raises(PaymentProviderError):
        provider().fetch("tr_doesnotexist")
    settings.MOLLIE_API_KEY = "not a key"
    with pytest.raises(PaymentProviderError):
        MollieProvider()


def test_an_unreachable_provider_is_a_provider_error(settings):
    with FakeMollie() as fake:
        url = fake.url
    settings.MOLLIE_API_URL = url  # stopped: nothing listens there any more
    settings.MOLLIE_API_KEY = API_KEY
    with pytest.raises(PaymentProviderError):
        MollieProvider().fetch("tr_gone")
