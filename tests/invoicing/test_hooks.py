"""The services that charge produce the documents: a confirmed paid registration an invoice,
a cancellation within the terms a credit note, a membership period its dues invoice."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from events import services as event_services
from events.models import Event, Registration
from invoicing import services, tasks
from invoicing.models import Invoice
from members import services as member_services
from tests.factories import (
    CompanyFactory,
    EventFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)


@pytest.fixture
def paid_event(seller):
    return EventFactory(
        organiser=seller,
        kind=Event.Kind.TRAINING,
        kmo_recognition_number="DV.O100200",
        member_price=Decimal("120.00"),
        non_member_price=Decimal("180.00"),
        free_cancellation_until=timezone.now() + datetime.timedelta(days=10),
    )


def _invoice_of(registration):
    return Invoice.objects.get(
        kind="invoice", source_kind="registration", source_id=registration.pk
    )


def test_a_confirmed_paid_registration_is_invoiced_at_its_price(paid_event, seller):
    person = PersonFactory(company=CompanyFactory())  # not a member: the non-member price
    registration = event_services.registration_create(
        event=paid_event, person=person, purchase_order="PO-9"
    )
    invoice = _invoice_of(registration)
    assert invoice.chamber == seller and invoice.company == person.company
    assert invoice.total_net == registration.price == paid_event.non_member_price
    assert invoice.buyer_reference == "PO-9"
    assert invoice.kmo_recognition_number == "DV.O100200"
    (line,) = invoice.lines.all()
    assert line.product_kind == "training_fee"
    assert person.full_name in line.description


def test_a_member_pays_the_member_price(paid_event, seller):
    company = CompanyFactory()
    MembershipFactory(company=company, chamber=seller)
    registration = event_services.registration_create(
        event=paid_event, person=PersonFactory(company=company)
    )
    assert _invoice_of(registration).total_net == paid_event.member_price


def test_free_and_waitlisted_registrations_are_not_invoiced(seller):
    free = EventFactory(organiser=seller, member_price=0, non_member_price=0)
    event_services.registration_create(event=free, person=PersonFactory())
    full = EventFactory(organiser=seller, capacity=1, has_waiting_list=True)
    taken = event_services.registration_create(event=full, person=PersonFactory())
    waiting = event_services.registration_create(event=full, person=PersonFactory())
    assert waiting.status == Registration.Status.WAITLISTED
    assert list(Invoice.objects.values_list("source_id", flat=True)) == [taken.pk]


def test_cancellation_within_the_terms_gives_a_credit_note(paid_event):
    registration = event_services.registration_create(event=paid_event, person=PersonFactory())
    invoice = _invoice_of(registration)
    event_services.registration_cancel(registration=registration)
    invoice.refresh_from_db()
    note = invoice.credit_notes.get()
    assert note.total_gross == invoice.total_gross
    assert invoice.status == Invoice.Status.CANCELLED


def test_late_cancellation_credits_all_but_the_fee(seller):
    event = EventFactory(
        organiser=seller,
        non_member_price=Decimal("100.00"),
        free_cancellation_until=timezone.now() - datetime.timedelta(hours=1),
        late_cancellation=Event.LateCancellation.FEE,
        late_cancellation_fee=Decimal("30.00"),
    )
    registration = event_services.registration_create(event=event, person=PersonFactory())
    invoice = _invoice_of(registration)
    registration = event_services.registration_cancel(registration=registration)
    assert registration.cancellation_fee == Decimal("30.00")
    note = invoice.credit_notes.get()
    assert note.total_net == Decimal("70.00")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.OPEN  # the fee is still due


def test_a_cancelled_event_credits_every_invoice(paid_event, seller):
    registrations = [
        event_services.registration_create(event=paid_event, person=PersonFactory())
        for _ in range(2)
    ]
    manager = UserFactory(is_superuser=True)
    event_services.event_cancel(event=paid_event, actor=manager)
    for registration in registrations:
        assert _invoice_of(registration).credit_notes.count() == 1


def test_a_place_from_the_waiting_list_is_invoiced_when_it_is_confirmed(seller):
    event = EventFactory(organiser=seller, capacity=1, has_waiting_list=True)
    first = event_services.registration_create(event=event, person=PersonFactory())
    second = event_services.registration_create(event=event, person=PersonFactory())
    assert not Invoice.objects.filter(source_id=second.pk).exists()
    event_services.registration_cancel(registration=first)
    second.refresh_from_db()
    assert second.status == Registration.Status.CONFIRMED
    assert _invoice_of(second).total_net == second.price


def test_an_organiser_without_seller_details_does_not_invoice(kempen):
    event = EventFactory(organiser=kempen)
    registration = event_services.registration_create(event=event, person=PersonFactory())
    assert registration.status == Registration.Status.CONFIRMED
    assert not Invoice.objects.exists()


def test_dues_invoice_on_the_renewal_date(seller):
    today = timezone.localdate()
    membership = MembershipFactory(
        chamber=seller,
        valid_from=today - datetime.timedelta(days=400),
        valid_until=today - datetime.timedelta(days=36),
    )
    # The renewal starts the day after the old period; it is due once that day has come.
    membership.valid_until = today - datetime.timedelta(days=1)
    membership.save()
    admin = UserFactory(is_superuser=True)
    renewal = member_services.membership_renew(membership=membership, actor=admin)
    assert renewal.valid_from == today
    assert tasks.issue_dues_invoices.delay() is not None
    invoice = Invoice.objects.get(source_kind="membership", source_id=renewal.pk)
    assert invoice.issue_date == today and invoice.company == membership.company
    # The old period, more than the look-back ago, is not billed now; a second run bills nothing.
    assert not Invoice.objects.filter(source_id=membership.pk).exists()
    assert services.dues_invoices_issue() == 0


def test_a_renewal_in_advance_is_invoiced_on_its_first_day_not_before(seller):
    today = timezone.localdate()
    membership = MembershipFactory(
        chamber=seller,
        valid_from=today - datetime.timedelta(days=300),
        valid_until=today + datetime.timedelta(days=10),
    )
    Invoice.objects.all().delete()
    renewal = member_services.membership_renew(
        membership=membership, actor=UserFactory(is_superuser=True)
    )
    assert services.dues_invoices_issue() == 0
    assert services.dues_invoices_issue(today=renewal.valid_from) == 1


def test_the_company_admins_and_the_registrant_hear_of_the_invoice(
    paid_event, django_capture_on_commit_callbacks, mailoutbox
):
    company = CompanyFactory()
    admin = PersonFactory(company=company, role="admin", email="boekhouding@example.be")
    person = PersonFactory(company=company, email="els@example.be", preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        registration = event_services.registration_create(event=paid_event, person=person)
    invoice = _invoice_of(registration)
    about = [m for m in mailoutbox if invoice.number in m.subject]
    assert sorted(address for m in about for address in m.to) == sorted([admin.email, person.email])
    french = next(m for m in about if person.email in m.to)
    assert invoice.structured_communication_display in french.body
    assert "/me/invoices/" in french.body
    assert "communication structurée" in french.body  # in the registrant's language


def test_a_place_passed_on_stays_billed_and_its_cancellation_is_credited(paid_event):
    company = CompanyFactory()
    person = PersonFactory(company=company, user=UserFactory())
    colleague = PersonFactory(company=company)
    registration = event_services.registration_create(event=paid_event, person=person)
    invoice = _invoice_of(registration)
    substitute = event_services.registration_substitute(
        registration=registration, colleague=colleague, actor=person.user
    )
    assert Invoice.objects.filter(kind="invoice").count() == 1  # not billed twice
    assert _invoice_of(substitute) == invoice
    event_services.registration_cancel(registration=substitute)
    assert invoice.credit_notes.count() == 1
