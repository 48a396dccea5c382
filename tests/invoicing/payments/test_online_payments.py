"""Paying an invoice online, end to end against the local fake of Mollie: the pay page, the
checkout, the webhook (failed, expired, duplicate, paid), the return page, and who may pay."""

import urllib.error
import urllib.request
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse

from alliance.base.models import DomainError
from invoicing.models import Invoice, Payment
from invoicing.payments import services
from tests.factories import CompanyFactory, PersonFactory, UserFactory
from tests.invoicing.payments.helpers import make_invoice

pytestmark = pytest.mark.django_db

WEBHOOK = "/payments/webhook/"


def start(member_client, invoice, method="bancontact"):
    response = member_client.post(
        reverse("me:invoice_pay", kwargs={"pk": invoice.pk}), {"method": method}
    )
    assert response.status_code == 302
    payment = Payment.objects.get(invoice=invoice, status=Payment.Status.OPEN)
    assert response["Location"] == payment.checkout_url
    return payment


def webhook(client, fake, payment):
    return client.post(WEBHOOK, fake.webhook_body(payment.provider_id))


def test_the_invoices_list_offers_to_pay_the_open_ones(member_client, invoice, this_chamber):
    paid = make_invoice(chamber=this_chamber, company=invoice.company)
    Invoice.objects.filter(pk=paid.pk).update(
        status=Invoice.Status.PAID, amount_paid=paid.total_gross, paid_at=paid.created_at
    )
    page = member_client.get(reverse("me:invoices")).content.decode()
    assert reverse("me:invoice_pay", kwargs={"pk": invoice.pk}) in page
    assert reverse("me:invoice_pay", kwargs={"pk": paid.pk}) not in page


def test_pay_page_shows_what_is_due_and_the_structured_communication(member_client, invoice):
    response = member_client.get(reverse("me:invoice_pay", kwargs={"pk": invoice.pk}))
    assert response.status_code == 200
    content = response.content.decode()
    assert invoice.structured_communication_display in content
    assert invoice.number in content
    assert "Bancontact" in content and "Kredietkaart" in content and "Overschrijving" in content


def test_a_paid_bancontact_payment_marks_the_invoice_paid_once(
    member_client, client, fake_mollie, invoice
):
    payment = start(member_client, invoice)
    sent = fake_mollie.payments[payment.provider_id]
    assert sent["amount"] == {"currency": "EUR", "value": str(invoice.total_gross)}
    assert sent["method"] == "bancontact"
    assert sent["webhookUrl"].endswith(WEBHOOK)
    assert sent["redirectUrl"].endswith(reverse("me:payment_return", kwargs={"pk": payment.pk}))

    # The payer pays at the checkout and comes back; the webhook follows, twice.
    fake_mollie.set_status(payment.provider_id, "paid")
    assert webhook(client, fake_mollie, payment).status_code == 200
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert invoice.amount_paid == invoice.total_gross
    paid_at = invoice.paid_at
    assert webhook(client, fake_mollie, payment).status_code == 200
    invoice.refresh_from_db()
    payment.refresh_from_db()
    assert (invoice.amount_paid, invoice.paid_at) == (invoice.total_gross, paid_at)
    assert payment.status == Payment.Status.PAID and payment.applied_at is not None

    response = member_client.get(reverse("me:payment_return", kwargs={"pk": payment.pk}))
    assert "Bedankt" in response.content.decode()


def test_the_payer_hears_once_that_the_money_arrived(
    member_client, member_user, client, fake_mollie, invoice, django_capture_on_commit_callbacks
):
    payment = start(member_client, invoice)
    fake_mollie.set_status(payment.provider_id, "paid")
    mail.outbox.clear()
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            webhook(client, fake_mollie, payment)
    assert [m.to for m in mail.outbox] == [[member_user.email]]
    assert invoice.number in mail.outbox[0].subject


