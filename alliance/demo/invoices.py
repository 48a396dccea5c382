"""The demo's invoices: fee schedules, a few dues and registration invoices, credit notes.

Issued through the same services as the portal (invoicing.services, events.billing), for a
small fixed subset only, so that seed_demo stays fast at 100,000 companies: the generated
registrations are bulk-written and bill nothing by themselves. Idempotent: documents are keyed
by what they bill, so a second run (also on another day) issues nothing new.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from alliance.demo.facts import LOCAL_CHAMBERS, Facts
from events import billing
from events.models import Event, Registration
from invoicing import services
from invoicing.models import FeeSchedule, Invoice, Product, VatCategory
from members.models import Membership

DUES = {"starter": Decimal("295.00"), "standard": Decimal("750.00"), "premium": Decimal("1950.00")}
REGISTRATION_INVOICES = 24
CREDIT_NOTES = 3
DUES_INVOICES = 10
# Trainings of the demo recognised for the KMO-portefeuille (a fictitious recognition number).
KMO_TRAININGS = 3


def ensure_fee_schedules(facts: Facts, today: datetime.date) -> None:
    for slug in LOCAL_CHAMBERS:
        chamber = facts.chambers[slug]
        for year in (today.year, today.year + 1):
            for tier, fee in DUES.items():
                FeeSchedule.objects.update_or_create(
                    chamber=chamber, tier=tier, year=year, defaults={"annual_fee": fee}
                )
        # Their trainings are exempt education (art. 44 WBTW): invoices with category E.
        Product.objects.update_or_create(
            chamber=chamber,
            kind=Product.Kind.TRAINING_FEE,
            defaults={
                "name": "Opleidingen",
                "vat_category": VatCategory.EXEMPT,
                "vat_rate": Decimal("0.00"),
                "vat_exemption_reason": "Vrijgesteld van btw, art. 44 §2 4° WBTW",
            },
        )


def ensure_kmo_trainings() -> None:
    trainings = Event.objects.filter(
        kind=Event.Kind.TRAINING, organiser__slug__in=LOCAL_CHAMBERS
    ).order_by("pk")
    for event in trainings[:KMO_TRAININGS]:
        if not event.kmo_recognition_number:
            event.kmo_recognition_number = f"DV.O{100000 + event.pk % 900000}"
            event.save(update_fields=["kmo_recognition_number", "updated_at"])


def _paid_registrations(status):
    return (
        Registration.objects.filter(
            status__in=status, price__gt=0, event__organiser__slug__in=LOCAL_CHAMBERS
        )
        .select_related("event__organiser", "person", "company")
        .order_by("pk")
    )


def seed_invoices(facts: Facts, today: datetime.date) -> int:
    """Issue the demo's documents; returns how many are new."""
    before = Invoice.objects.aggregate(last=Max("pk"))["last"] or 0
    ensure_fee_schedules(facts, today)
    ensure_kmo_trainings()
    demo = Membership.objects.current(today).filter(company=facts.demo_company).first()
    if demo:
        services.dues_invoice_issue(membership=demo, issue_date=today)
    memberships = (
        Membership.objects.filter(
            status=Membership.Status.ACTIVE,
            valid_from__year=today.year,
            chamber__slug__in=LOCAL_CHAMBERS,
        )
        .select_related("company", "chamber")
        .order_by("pk")[:DUES_INVOICES]
    )
    for membership in memberships:
        services.dues_invoice_issue(membership=membership, issue_date=today)
    confirmed = _paid_registrations(Registration.HOLDING_A_PLACE)
    chosen = [
        *confirmed.filter(company=facts.demo_company)[:5],
        *confirmed.filter(event__kind=Event.Kind.TRAINING)[:5],
        *confirmed[:REGISTRATION_INVOICES],
    ]
    for registration in chosen:
        billing.registration_invoice(registration)
    # Cancelled in time: invoiced when they were confirmed, credited when they cancelled.
    for registration in _paid_registrations([Registration.Status.CANCELLED])[:CREDIT_NOTES]:
        if billing.registration_invoice(registration):
            billing.registration_credit(registration)
    # A few of the new ones paid already, so that the lists show both.
    new = Invoice.objects.filter(pk__gt=before).order_by("pk")
    now = timezone.now()
    for invoice in list(new.filter(kind=Invoice.Kind.INVOICE, status=Invoice.Status.OPEN))[::3]:
        services.invoice_record_payment(invoice=invoice, amount=invoice.total_gross, at=now)
    return new.count()
