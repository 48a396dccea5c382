"""Company bookings (issue 14): a company admin books colleagues, all or nothing."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse

from alliance.base.models import DomainError
from events.bookings import Newcomer, company_booking_create
from events.models import Registration, SeatAllocation
from events.services import registration_create
from members.models import Person
from members.services import invited_admin_link
from tests.factories import (
    AllianceChamberFactory,
    AllianceFactory,
    ChamberFactory,
    CompanyFactory,
    EventFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)
from tests.helpers import client_for


def admin_of(company):
    user = UserFactory()
    PersonFactory(company=company, user=user, email=user.email, role=Person.Role.ADMIN)
    return user


@pytest.fixture
def booker(company):
    return admin_of(company)


def test_a_company_admin_books_colleagues_and_a_newcomer_each_with_a_ticket(
    event, company, booker, mailoutbox, django_capture_on_commit_callbacks
):
    colleagues = [PersonFactory(company=company) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        booked = company_booking_create(
            event=event,
            actor=booker,
            colleagues=colleagues,
            newcomers=[Newcomer("Nele", "Nieuw", "nele@anker.example")],
            purchase_order="PO-7",
        )
    assert [r.status for r in booked] == ["confirmed"] * 3
    assert {r.purchase_order for r in booked} == {"PO-7"}
    newcomer = Person.objects.get(email="nele@anker.example")
    assert newcomer.company == company and newcomer.user is None and newcomer.invited_at
    by_address = {}
    for message in mailoutbox:
        by_address.setdefault(message.to[0], []).append(message.subject)
    for person in [*colleagues, newcomer]:
        assert len([s for s in by_address[person.email] if event.title in s]) >= 1
    assert len(by_address["nele@anker.example"]) == 2, "the ticket and the invitation"
    tickets = [m for m in mailoutbox if any(a[0].endswith(".ics") for a in m.attachments)]
    assert len(tickets) == 3, "each their own ticket"
    # The invitation: confirming that address links the account to the new colleague.
    user = UserFactory(email="nele@anker.example")
    assert invited_admin_link(user=user, email="nele@anker.example") == newcomer


def test_the_booking_is_all_or_nothing_against_capacity(
    event, company, booker, mailoutbox, django_capture_on_commit_callbacks
):
    event.capacity = 3
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(event=event, person=PersonFactory())
    colleagues = [PersonFactory(company=company) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as refused:
        company_booking_create(
            event=event,
            actor=booker,
            colleagues=colleagues,
            newcomers=[Newcomer("Nele", "Nieuw", "nele@anker.example")],
        )
    assert refused.value.code == "not_enough_places"
    assert "nog 2 vrij" in refused.value.message
    assert event.registrations.count() == 1, "nobody booked"
    assert not Person.objects.filter(email="nele@anker.example").exists()
    assert len(mailoutbox) == 1, "only the first registration's confirmation"


def test_the_booking_is_all_or_nothing_against_the_allocations(
    event, company, booker, kempen, mechelen
):
    """The company is a member at Mechelen: 2 seats of Mechelen's and a pool of 1."""
    event.capacity = 5
    event.save()
    event.co_organisers.add(mechelen)
    SeatAllocation.objects.create(event=event, chamber=kempen, places=2)
    SeatAllocation.objects.create(event=event, chamber=mechelen, places=2)
    four = [PersonFactory(company=company) for _ in range(4)]
    with pytest.raises(DomainError) as refused:
        company_booking_create(event=event, actor=booker, colleagues=four)
    assert refused.value.code == "not_enough_places"
    assert not event.registrations.exists()
    booked = company_booking_create(event=event, actor=booker, colleagues=four[:3])
    assert len(booked) == 3


def test_one_refused_colleague_refuses_the_booking_with_their_name(event, company, booker):
    colleagues = [PersonFactory(company=company) for _ in range(2)]
    registration_create(event=event, person=colleagues[1])
    with pytest.raises(DomainError) as refused:
        company_booking_create(event=event, actor=booker, colleagues=colleagues)
    assert refused.value.code == "already_registered"
    assert colleagues[1].full_name in refused.value.message
    assert event.registrations.count() == 1


def test_only_a_company_admin_books_and_only_their_own_people(event, company, person):
    employee = UserFactory()
    PersonFactory(company=company, user=employee, email=employee.email)
    with pytest.raises(PermissionDenied):
        company_booking_create(event=event, actor=employee, colleagues=[person])
    booker = admin_of(company)
    stranger = PersonFactory(company=CompanyFactory())
    with pytest.raises(DomainError) as refused:
        company_booking_create(event=event, actor=booker, colleagues=[stranger])
    assert refused.value.code == "not_a_colleague"


def test_the_booking_page(event, company, booker, person):
    client = client_for(booker)
    url = reverse("events:book", args=[event.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert person in page.context["form"].fields["colleagues"].queryset
    response = client.post(
        url,
        {
            "colleagues": [person.pk],
            "first_name_0": "Nele",
            "last_name_0": "Nieuw",
            "email_0": "nele@anker.example",
        },
    )
    assert response.status_code == 302
    assert event.registrations.filter(status="confirmed").count() == 2
    response = client.post(url, {"first_name_1": "Zonder"})
    assert response.status_code == 400
    assert "Vul voornaam, familienaam en e-mailadres in." in response.content.decode()
    detail = client.get(reverse("events:detail", args=[event.slug]))
    assert url in detail.content.decode()


@pytest.mark.django_db(transaction=True)
def test_company_bookings_racing_for_the_last_places(settings):
    """Four companies book three colleagues each, and six people register alone, for 8 places,
    all at once: every booking is whole or absent, never more than 8 places taken, no error."""
    settings.EVENT_LOCK_TIMEOUT_SECONDS = 120
    alliance = AllianceFactory()
    chamber = ChamberFactory()
    AllianceChamberFactory(alliance=alliance, chamber=chamber)
    event = EventFactory(organiser=chamber, capacity=8, has_waiting_list=True)
    jobs = []
    for _ in range(4):
        company = CompanyFactory()
        MembershipFactory(company=company, chamber=chamber)
        jobs.append(("book", admin_of(company), [PersonFactory(company=company) for _ in range(3)]))
    single = CompanyFactory()
    MembershipFactory(company=single, chamber=chamber)
    jobs += [("one", None, PersonFactory(company=single)) for _ in range(6)]
    start = threading.Barrier(len(jobs))

    def run(job):
        kind, actor, who = job
        try:
            start.wait()
            if kind == "one":
                return registration_create(event=event, person=who).status
            try:
                return len(company_booking_create(event=event, actor=actor, colleagues=who))
            except DomainError as error:
                return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        outcomes = list(pool.map(run, jobs))

    bookings, singles = outcomes[:4], outcomes[4:]
    assert set(bookings) <= {3, "not_enough_places"}
    assert set(singles) <= {"confirmed", "waitlisted"}
    whole = bookings.count(3)
    confirmed_alone = singles.count("confirmed")
    taken = Registration.objects.filter(event=event, status="confirmed").count()
    assert taken == 3 * whole + confirmed_alone
    assert taken <= 8
    assert taken == 8 or singles.count("waitlisted") == 0
    assert Registration.objects.filter(event=event, status="waitlisted").count() == (
        singles.count("waitlisted")
    ), "a booking never leaves anyone on the waiting list"
    for _kind, _actor, who in jobs[:4]:
        counts = {Registration.objects.filter(event=event, person__in=who).count()}
        assert counts <= {0, 3}
