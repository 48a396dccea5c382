"""factory_boy factories: valid rows by default, every field overridable."""

import datetime
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.utils import timezone

from alliance.base.models import FailedTask, SentMessage
from chambers import services as chamber_services
from chambers.models import (
    Accreditation,
    AccreditationAssessment,
    AccreditationPrinciple,
    Alliance,
    AllianceChamber,
    ApiScope,
    Chamber,
    Partner,
    PartnerAgreement,
    PartnerAPIKey,
    StaffRole,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEventType,
)
from competences.models import CompetenceCentre, Service
from events.models import DelegationQuota, Event, Registration, SeatAllocation
from members.enterprise_numbers import with_check_digits
from members.models import Company, JoinRequest, Membership, Person, Sector, ServiceRequest


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.be")
    password = factory.django.Password("secret-pass-123")


class SentMessageFactory(factory.django.DjangoModelFactory):
    """An e-mail recorded as sent under its key (sending it again is a no-op)."""

    class Meta:
        model = SentMessage

    key = factory.Sequence(lambda n: f"message-{n}")
    name = "registration_confirmed"
    subject = "Je inschrijving is bevestigd"
    recipients = "els@example.be"


class FailedTaskFactory(factory.django.DjangoModelFactory):
    """A task whose retries ran out."""

    class Meta:
        model = FailedTask

    task_name = "mail.deliver"
    task_id = factory.Sequence(lambda n: f"id-{n}")
    exception = "ConnectionRefusedError('SMTP server down')"
    retries = 10


class ChamberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chamber

    name = factory.Sequence(lambda n: f"Kamer van Koophandel {n}")
    short_name = factory.Sequence(lambda n: f"Kamer {n}")
    slug = factory.Sequence(lambda n: f"kamer-{n}")
    region = "Antwerpen"


class AllianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alliance

    name = factory.Sequence(lambda n: f"Alliantie {n}")
    slug = factory.Sequence(lambda n: f"alliantie-{n}")
    signed_on = datetime.date(2024, 3, 14)
    target_date = datetime.date(2027, 3, 14)


class AllianceChamberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllianceChamber

    alliance = factory.SubFactory(AllianceFactory)
    chamber = factory.SubFactory(ChamberFactory)
    joined_on = datetime.date(2024, 3, 14)


class EmailAddressFactory(factory.django.DjangoModelFactory):
    """allauth's record of a user's address: verified and primary, as after sign-up."""

    class Meta:
        model = EmailAddress

    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda o: o.user.email)
    verified = True
    primary = True


# Every staff member's TOTP secret in the tests: tests.helpers.totp_code() gives its code now.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def give_second_factor(user, secret: str = TOTP_SECRET):
    """Set up TOTP for `user`, as the back-office requires of staff (alliance/security.py). A
    test client's force_login then stands for a log-in with both factors (tests/conftest.py)."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
    return user


class StaffRoleFactory(factory.django.DjangoModelFactory):
    """A staff role; its user gets TOTP set up too (the one place the tests' staff get their
    second factor), unless `second_factor=False`."""

    class Meta:
        model = StaffRole
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    chamber = factory.SubFactory(ChamberFactory)
    role = StaffRole.Role.EVENT_MANAGER

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        if create and extracted is not False:
            give_second_factor(self.user)


def staff_user(role: str, chamber: Chamber | None = None, second_factor=True, **user_fields):
    """The one way to make a staff member: a new user holding `role` at `chamber` (alliance-wide
    when chamber is None, as an alliance admin must be), with TOTP set up unless
    `second_factor=False`."""
    user = UserFactory(**user_fields)
    StaffRoleFactory(user=user, chamber=chamber, role=role, second_factor=second_factor)
    return user


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    kind = Partner.Kind.CLUSTER


class PartnerAgreementFactory(factory.django.DjangoModelFactory):
    """With one chamber unless an alliance is given: the agreement is with exactly one of them."""

    class Meta:
        model = PartnerAgreement

    partner = factory.SubFactory(PartnerFactory)
    alliance = None
    chamber = factory.Maybe(
        "alliance", yes_declaration=None, no_declaration=factory.SubFactory(ChamberFactory)
    )
    title = factory.Sequence(lambda n: f"Samenwerking {n}")
    valid_from = datetime.date(2026, 1, 1)
    valid_until = datetime.date(2028, 12, 31)


def partner_api_key(
    partner: Partner | None = None,
    *,
    scopes=tuple(ApiScope.values),
    chambers=(),
    name: str = "test",
    expires_at: datetime.datetime | None = None,
    days: int | None = 30,
) -> tuple[PartnerAPIKey, str]:
    """A partner's key made the way staff make it (only its hash is stored): (row, raw key).

    Every scope and every chamber unless told otherwise; valid for `days` (None: the longest a
    key may live, API_KEY_LIFETIME_DAYS) unless `expires_at` says when.
    """
    if expires_at is None and days is not None:
        expires_at = timezone.now() + datetime.timedelta(days=days)
    return chamber_services.api_key_create(
        partner=partner or PartnerFactory(),
        name=name,
        scopes=scopes,
        chambers=chambers,
        expires_at=expires_at,
    )


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookEndpoint
        skip_postgeneration_save = True

    partner = factory.SubFactory(PartnerFactory)
    url = factory.Sequence(lambda n: f"https://hooks{n}.example.be/alliantie")
    event_types = factory.LazyFunction(lambda: [WebhookEventType.EVENT_PUBLISHED])

    @factory.post_generation
    def chambers(self, create, chambers, **kwargs):
        if create and chambers:
            self.chambers.set(chambers)


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookDelivery

    endpoint = factory.SubFactory(WebhookEndpointFactory)
    event_type = WebhookEventType.EVENT_PUBLISHED
    payload = factory.LazyFunction(dict)


class AccreditationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accreditation

    chamber = factory.SubFactory(ChamberFactory)
    valid_from = datetime.date(2025, 1, 1)
    valid_until = datetime.date(2028, 1, 1)
    status = Accreditation.Status.IN_REVIEW


class AccreditationAssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment against one of the twelve principles (rows the migrations load)."""

    class Meta:
        model = AccreditationAssessment

    accreditation = factory.SubFactory(AccreditationFactory)
    principle = factory.LazyFunction(
        lambda: AccreditationPrinciple.objects.get(chamber_kind="local", number=1)
    )
    compliant = None


class CompetenceCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetenceCentre

    name = factory.Sequence(lambda n: f"Competentiecentrum {n}")
    slug = factory.Sequence(lambda n: f"centrum-{n}")
    lead_chamber = factory.SubFactory(ChamberFactory)
    alliance = factory.SubFactory(AllianceFactory)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    centre = factory.SubFactory(CompetenceCentreFactory)
    name = factory.Sequence(lambda n: f"Dienst {n}")
    slug = factory.Sequence(lambda n: f"dienst-{n}")
    kind = Service.Kind.ADVICE


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector

    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"sector-{n}")


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Onderneming {n} BV")
    slug = factory.Sequence(lambda n: f"onderneming-{n}")
    enterprise_number = factory.Sequence(lambda n: with_check_digits(f"0{4000000 + n:07d}"))
    legal_form = Company.LegalForm.BV
    size_class = Company.SizeClass.SMALL
    postcode = "2800"
    municipality = "Mechelen"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    company = factory.SubFactory(CompanyFactory)
    chamber = factory.SubFactory(ChamberFactory)
    status = Membership.Status.ACTIVE
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=335))
    annual_fee = Decimal("450.00")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    company = factory.SubFactory(CompanyFactory)
    first_name = "An"
    last_name = factory.Sequence(lambda n: f"Peeters{n}")
    email = factory.Sequence(lambda n: f"persoon{n}@example.be")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Activiteit {n}")
    slug = factory.Sequence(lambda n: f"activiteit-{n}")
    kind = Event.Kind.SEMINAR
    organiser = factory.SubFactory(ChamberFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    city = "Mechelen"
    capacity = 10
    member_price = Decimal("45.00")
    non_member_price = Decimal("95.00")
    status = Event.Status.PUBLISHED


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    company = factory.LazyAttribute(lambda o: o.person.company)
    status = Registration.Status.CONFIRMED
    price = Decimal("95.00")


class DelegationQuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DelegationQuota

    event = factory.SubFactory(EventFactory)
    partner = factory.SubFactory(PartnerFactory)
    places = 2


class JoinRequestFactory(factory.django.DjangoModelFactory):
    """A pending request by a user who is nobody's Person yet."""

    class Meta:
        model = JoinRequest

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    first_name = "Nina"
    last_name = factory.Sequence(lambda n: f"Wouters{n}")
    status = JoinRequest.Status.PENDING
    decided_at = factory.LazyAttribute(
        lambda o: None if o.status == JoinRequest.Status.PENDING else timezone.now()
    )


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    """A new question of a person's company to a competence centre."""

    class Meta:
        model = ServiceRequest

    person = factory.SubFactory(PersonFactory)
    company = factory.LazyAttribute(lambda o: o.person.company)
    centre = factory.SubFactory(CompetenceCentreFactory)
    message = factory.Sequence(lambda n: f"Kunnen jullie ons helpen? ({n})")
    status = ServiceRequest.Status.NEW
    closed_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status in ("done", "declined") else None
    )


class SeatAllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeatAllocation

    event = factory.SubFactory(EventFactory)
    chamber = factory.LazyAttribute(lambda o: o.event.organiser)
    places = 2
