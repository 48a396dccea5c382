"""Payment reminders for overdue invoices: on the days set, each step once, in the admins'
language, never for a paid invoice; the beat task and time travel."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from invoicing.models import Invoice, PaymentReminder
from invoicing.payments import dunning
from invoicing.tasks import send_payment_reminders
from members.models import Person
from tests.factories import PersonFactory
from tests.helpers import travel_to
from tests.invoicing.payments.helpers import make_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(company):
    return [
        PersonFactory(company=company, role=Person.Role.ADMIN, preferred_language="nl"),
        PersonFactory(company=company, role=Person.Role.ADMIN, preferred_language="fr"),
        PersonFactory(company=company, role=Person.Role.EMPLOYEE),
    ]


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 30)))


def run_on(day, django_capture_on_commit_callbacks):
    with travel_to(at(day)), django_capture_on_commit_callbacks(execute=True):
        return send_payment_reminders.delay().get()


def test_reminders_go_out_7_and_21_days_after_the_due_date_once_each(
    this_chamber, company, admins, settings, django_capture_on_commit_callbacks
):
    settings.DUNNING_DAYS = [7, 21]
    invoice = make_invoice(chamber=this_chamber, company=company)
    due = invoice.due_date
    sent = {}
    for offset in range(0, 30):
        mail.outbox.clear()
        count = run_on(due + datetime.timedelta(days=offset), django_capture_on_commit_callbacks)
        if count:
            sent[offset] = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert list(sent) == [7, 21]
    nl, fr, _employee = admins
    assert [to for to, _ in sent[7]] == sorted([nl.email, fr.email])
    subjects = dict(sent[21])
    assert (
        subjects[nl.email].startswith("Laatste herinnering")
        and invoice.number in subjects[nl.email]
    )
    assert "Herinnering" not in subjects[fr.email]  # in French
    reminders = list(PaymentReminder.objects.filter(invoice=invoice).order_by("step"))
    assert [(r.step, r.days_overdue, r.amount_due) for r in reminders] == [
        (1, 7, invoice.total_gross),
        (2, 21, invoice.total_gross),
    ]


def test_the_reminder_says_what_is_due_how_to_pay_and_links_the_pay_page(
    this_chamber, company, admins, django_capture_on_commit_callbacks
):
    invoice = make_invoice(chamber=this_chamber, company=company)
    Invoice.objects.filter(pk=invoice.pk).update(amount_paid=Decimal("21.00"))
    run_on(invoice.due_date + datetime.timedelta(days=8), django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if m.to == [admins[0].email])
    body = message.body
    assert invoice.structured_communication_display in body
    assert f"/me/invoices/{invoice.pk}/pay/" in body
    assert "100,00" in body  # 121,00 minus 21,00 paid, the Belgian way


def test_no_reminder_for_a_paid_invoice_a_credit_note_or_before_the_day(
    this_chamber, company, admins, django_capture_on_commit_callbacks
):
    paid = make_invoice(chamber=this_chamber, company=company)
    Invoice.objects.filter(pk=paid.pk).update(
        status=Invoice.Status.PAID, amount_paid=paid.total_gross, paid_at=timezone.now()
    )
    make_invoice(
        chamber=this_chamber,
        company=company,
        kind=Invoice.Kind.CREDIT_NOTE,
        credited_invoice=paid,
        structured_communication="",
    )
    fresh = make_invoice(chamber=this_chamber, company=company)
    assert (
        run_on(paid.due_date + datetime.timedelta(days=8), django_capture_on_commit_callbacks) == 1
    )
    assert set(PaymentReminder.objects.values_list("invoice_id", flat=True)) == {fresh.pk}
    assert (
        run_on(fresh.due_date + datetime.timedelta(days=6), django_capture_on_commit_callbacks) == 0
    )


def test_a_step_missed_is_not_sent_late_beside_the_next(
    this_chamber, company, admins, django_capture_on_commit_callbacks
):
    invoice = make_invoice(chamber=this_chamber, company=company)
    # The beat was down for weeks: at 25 days only the last reminder goes, once.
    assert (
        run_on(invoice.due_date + datetime.timedelta(days=25), django_capture_on_commit_callbacks)
        == 1
    )
    assert (
        run_on(invoice.due_date + datetime.timedelta(days=26), django_capture_on_commit_callbacks)
        == 0
    )
    assert list(PaymentReminder.objects.values_list("step", flat=True)) == [2]
    assert len(mail.outbox) == 2  # the two admins, once


def test_the_steps_follow_the_setting(settings):
    settings.DUNNING_DAYS = [30, 10, 10, 0]
    assert dunning.steps() == [10, 30]
