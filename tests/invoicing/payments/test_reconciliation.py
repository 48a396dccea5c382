"""Bank reconciliation from CODA statements the tests build: exact, partial and over-payments,
unknown money, the same file twice, the staff pages and the management command."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from alliance.base.models import DomainError
from chambers.models import Chamber
from invoicing.models import BankStatement, BankTransaction, Invoice
from invoicing.payments import services
from tests.invoicing.payments.coda_builder import CodaStatement
from tests.invoicing.payments.helpers import make_invoice

pytestmark = pytest.mark.django_db

Outcome = BankTransaction.Outcome


def statement_for(chamber, **kwargs):
    return CodaStatement(iban=chamber.iban, **kwargs)


def read(chamber, built, *, chambers=None):
    return services.statement_import(
        chambers=chambers or Chamber.objects.filter(pk=chamber.pk),
        data=built.build(),
        file_name="uittreksel.cod",
        actor=None,
    )


def test_exact_partial_over_and_unknown_payments(this_chamber, company):
    exact, partial, over = (
        make_invoice(chamber=this_chamber, company=company, net=Decimal(net))
        for net in ("100.00", "200.00", "50.00")
    )
    built = (
        statement_for(this_chamber)
        .credit(exact.total_gross, structured=exact.structured_communication, name=company.name)
        .credit(Decimal("100.00"), structured=partial.structured_communication)
        .credit(over.total_gross + Decimal("10.00"), structured=over.structured_communication)
        .credit(Decimal("42.00"), communication="lidgeld")
        .debit(Decimal("3.00"), communication="kosten")
    )
    statement = read(this_chamber, built)
    rows = {row.invoice_id: row for row in statement.transactions.all()}
    for invoice in (exact, partial, over):
        invoice.refresh_from_db()
    assert rows[exact.pk].outcome == Outcome.PAID and exact.status == Invoice.Status.PAID
    assert exact.amount_paid == exact.total_gross and exact.paid_at is not None
    assert rows[exact.pk].counterparty_name == company.name
    assert rows[partial.pk].outcome == Outcome.PARTIAL and partial.status == Invoice.Status.OPEN
    assert partial.amount_due == partial.total_gross - Decimal("100.00")
    assert rows[over.pk].outcome == Outcome.OVERPAID and over.status == Invoice.Status.PAID
    assert rows[None].outcome == Outcome.UNMATCHED and rows[None].communication == "lidgeld"
    assert statement.transactions.count() == 4  # the debit is no payment

    # The rest of the partial payment comes on the next statement and settles it.
    rest = statement_for(this_chamber, number=2).credit(
        partial.amount_due, structured=partial.structured_communication
    )
    read(this_chamber, rest)
    partial.refresh_from_db()
    assert partial.status == Invoice.Status.PAID


def test_the_same_file_twice_and_the_same_movement_in_another_file_book_once(this_chamber, company):
    invoice = make_invoice(chamber=this_chamber, company=company)
    built = statement_for(this_chamber).credit(
        invoice.total_gross, structured=invoice.structured_communication
    )
    read(this_chamber, built)
    with pytest.raises(DomainError) as refused:
        read(this_chamber, built)
    assert refused.value.code == "duplicate"
    # The bank sends the statement again as a duplicate (another header, the same movements).
    again = statement_for(this_chamber, holder="Voka Kempen (duplicaat)").credit(
        invoice.total_gross, structured=invoice.structured_communication
    )
    read(this_chamber, again)
    invoice.refresh_from_db()
    assert invoice.amount_paid == invoice.total_gross
    assert BankTransaction.objects.count() == 1


def test_a_payment_on_an_invoice_already_paid_online_is_flagged_as_too_much(this_chamber, company):
    invoice = make_invoice(chamber=this_chamber, company=company)
    read(
        this_chamber,
        statement_for(this_chamber).credit(
            invoice.total_gross, structured=invoice.structured_communication
        ),
    )
    second = statement_for(this_chamber, number=2).credit(
        invoice.total_gross, structured=invoice.structured_communication
    )
    statement = read(this_chamber, second)
    assert statement.transactions.get().outcome == Outcome.OVERPAID
    invoice.refresh_from_db()
    assert invoice.amount_paid == 2 * invoice.total_gross and invoice.amount_due == 0


def test_only_the_statements_of_ones_own_chamber(this_chamber, antwerpen, company):
    antwerpen.iban = "BE71096123456769"
    antwerpen.save(update_fields=["iban"])
    theirs = make_invoice(chamber=antwerpen, company=company)
    built = statement_for(this_chamber).credit(
        theirs.total_gross, structured=theirs.structured_communication
    )
    # Kempen's account: another chamber's invoice is not paid by it.
    statement = read(this_chamber, built)
    assert statement.transactions.get().outcome == Outcome.UNMATCHED
    # Antwerpen's account, uploaded by someone who manages Kempen only: refused.
    with pytest.raises(DomainError) as refused:
        read(this_chamber, statement_for(antwerpen).credit(Decimal("1")))
    assert refused.value.code == "account"


def test_the_staff_pages_upload_list_and_handle(client, chamber_admin, this_chamber, company):
    invoice = make_invoice(chamber=this_chamber, company=company)
    built = statement_for(this_chamber).credit(
        Decimal("10.00"), structured=invoice.structured_communication
    )
    client.force_login(chamber_admin)
    upload = SimpleUploadedFile("kempen.cod", built.build(), "text/plain")
    response = client.post(reverse("staff:bank_statements"), {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "1 gedeeltelijk" in response.content.decode()
    listed = client.get(reverse("staff:bank_transactions")).content.decode()
    assert invoice.number in listed and "Gedeeltelijk betaald" in listed
    open_page = client.get(reverse("staff:payments_open")).content.decode()
    assert company.name in open_page
    row = BankTransaction.objects.get()
    client.post(reverse("staff:bank_transaction_handle", kwargs={"pk": row.pk}))
    row.refresh_from_db()
    assert row.handled_at is not None and row.handled_by == chamber_admin
    assert invoice.number not in client.get(reverse("staff:bank_transactions")).content.decode()


def test_a_broken_file_is_refused_on_the_page_and_nothing_is_written(
    client, chamber_admin, this_chamber
):
    client.force_login(chamber_admin)
    broken = statement_for(this_chamber).credit(Decimal("1")).build()[:-140]
    upload = SimpleUploadedFile("kapot.cod", broken, "text/plain")
    response = client.post(reverse("staff:bank_statements"), {"file": upload})
    assert response.status_code == 400
    assert "slotregel" in response.content.decode()
    assert not BankStatement.objects.exists()


def test_the_management_command(tmp_path, this_chamber, company, capsys):
    invoice = make_invoice(chamber=this_chamber, company=company)
    path = tmp_path / "kempen.cod"
    path.write_bytes(
        statement_for(this_chamber)
        .credit(invoice.total_gross, structured=invoice.structured_communication)
        .build()
    )
    call_command("import_coda", str(path), "--chamber", this_chamber.slug)
    assert "1 paid" in capsys.readouterr().out
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    call_command("import_coda", str(path))  # read before: skipped, not an error
    bad = tmp_path / "bad.cod"
    bad.write_text("nonsense")
    with pytest.raises(CommandError):
        call_command("import_coda", str(bad))