@pytest.mark.parametrize("status", ["failed", "expired", "canceled"])
def test_a_failed_expired_or_cancelled_payment_leaves_the_invoice_open_to_pay_again(
    member_client, client, fake_mollie, invoice, status
):
    payment = start(member_client, invoice)
    fake_mollie.set_status(payment.provider_id, status)
    assert webhook(client, fake_mollie, payment).status_code == 200
    assert webhook(client, fake_mollie, payment).status_code == 200  # duplicate
    invoice.refresh_from_db()
    payment.refresh_from_db()
    assert invoice.status == Invoice.Status.OPEN and invoice.amount_paid == 0
    assert payment.status == status and payment.applied_at is None
    page = member_client.get(reverse("me:payment_return", kwargs={"pk": payment.pk}))
    assert "opnieuw betalen" in page.content.decode()

    second = start(member_client, invoice, method="creditcard")
    assert second.provider_id != payment.provider_id
    fake_mollie.set_status(second.provider_id, "paid")
    webhook(client, fake_mollie, second)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID


def test_the_return_page_asks_the_provider_when_the_webhook_is_late(
    member_client, fake_mollie, invoice
):
    payment = start(member_client, invoice)
    # The checkout page plays the payer: it sets the status and sends them back.
    checkout = fake_mollie.url + f"/checkout/{payment.provider_id}?status=paid"

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(checkout)
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 302
        assert (
            redirect.headers["Location"] == fake_mollie.payments[payment.provider_id]["redirectUrl"]
        )
    response = member_client.get(reverse("me:payment_return", kwargs={"pk": payment.pk}))
    assert "Bedankt" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID


def test_a_webhook_body_is_never_trusted(client, fake_mollie, member_client, invoice):
    payment = start(member_client, invoice)
    # Someone posts the id with "status=paid": the provider still says open.
    response = client.post(WEBHOOK, {"id": payment.provider_id, "status": "paid"})
    assert response.status_code == 200
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.OPEN
    # Unknown and malformed ids change nothing.
    assert client.post(WEBHOOK, {"id": "tr_unknown123"}).status_code == 200
    assert client.post(WEBHOOK, {"id": "'; drop table"}).status_code == 400
    assert client.get(WEBHOOK).status_code == 405


def test_an_amount_other_than_asked_is_not_booked(client, fake_mollie, member_client, invoice):
    payment = start(member_client, invoice)
    fake_mollie.payments[payment.provider_id]["amount"]["value"] = "1.00"
    fake_mollie.set_status(payment.provider_id, "paid")
    webhook(client, fake_mollie, payment)
    invoice.refresh_from_db()
    payment.refresh_from_db()
    assert invoice.status == Invoice.Status.OPEN and invoice.amount_paid == 0
    assert payment.applied_at is None and "1.00" in payment.problem


def test_the_provider_down_at_the_webhook_answers_503_so_it_calls_again(
    client, fake_mollie, member_client, invoice, settings
):
    payment = start(member_client, invoice)
    fake_mollie.set_status(payment.provider_id, "paid")
    settings.MOLLIE_API_URL = "http://127.0.0.1:9"  # nothing listens there
    assert webhook(client, fake_mollie, payment).status_code == 503
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.OPEN
    settings.MOLLIE_API_URL = fake_mollie.url
    assert webhook(client, fake_mollie, payment).status_code == 200
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID


def test_the_provider_down_at_the_start_says_so_and_books_nothing(member_client, invoice, settings):
    settings.MOLLIE_API_KEY = "test_fakeMollieKeyForTheTestsOnly00"
    settings.MOLLIE_API_URL = "http://127.0.0.1:9"
    response = member_client.post(
        reverse("me:invoice_pay", kwargs={"pk": invoice.pk}), {"method": "bancontact"}, follow=True
    )
    assert "Online betalen lukt nu niet" in response.content.decode()
    assert Payment.objects.get(invoice=invoice).status == Payment.Status.ERROR


def test_a_paid_invoice_and_a_credit_note_cannot_be_paid(member_client, fake_mollie, invoice):
    start(member_client, invoice)
    Invoice.objects.filter(pk=invoice.pk).update(
        status=Invoice.Status.PAID, amount_paid=invoice.total_gross, paid_at=invoice.created_at
    )
    response = member_client.post(
        reverse("me:invoice_pay", kwargs={"pk": invoice.pk}), {"method": "bancontact"}, follow=True
    )
    assert "al betaald" in response.content.decode()
    assert Payment.objects.filter(invoice=invoice).count() == 1
    credit = make_invoice(
        chamber=invoice.chamber,
        company=invoice.company,
        kind=Invoice.Kind.CREDIT_NOTE,
        credited_invoice=invoice,
        structured_communication="",
    )
    assert member_client.get(reverse("me:invoice_pay", kwargs={"pk": credit.pk})).status_code == 404


