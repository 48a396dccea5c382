"""A world that grows, for the query-count baselines (tests/test_query_counts.py).

`World.grow(units)` adds `units` times one of every row a list or detail page shows: a chamber,
a centre with services, a sector, a member company with its person and join request, events
with co-organisers, sectors, partners and registrations, service requests, partners with
agreements, and for the fixed subjects (the event, the company, the centre, the partner) more of
what their detail pages list. A page measured before and after a grow must cost the same.

Each unit's rows carry the mark "Groei NN" (its chamber "Groeistad NN"), so that a test can see
that the page shows them.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from chambers import accreditation
from chambers import services as chamber_services
from chambers.models import (
    AccreditationCycle,
    AccreditationEvidence,
    AccreditationLogEntry,
    ApiCall,
    ApiScope,
    PartnerAgreement,
    StaffRole,
    WebhookDelivery,
    WebhookEndpoint,
)
from events import missions
from events.models import DelegationQuota, Event, Registration
from invoicing import services as invoicing
from invoicing.models import BankStatement, BankTransaction, Payment, Product
from invoicing.services import LineData
from members.models import (
    JoinRequest,
    Membership,
    MembershipApplication,
    Person,
    Prospect,
    ServiceRequest,
)
from tests.factories import (
    AllianceChamberFactory,
    ChamberFactory,
    CompanyFactory,
    CompetenceCentreFactory,
    EventFactory,
    MembershipFactory,
    PartnerFactory,
    PersonFactory,
    RegistrationFactory,
    SectorFactory,
    ServiceFactory,
    StaffRoleFactory,
    UserFactory,
)
from tests.helpers import restore_migrated_principles
from tests.invoicing.conftest import make_seller
from tests.invoicing.payments.helpers import make_invoice

Role = StaffRole.Role


def mark(unit: int) -> str:
    return f"Groei {unit:02d}"


def chamber_mark(n: int) -> dict:
    """A unit's chamber has a mark of its own: every page's frame lists the chambers, so their
    names on a page say nothing about the page's own rows."""
    return {
        "name": f"KvK Groeistad {n:02d}",
        "short_name": f"Groeistad {n:02d}",
        "slug": f"kvk-groeistad-{n}",
    }


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def agreement(partner, *, chamber=None, alliance=None, title="Samenwerking") -> PartnerAgreement:
    return PartnerAgreement.objects.create(
        partner=partner,
        chamber=chamber,
        alliance=alliance,
        title=title,
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2028, 12, 31),
    )


def consenting(company) -> None:
    """In the public directory and shown to partners."""
    company.directory_consent, company.directory_consent_at = True, timezone.now()
    company.give_partner_consent()
    company.save()


