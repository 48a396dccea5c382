"""Every domain model is in the admin, and its list, search, filters and forms render."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from pghistory.models import Event as PghistoryEvent

from chambers.models import AccreditationCycle

DOMAIN_APPS = ["chambers", "competences", "members", "invoicing", "events"]
# Through rows edited only as inlines of their parents; a company's consent history, read only
# as an inline of the company (members.services writes it).
INLINE_ONLY = {
    "AllianceChamber",
    "AccreditationAssessment",
    "ConsentRecord",
    "ServiceRequestMessage",  # read as an inline of its request
    # An accreditation cycle's answers and log are read as inlines of the cycle; its evidence
    # files are the back-office's to serve (staff:accreditation_evidence).
    "AccreditationAnswer",
    "AccreditationLogEntry",
    "AccreditationEvidence",
    "InvoiceLine",  # read as an inline of its invoice
    "SeatAllocation",  # read as an inline of its event; staff set it in /staff/ (issue 14)
    "MissionChoice",  # read as an inline of its application; staff select in /staff/
}
# Shown but never written in the admin: they change only through their services (issue 11).
READ_ONLY = {
    "Registration",
    "AccreditationCycle",
    "Invoice",
    "InvoiceCounter",
    # The payments side's records: written by its services (the webhook, a CODA upload, beat).
    "Payment",
    "BankStatement",
    "BankTransaction",
    "PaymentReminder",
    # Trade-mission applications and their log: written by events/missions.py.
    "MissionApplication",
    "MissionSelectionLog",
}


def domain_models():
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            # The audit trail's event tables are read together, read-only, in pghistory's admin.
            if issubclass(model, PghistoryEvent):
                continue
            if model.__name__ not in INLINE_ONLY and not model._meta.auto_created:
                yield model


@pytest.mark.parametrize("model", list(domain_models()), ids=lambda m: m.__name__)
def test_every_domain_model_is_registered(model):
    assert admin.site.is_registered(model)


@pytest.fixture
def admin_client_with_data(admin_client, alliance, mechelen, event, person, centre):
    """One row of every model, so that every change page has something to show."""
    from tests.factories import (
        AccreditationAssessmentFactory,
        AccreditationFactory,
        DelegationQuotaFactory,
        JoinRequestFactory,
        PartnerAgreementFactory,
        PartnerFactory,
        RegistrationFactory,
        SectorFactory,
        ServiceFactory,
        ServiceRequestFactory,
        StaffRoleFactory,
        WebhookDeliveryFactory,
        WebhookEndpointFactory,
        partner_api_key,
    )

    RegistrationFactory(event=event, person=person)
    ServiceFactory(centre=centre)
    StaffRoleFactory(chamber=mechelen)
    agreement = PartnerAgreementFactory(
        partner=PartnerFactory(name="LIOF"),
        chamber=mechelen,
        title="Euregio",
        valid_from="2019-09-01",
        valid_until=None,
    )
    agreement.competence_centres.add(centre)
    agreement.sectors.add(SectorFactory(name="Voeding"))
    accreditation = AccreditationFactory(
        chamber=mechelen, valid_from="2024-01-01", valid_until="2027-01-01", status="granted"
    )
    AccreditationAssessmentFactory(accreditation=accreditation)
    AccreditationCycle.objects.create(
        chamber=mechelen, self_assessment_due="2026-01-01", decision_due="2026-03-01"
    )
    ServiceRequestFactory(person=person, centre=centre, message="Hulp gevraagd")
    JoinRequestFactory(company=person.company, first_name="Jan", last_name="Peeters")
    # The partners' API: a key, a logged call, a webhook endpoint and delivery, a quota.
    api_key, _key = partner_api_key(
        agreement.partner, name="LIOF", scopes=["events:read"], days=None
    )
    api_key.record_call(method="GET", path="/api/v1/events/", status_code=200, duration_ms=3)
    endpoint = WebhookEndpointFactory(
        partner=agreement.partner, url="https://liof.example/hooks", event_types=["event.updated"]
    )
    WebhookDeliveryFactory(endpoint=endpoint, event_type="event.updated")
    DelegationQuotaFactory(event=event, partner=agreement.partner, places=3)
    from members.models import FreeSeatAllowance

    FreeSeatAllowance.objects.create(chamber=mechelen, tier="premium", event_kind="", seats=2)
    # Issue 12: a prospect and a membership application.
    from members.models import MembershipApplication, Prospect
    from tests.factories import CompanyFactory, UserFactory

    newcomer = CompanyFactory(name="Nieuwkomer BV")
    Prospect.objects.create(company=newcomer, chamber=mechelen, source_detail="Innovatieforum")
    MembershipApplication.objects.create(
        company=newcomer,
        chamber=mechelen,
        tier="standard",
        applicant=UserFactory(),
        first_name="Pia",
        last_name="Peeters",
    )
    # Issue 15: Mechelen invoices; a fee schedule, a product, an invoice (and its counter).
    from invoicing import services as invoicing
    from invoicing.models import FeeSchedule, Product
    from tests.invoicing.conftest import make_seller

    make_seller(mechelen)
    FeeSchedule.objects.create(chamber=mechelen, tier="standard", year=2026, annual_fee=450)
    Product.objects.create(chamber=mechelen, kind="event_fee")
    invoice = invoicing.invoice_issue(
        chamber=mechelen,
        company=newcomer,
        lines=[invoicing.LineData("Forum", "event_fee", Decimal("95"))],
    )
    # Its online payment, a bank statement with money nobody recognised, a reminder.
    from django.utils import timezone

    from invoicing.models import BankStatement, BankTransaction, Payment, PaymentReminder

    Payment.objects.create(
        invoice=invoice, provider="mollie", provider_id="tr_admin", method="bancontact", amount=1
    )
    statement = BankStatement.objects.create(
        chamber=mechelen, file_name="mechelen.cod", digest="0" * 64, account=mechelen.iban
    )
    BankTransaction.objects.create(
        statement=statement, bank_key="admin/1", amount=5, outcome="unmatched"
    )
    PaymentReminder.objects.create(
        invoice=invoice,
        step=1,
        days_overdue=7,
        amount_due=invoice.total_gross,
        sent_at=timezone.now(),
    )
    # Issue 14: an application for a trade mission, scored (so its selection log has a row).
    from events import missions
    from tests.factories import EventFactory

    mission = EventFactory(organiser=mechelen, selects_participants=True)
    application = missions.apply(
        person=person, events=[mission], motivation="Uitvoer", target_markets="India"
    )
    reviewer = StaffRoleFactory(chamber=mechelen, role="chamber_admin").user
    missions.score(choice=application.choices.get(), score=70, actor=reviewer)
    return admin_client


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(domain_models()), ids=lambda m: m.__name__)
def test_changelist_search_and_add_pages_render(admin_client_with_data, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client_with_data.get(changelist).status_code == 200
    assert admin_client_with_data.get(changelist, {"q": "Mechelen"}).status_code == 200
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    expected = 403 if model.__name__ in READ_ONLY else 200
    assert admin_client_with_data.get(add).status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(domain_models()), ids=lambda m: m.__name__)
def test_change_pages_render(admin_client_with_data, model):
    obj = model.objects.first()
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    assert admin_client_with_data.get(url).status_code == 200


@pytest.mark.django_db
def test_home_chamber_filter(admin_client_with_data, mechelen, company):
    url = reverse("admin:members_company_changelist")
    response = admin_client_with_data.get(url, {"home_chamber": mechelen.pk})
    assert response.status_code == 200
    assert company.name in response.content.decode()


@pytest.mark.django_db
def test_the_admin_cannot_change_a_registration(admin_client_with_data, event):
    """Issue 11: status, price and waiting-list position change only through the services."""
    registration = event.registrations.get()
    url = reverse("admin:events_registration_change", args=[registration.pk])
    page = admin_client_with_data.get(url).content.decode()
    assert 'name="status"' not in page and 'name="price"' not in page
    response = admin_client_with_data.post(
        url,
        {
            "event": event.pk,
            "person": registration.person_id,
            "company": registration.company_id,
            "status": "waitlisted",
            "waiting_list_position": "1",
            "price": "0",
        },
    )
    assert response.status_code == 403
    delete = reverse("admin:events_registration_delete", args=[registration.pk])
    assert admin_client_with_data.post(delete, {"post": "yes"}).status_code == 403
    registration.refresh_from_db()
    assert (registration.status, registration.price) == ("confirmed", Decimal("95.00"))
    event_page = admin_client_with_data.get(
        reverse("admin:events_event_change", args=[event.pk])
    ).content.decode()
    assert "registrations-0-status" not in event_page, "the inline shows, never edits"
    assert "registrations-0-DELETE" not in event_page
