"""The issue's "done when", the payments half: a member company receives its dues invoice for
the new year on the renewal date (invoicing's beat task), pays it online, and it is paid; the
same invoice settled by a bank transfer on a CODA statement instead."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chambers.models import StaffRole
from invoicing.models import Invoice, Payment
from invoicing.payments import services
from invoicing.services import dues_invoices_issue
from members.models import Membership
from tests.factories import StaffRoleFactory
from tests.helpers import client_for
from tests.invoicing.conftest import make_seller
from tests.invoicing.payments.coda_builder import CodaStatement

pytestmark = pytest.mark.django_db


@pytest.fixture
def dues_invoice(mechelen, company):
    """The company's membership at Mechelen, renewed for the year that starts today."""
    make_seller(mechelen)
    start = timezone.localdate()
    membership = company.memberships.get()
    Membership.objects.filter(pk=membership.pk).update(
        valid_from=start, valid_until=start + datetime.timedelta(days=364)
    )
    assert dues_invoices_issue(today=start) >= 1
    return Invoice.objects.get(source_kind=Invoice.Source.MEMBERSHIP, source_id=membership.pk)


def test_the_dues_invoice_is_paid_online(member_client, client, fake_mollie, dues_invoice):
    assert dues_invoice.status == Invoice.Status.OPEN and dues_invoice.total_gross > 0
    company_page = member_client.get(reverse("me:company")).content.decode()
    assert "Lidgeld te betalen voor" in company_page and "Lidgeld betaald" not in company_page
    response = member_client.post(
        reverse("me:invoice_pay", kwargs={"pk": dues_invoice.pk}), {"method": "bancontact"}
    )
    payment = Payment.objects.get(invoice=dues_invoice)
    assert response["Location"] == payment.checkout_url
    assert fake_mollie.payments[payment.provider_id]["amount"]["value"] == str(
        dues_invoice.total_gross
    )
    fake_mollie.set_status(payment.provider_id, "paid")
    client.post(reverse("payments:webhook"), fake_mollie.webhook_body(payment.provider_id))
    dues_invoice.refresh_from_db()
    assert dues_invoice.status == Invoice.Status.PAID
    # The membership shows paid, to the member and to the chamber's staff.
    company_page = member_client.get(reverse("me:company")).content.decode()
    assert "Lidgeld betaald" in company_page and "Lidgeld te betalen" not in company_page
    staff = StaffRoleFactory(chamber=dues_invoice.chamber, role=StaffRole.Role.VIEWER).user
    staff_page = client_for(staff).get(
        reverse("staff:member_detail", kwargs={"slug": dues_invoice.company.slug})
    )
    assert "Lidgeld betaald" in staff_page.content.decode()


def test_the_dues_invoice_is_paid_by_bank_transfer(dues_invoice):
    statement = CodaStatement(
        iban=dues_invoice.chamber.iban, day=dues_invoice.issue_date + datetime.timedelta(days=9)
    ).credit(dues_invoice.total_gross, structured=dues_invoice.structured_communication)
    services.statement_import(
        chambers=[dues_invoice.chamber], data=statement.build(), file_name="k.cod", actor=None
    )
    dues_invoice.refresh_from_db()
    assert dues_invoice.status == Invoice.Status.PAID
