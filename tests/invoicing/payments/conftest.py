"""Fixtures of the payments tests: the fake Mollie, a chamber with a bank account, an invoice."""

from decimal import Decimal

import pytest

from tests.invoicing.payments.fake_mollie import API_KEY, FakeMollie
from tests.invoicing.payments.helpers import make_invoice


@pytest.fixture
def fake_mollie(settings):
    with FakeMollie() as fake:
        settings.MOLLIE_API_URL = fake.url
        settings.MOLLIE_API_KEY = API_KEY
        settings.PAYMENT_PROVIDER = "invoicing.payments.mollie.MollieProvider"
        yield fake


@pytest.fixture
def this_chamber(kempen):
    kempen.iban = "BE68539007547034"
    kempen.bic = "GKCCBEBB"
    kempen.save(update_fields=["iban", "bic"])
    return kempen


@pytest.fixture
def invoice(this_chamber, company):
    return make_invoice(chamber=this_chamber, company=company, net=Decimal("100.00"))