@dataclass
class World:
    """The conftest graph (alliance, Kempen, Mechelen, centre, company, person, event) with an
    admin person who is `member_user`, a partner with a key holding every scope, and what each
    audience's pages need to have something to show."""

    alliance: object
    kempen: object
    mechelen: object
    centre: object
    company: object
    person: object
    member_user: object
    event: object
    partner: object = None
    sector: object = None
    service: object = None
    colleague: object = None
    join_request: object = None
    service_request: object = None
    registration: object = None
    endpoint: object = None
    delivery: object = None
    applicant: object = None
    prospect: object = None
    application: object = None
    admin: object = None
    cycle: object = None
    invoice: object = None
    payment: object = None
    selection: object = None
    mission_choice: object = None
    key: str = ""
    calendar_token: str = ""
    units: int = 0

    def __post_init__(self):
        self.person.role = Person.Role.ADMIN
        self.calendar_token = self.person.renew_calendar_token()
        self.person.save()
        consenting(self.company)
        self.sector = SectorFactory(name="Voeding")
        self.company.sectors.add(self.sector)
        self.event.sectors.add(self.sector)
        self.event.co_organisers.add(self.mechelen)
        self.event.capacity = None
        self.event.save()
        self.service = ServiceFactory(centre=self.centre, name="Innovatiescan")
        self.partner = PartnerFactory(name="LIOF", slug="liof")
        agreement(self.partner, alliance=self.alliance, title="Grensoverschrijdend")
        self.event.partners.add(self.partner)
        DelegationQuota.objects.create(event=self.event, partner=self.partner, places=500)
        self.registration = RegistrationFactory(
            event=self.event,
            person=self.person,
            member_terms=True,
            member_terms_chamber=self.mechelen,
            price=self.event.member_price,
            partner=self.partner,
        )
        self.colleague = PersonFactory(company=self.company, last_name="Collega")
        self.join_request = JoinRequest.objects.create(
            user=UserFactory(), company=self.company, first_name="Nina", last_name="Wouters"
        )
        # Asked by a Mechelen member, handled by the centre's lead chamber (Kempen).
        self.service_request = ServiceRequest.objects.create(
            company=self.company,
            person=self.person,
            centre=self.centre,
            service=self.service,
            message="Kunnen jullie ons helpen met een innovatiesubsidie?",
        )
        self.endpoint = chamber_services.webhook_endpoint_create(
            partner=self.partner,
            url="https://liof.example/hooks",
            event_types=["event.updated"],
            chambers=[self.kempen],
        )
        self.delivery = WebhookDelivery.objects.create(
            endpoint=self.endpoint, event_type="event.updated", payload={"slug": self.event.slug}
        )
        # A company that registered for Kempen's event without being a member, and its contact.
        newcomer = CompanyFactory(name="Nieuwkomer BV")
        self.prospect = Prospect.objects.create(
            company=newcomer,
            chamber=self.kempen,
            source_detail=self.event.title,
            contact=PersonFactory(company=newcomer),
        )
        # A company applying for membership at Kempen.
        self.application = MembershipApplication.objects.create(
            company=newcomer,
            chamber=self.kempen,
            tier=Membership.Tier.STANDARD,
            applicant=UserFactory(),
            first_name="Aagje",
            last_name="Aanvrager",
        )
        # Someone who signed up but is not yet confirmed at a company: /me/join/.
        self.applicant = UserFactory(username="kandidaat")
        self.admin = UserFactory(username="alliantiebeheerder")
        StaffRoleFactory(user=self.admin, chamber=None, role=Role.ALLIANCE_ADMIN)
        # Kempen's accreditation cycle, open (the units add evidence and steps to it).
        restore_migrated_principles()
        self.cycle = accreditation.accreditation_cycle_open(
            chamber=self.kempen,
            self_assessment_due=timezone.localdate() + days(30),
            decision_due=timezone.localdate() + days(60),
            actor=self.admin,
        )
        # Payments: Kempen invoices the company, which paid it online (the return page).
        self.kempen.iban = "BE68539007547034"
        self.kempen.save(update_fields=["iban"])
        self.invoice = make_invoice(chamber=self.kempen, company=self.company)
        self.payment = Payment.objects.create(
            invoice=self.invoice,
            provider="mollie",
            provider_id="tr_world",
            method=Payment.Method.BANCONTACT,
            amount=self.invoice.total_gross,
            status=Payment.Status.PAID,
        )
        # Missions that select participants (issue 14): the units apply for the first; the
        # company's application for the second is accepted (its follow-up form).
        self.selection = EventFactory(
            title="Selectiemissie",
            slug="selectiemissie",
            organiser=self.kempen,
            kind=Event.Kind.TRADE_MISSION,
            selects_participants=True,
            capacity=500,
        )
        selected = EventFactory(
            title="Geselecteerd",
            slug="geselecteerd",
            organiser=self.kempen,
            kind=Event.Kind.TRADE_MISSION,
            selects_participants=True,
        )
        self.selection.partners.add(self.partner)
        self.mission_choice = missions.accept(
            choice=missions.apply(
                person=self.person, events=[selected], motivation="Export", target_markets="India"
            ).choices.get(),
            actor=self.admin,
        )
        _, self.key = chamber_services.api_key_create(
            partner=self.partner,
            name="alles",
            scopes=ApiScope.values,
            expires_at=timezone.now() + days(30),
        )

    # --- who looks ------------------------------------------------------------------------------

    def member(self) -> Client:
        """The company admin `member_user`: sees member prices, their registrations, the company."""
        return logged_in(self.member_user)

    def alliance_admin(self) -> Client:
        return logged_in(self.admin)

    def applicant_client(self) -> Client:
        return logged_in(self.applicant)

    def partner_client(self) -> APIClient:
        """The partner's key with every scope, for every chamber."""
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {self.key}")
        return client

    # --- growing --------------------------------------------------------------------------------

    def grow(self, units: int) -> None:
        for _ in range(units):
            self._unit(self.units)
            self.units += 1

    def _unit(self, n: int) -> None:
        text = mark(n)
        kempen, mechelen = self.kempen, self.mechelen
        lead, other = (mechelen, kempen) if n % 2 else (kempen, mechelen)
        today = timezone.localdate()

        chamber = ChamberFactory(**chamber_mark(n))
        AllianceChamberFactory(alliance=self.alliance, chamber=chamber)

        # Accreditation: the unit's chamber has a cycle (opened by a reviewer of the unit's);
        # Kempen's cycle gets a file of evidence and a step in its log.
        AccreditationCycle.objects.create(
            chamber=chamber,
            self_assessment_due=today + days(20),
            decision_due=today + days(50),
            opened_by=UserFactory(first_name="Beoordelaar", last_name=text),
        )
        answer = self.cycle.answers.order_by("pk")[n % 12]
        AccreditationEvidence.objects.create(
            answer=answer,
            file=f"accreditation/{self.cycle.pk}/groei-{n}.pdf",
            original_name=f"{text}.pdf",
            content_type="application/pdf",
            size=1000 + n,
        )
        AccreditationLogEntry.objects.create(
            cycle=self.cycle,
            action=AccreditationLogEntry.Action.ANSWERED,
            actor=UserFactory(first_name="Kamer", last_name=text),
            principle=answer.principle,
            comment=f"Aangevuld: {text}",
        )
        sector = SectorFactory(name=f"Sector {text}", slug=f"sector-groei-{n}")
        centre = CompetenceCentreFactory(
            name=f"Centrum {text}",
            slug=f"centrum-groei-{n}",
            lead_chamber=lead,
            alliance=self.alliance,
        )
        ServiceFactory(centre=centre, name=f"Dienst {text} elders", slug=f"dienst-elders-{n}")
        service = ServiceFactory(
            centre=self.centre, name=f"Dienst {text}", slug=f"dienst-groei-{n}"
        )

        # A member company of its own, with a person, a sector and someone asking to join it.
        company = CompanyFactory(name=f"{text} BV", slug=f"groei-{n}-bv")
        MembershipFactory(company=company, chamber=chamber)
        consenting(company)
        company.sectors.add(sector, self.sector)
        person = PersonFactory(company=company, last_name=text)
        JoinRequest.objects.create(
            user=UserFactory(), company=company, first_name="Kandidaat", last_name=text
        )

        # A prospect of Kempen (the unit's company came to one of its events), with its contact.
        Prospect.objects.create(
            company=company, chamber=kempen, source_detail=f"{text} seminarie", contact=person
        )

        MembershipApplication.objects.create(
            company=company,
            chamber=kempen,
            tier=Membership.Tier.PREMIUM,
            applicant=UserFactory(),
            first_name="Kandidaat",
            last_name=text,
        )

        # An event of the unit, co-organised, with a sector, partners and registrations.
        event = EventFactory(
            title=f"{text} seminarie",
            slug=f"groei-{n}-seminarie",
            organiser=lead,
            centre=self.centre if n % 2 else centre,
            starts_at=timezone.now() + days(31 + n),
            capacity=None,
        )
        event.co_organisers.add(other, chamber)
        event.sectors.add(sector, self.sector)
        partner = PartnerFactory(name=f"Partner {text}", slug=f"partner-groei-{n}")
        event.partners.add(self.partner, partner)
        RegistrationFactory(
            event=event, person=person, member_terms=True, member_terms_chamber=chamber, price=45
        )
        RegistrationFactory(
            event=event,
            person=self.person,
            member_terms=True,
            member_terms_chamber=mechelen,
            price=45,
            **(
                {"status": Registration.Status.WAITLISTED, "waiting_list_position": 1}
                if n % 2
                else {}
            ),
        )
        # A past event the member attended, with someone who did not come (the figures).
        past = EventFactory(
            title=f"{text} voorbij",
            slug=f"groei-{n}-voorbij",
            organiser=lead,
            starts_at=timezone.now() - days(10 + n),
            kind=(Event.Kind.SEMINAR, Event.Kind.TRAINING, Event.Kind.COMPANY_VISIT)[n % 3],
        )
        RegistrationFactory(
            event=past,
            person=self.person,
            status=Registration.Status.ATTENDED,
            checked_in_at=past.starts_at,
            member_terms=True,
            member_terms_chamber=mechelen,
            price=45,
        )
        RegistrationFactory(event=past, person=person, status=Registration.Status.NO_SHOW)

        # The subject event: confirmed (some through the partner), waiting, present, cancelled.
        visitor = PersonFactory(company=CompanyFactory(name=f"Bezoeker {text} NV"), last_name=text)
        RegistrationFactory(
            event=self.event,
            person=person,
            member_terms=True,
            member_terms_chamber=chamber,
            price=45,
            partner=self.partner,
        )
        RegistrationFactory(
            event=self.event,
            person=visitor,
            status=Registration.Status.WAITLISTED,
            waiting_list_position=n + 1,
        )
        RegistrationFactory(
            event=self.event,
            person=PersonFactory(company=company, first_name="Aanwezig", last_name=text),
            status=Registration.Status.ATTENDED,
            checked_in_at=timezone.now(),
            partner=self.partner,
        )
        RegistrationFactory(
            event=self.event,
            person=PersonFactory(company=company, first_name="Afgemeld", last_name=text),
            status=Registration.Status.CANCELLED,
            cancelled_at=timezone.now(),
        )

        # Payments: an open invoice of Kempen's to the unit's company, an online payment of the
        # subject invoice that failed, and a bank statement with money nobody recognised.
        make_invoice(chamber=kempen, company=company)
        Payment.objects.create(
            invoice=self.invoice,
            provider="mollie",
            provider_id=f"tr_groei{n}",
            method=Payment.Method.CARD,
            amount=self.invoice.total_gross,
            status=Payment.Status.FAILED,
        )
        statement = BankStatement.objects.create(
            chamber=kempen,
            file_name=f"groei-{n}.cod",
            digest=f"groei-{n}".ljust(64, "0"),
            account=kempen.iban,
            statement_numbers=str(n),
        )
        BankTransaction.objects.create(
            statement=statement,
            bank_key=f"{kempen.iban}/groei/{n}",
            amount=10 + n,
            counterparty_name=f"{text} BV",
            communication=f"groei-{n}",
            outcome=BankTransaction.Outcome.UNMATCHED,
            value_date=today,
        )
        # Invoices of the unit's chamber: one to the unit's company, credited; one to the
        # subject company (its /me/invoices/ shows the unit's chamber).
        make_seller(chamber, 100 + n)
        line = [LineData(f"{text} seminarie", Product.Kind.EVENT_FEE, Decimal("45.00"))]
        invoicing.credit_note_issue(
            invoice=invoicing.invoice_issue(chamber=chamber, company=company, lines=line)
        )
        invoicing.invoice_issue(chamber=chamber, company=self.company, lines=line)

        # The subject company: a colleague, someone asking to join, a sector, an earlier period.
        PersonFactory(company=self.company, first_name="Collega", last_name=text)
        JoinRequest.objects.create(
            user=UserFactory(), company=self.company, first_name="Nieuw", last_name=text
        )
        self.company.sectors.add(sector)
        self.event.sectors.add(sector)
        self.event.partners.add(partner)
        self.event.co_organisers.add(chamber)
        MembershipFactory(
            company=self.company,
            chamber=chamber,
            status=Membership.Status.ENDED,
            valid_from=today - days(800 + 10 * n),
            valid_until=today - days(440 + 10 * n),
        )
        self.person.interest_centres.add(centre)
        self.person.interest_sectors.add(sector)

        # Service requests: to the subject centre from the unit's company, and the member's own;
        # one in two is assigned to a new admin of the centre's lead chamber.
        lead_admin = UserFactory(first_name="Beheerder", last_name=text)
        StaffRoleFactory(user=lead_admin, chamber=kempen, role=Role.CHAMBER_ADMIN)
        assigned = (
            {"status": "assigned", "assignee": lead_admin, "assigned_at": timezone.now()}
            if n % 2
            else {}
        )
        ServiceRequest.objects.create(
            company=company,
            person=person,
            centre=self.centre,
            service=service,
            message=f"Een vraag van {text}",
            **assigned,
        )
        ServiceRequest.objects.create(
            company=self.company,
            person=self.person,
            centre=centre,
            message=f"Onze vraag {text}",
        )

        # Partners: the unit's own (agreements with the alliance and with Kempen), and for the
        # subject partner an agreement, a key, an endpoint with deliveries and logged calls.
        shared = agreement(partner, alliance=self.alliance, title=f"Alliantie {text}")
        shared.competence_centres.add(centre)
        shared.sectors.add(sector)
        agreement(partner, chamber=kempen, title=f"Kempen {text}")
        agreement(self.partner, chamber=lead, title=f"Overeenkomst {text}")
        api_key, _ = chamber_services.api_key_create(
            partner=self.partner,
            name=f"Sleutel {text}",
            scopes=[ApiScope.EVENTS_READ],
            chambers=[lead, chamber],
        )
        endpoint = WebhookEndpoint.objects.create(
            partner=self.partner,
            url=f"https://liof.example/hooks/{n}",
            description=text,
            event_types=["event.published", "event.updated"],
        )
        endpoint.chambers.add(lead, chamber)
        for delivery_endpoint in (endpoint, self.endpoint):
            WebhookDelivery.objects.create(
                endpoint=delivery_endpoint,
                event_type="event.published",
                payload={"title": text},
                status=WebhookDelivery.Status.FAILED,
                attempts=2,
                last_status_code=503,
            )
        self.endpoint.chambers.add(chamber)
        ApiCall.objects.create(
            partner=self.partner,
            key=api_key,
            key_prefix=api_key.prefix,
            method="GET",
            path=f"/api/v1/events/?q={text}",
            status_code=200,
            duration_ms=12,
        )

        # The applicant's earlier, decided requests to join.
        JoinRequest.objects.create(
            user=self.applicant,
            company=company,
            first_name="Kandidaat",
            last_name=text,
            status=JoinRequest.Status.REJECTED,
            decided_at=timezone.now(),
        )
        # An application for the selection mission, scored (a line in the selection log).
        choice = missions.apply(
            person=PersonFactory(company=CompanyFactory(name=f"Kandidaat {text}")),
            events=[self.selection],
            motivation=f"Motivatie {text}",
            target_markets="Japan",
        ).choices.get()
        missions.score(choice=choice, score=n % 100, actor=self.admin)
