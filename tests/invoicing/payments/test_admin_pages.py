"""The payments side's records read in Django's admin, and nobody edits them there."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from invoicing.models import BankStatement, BankTransaction, Payment, PaymentReminder
from invoicing.payments import services
from tests.invoicing.payments.coda_builder import CodaStatement
from tests.invoicing.payments.helpers import make_invoice

pytestmark = pytest.mark.django_db


def test_each_list_and_record_reads_and_none_can_be_added_or_changed(
    admin_client, this_chamber, company, fake_mollie
):
    invoice = make_invoice(chamber=this_chamber, company=company)
    payment = services.payment_start(invoice=invoice, method="bancontact", actor=None)
    statement = services.statement_import(
        chambers=[this_chamber],
        data=CodaStatement(iban=this_chamber.iban).credit(Decimal("5.00")).build(),
        file_name="kempen.cod",
        actor=None,
    )
    rows = {
        Payment: payment,
        BankStatement: statement,
        BankTransaction: statement.transactions.get(),
    }
    for model, row in rows.items():
        name = f"admin:invoicing_{model._meta.model_name}"
        assert admin_client.get(reverse(f"{name}_changelist")).status_code == 200
        assert admin_client.get(reverse(f"{name}_change", args=[row.pk])).status_code == 200
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(None)
        assert not model_admin.has_change_permission(None, row)
    assert admin.site.is_registered(PaymentReminder)
