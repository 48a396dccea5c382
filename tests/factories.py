"""factory_boy factories: valid rows by default, every field overridable."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from chambers.models import Alliance, AllianceChamber, Chamber, Partner, StaffRole
from competences.models import CompetenceCentre, Service
from events.models import Event, Registration
from members.enterprise_numbers import with_check_digits
from members.models import Company, Membership, Person, Sector


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.be")
    password = factory.django.Password("secret-pass-123")


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


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRole

    user = factory.SubFactory(UserFactory)
    chamber = factory.SubFactory(ChamberFactory)
    role = StaffRole.Role.EVENT_MANAGER


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    kind = Partner.Kind.CLUSTER


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