def test_bank_transfer_through_the_provider(member_client, client, fake_mollie, invoice):
    payment = start(member_client, invoice, method="banktransfer")
    assert fake_mollie.payments[payment.provider_id]["method"] == "banktransfer"
    page = member_client.get(reverse("me:payment_return", kwargs={"pk": payment.pk}))
    assert "Een overschrijving kan een paar dagen duren" in page.content.decode()


def test_the_webhook_over_real_http(live_server, fake_mollie, invoice, settings, transactional_db):
    """Mollie's side for real: its webhook is an HTTP POST to the portal's address."""
    settings.PORTAL_URL = live_server.url
    user_less = services.payment_start(invoice=invoice, method="bancontact", actor=None)
    fake_mollie.set_status(user_less.provider_id, "paid")
    assert fake_mollie.fire_webhook(user_less.provider_id) == 200
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID


def test_a_company_sees_and_pays_only_its_own_invoices(client, fake_mollie, invoice, this_chamber):
    other = CompanyFactory(name="Andere NV")
    stranger = UserFactory()
    PersonFactory(company=other, user=stranger, email=stranger.email)
    client.force_login(stranger)
    assert client.get(reverse("me:invoice_pay", kwargs={"pk": invoice.pk})).status_code == 404
    assert (
        client.post(
            reverse("me:invoice_pay", kwargs={"pk": invoice.pk}), {"method": "bancontact"}
        ).status_code
        == 404
    )
    assert not Payment.objects.exists()
    own = make_invoice(chamber=this_chamber, company=other)
    payment = services.payment_start(invoice=own, method="bancontact", actor=stranger)
    assert client.get(reverse("me:payment_return", kwargs={"pk": payment.pk})).status_code == 200
    client.force_login(UserFactory())  # no company's person: sent to /me/
    assert client.get(reverse("me:payment_return", kwargs={"pk": payment.pk})).status_code == 302


def test_a_registration_is_paid_through_its_invoice(fake_mollie, this_chamber, company, person):
    registration = SimpleNamespace(pk=4242)  # what events.billing bills: its kind and id
    invoice = make_invoice(
        chamber=this_chamber,
        company=company,
        source_kind=Invoice.Source.REGISTRATION,
        source_id=registration.pk,
    )
    payment = services.payment_start(registration=registration, method="creditcard", actor=None)
    assert payment.invoice == invoice and payment.amount == invoice.total_gross
    with pytest.raises(DomainError):
        services.payment_start(registration=SimpleNamespace(pk=1), method="creditcard", actor=None)


def test_an_online_payment_for_an_invoice_paid_meanwhile_is_booked_and_shown_to_staff(
    member_client, client, fake_mollie, invoice, chamber_admin
):
    payment = start(member_client, invoice)
    Invoice.objects.filter(pk=invoice.pk).update(
        status=Invoice.Status.PAID, amount_paid=invoice.total_gross, paid_at=invoice.created_at
    )
    fake_mollie.set_status(payment.provider_id, "paid")
    webhook(client, fake_mollie, payment)
    invoice.refresh_from_db()
    payment.refresh_from_db()
    assert invoice.amount_paid == 2 * invoice.total_gross and payment.problem
    client.force_login(chamber_admin)
    page = client.get(reverse("staff:bank_transactions")).content.decode()
    assert "Online betalingen om na te kijken" in page and invoice.number in page


def test_without_a_provider_key_paying_online_says_so_and_starts_nothing(
    member_client, invoice, settings
):
    settings.MOLLIE_API_KEY = ""
    response = member_client.post(
        reverse("me:invoice_pay", kwargs={"pk": invoice.pk}), {"method": "bancontact"}, follow=True
    )
    assert response.status_code == 200
    assert "Online betalen lukt nu niet" in response.content.decode()
    assert not Payment.objects.exists()
