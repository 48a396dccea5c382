"""Per-chamber seat allocations (issue 14): reserved seats, the pool, the pooling date, staff."""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pghistory.models import Events

from alliance.base.models import DomainError
from chambers.models import StaffRole
from events import allocations, seats
from events.models import Registration, SeatAllocation
from events.services import (
    event_capacity_change,
    registration_cancel,
    registration_create,
    registration_promote,
)
from tests.factories import (
    AllianceChamberFactory,
    AllianceFactory,
    ChamberFactory,
    CompanyFactory,
    EventFactory,
    MembershipFactory,
    PersonFactory,
    SeatAllocationFactory,
    staff_user,
)
from tests.helpers import client_for, travel_to


def member_of(chamber):
    company = CompanyFactory()
    MembershipFactory(company=company, chamber=chamber)
    return company


@pytest.fixture
def mission(kempen, mechelen, antwerpen):
    """A trade mission of 6 seats by Kempen with Mechelen: 2 reserved for each, a pool of 2,
    pooling in ten days."""
    event = EventFactory(
        organiser=kempen,
        capacity=6,
        kind="trade_mission",
        pooling_at=timezone.now() + datetime.timedelta(days=10),
    )
    event.co_organisers.add(mechelen)
    SeatAllocationFactory(event=event, chamber=kempen, places=2)
    SeatAllocationFactory(event=event, chamber=mechelen, places=2)
    return event


def people(chamber, count):
    company = member_of(chamber)
    return [PersonFactory(company=company) for _ in range(count)]


def test_reserved_seats_stay_for_their_chamber_and_others_share_the_pool(
    mission, kempen, mechelen, antwerpen
):
    outsiders = people(antwerpen, 3)
    assert [registration_create(event=mission, person=p).status for p in outsiders] == [
        "confirmed",
        "confirmed",
        "waitlisted",
    ], "Antwerpen has no allocation: the pool (6 - 2 - 2) is theirs"
    assert seats.places_left_for(mission, antwerpen.pk) == 0
    assert seats.places_left_for(mission, kempen.pk) == 2
    # A Kempen member registers past the Antwerpen one who waits: the seat is Kempen's.
    kempen_people = people(kempen, 3)
    statuses = [registration_create(event=mission, person=p).status for p in kempen_people]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    assert seats.places_left_for(mission, mechelen.pk) == 2
    assert mission.places_taken() == 4


def test_a_chamber_beyond_its_reservation_uses_the_pool(mission, kempen, antwerpen):
    kempen_people = people(kempen, 5)
    statuses = [registration_create(event=mission, person=p).status for p in kempen_people]
    assert statuses == ["confirmed"] * 4 + ["waitlisted"], "2 reserved + the pool of 2"
    assert seats.places_left_for(mission, antwerpen.pk) == 0
    outsider = PersonFactory(company=member_of(antwerpen))
    assert registration_create(event=mission, person=outsider).status == "waitlisted"


def test_a_cancelled_reserved_seat_goes_to_the_first_in_line_of_its_chamber(
    mission, kempen, antwerpen
):
    pool = [registration_create(event=mission, person=p) for p in people(antwerpen, 3)]
    reserved = [registration_create(event=mission, person=p) for p in people(kempen, 5)]
    assert [r.status for r in pool] == ["confirmed", "confirmed", "waitlisted"]
    assert [r.status for r in reserved] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
        "waitlisted",
    ]
    registration_cancel(registration=reserved[0])
    reserved[2].refresh_from_db()
    pool[2].refresh_from_db()
    assert reserved[2].status == "confirmed", "Kempen's freed seat, to Kempen's first in line"
    assert pool[2].status == "waitlisted", "ahead on the list, but the seat is not theirs"
    registration_cancel(registration=pool[0])
    pool[2].refresh_from_db()
    reserved[3].refresh_from_db()
    assert pool[2].status == "confirmed", "a pool seat goes to the first in line"
    assert reserved[3].status == "waitlisted"


def test_after_the_pooling_date_unused_seats_open_to_everyone(mission, kempen, antwerpen):
    waiting = [registration_create(event=mission, person=p) for p in people(antwerpen, 4)]
    registration_create(event=mission, person=people(kempen, 1)[0])
    assert [r.status for r in waiting] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    later = mission.pooling_at + datetime.timedelta(minutes=1)
    with travel_to(later):
        assert seats.places_left_for(mission, antwerpen.pk) == 3, "6 - 3 taken"
        assert allocations.pool_due() == 2, "the two waiting get pooled seats"
        assert allocations.pool_due() == 0, "idempotent"
        newcomer = PersonFactory(company=member_of(antwerpen))
        assert registration_create(event=mission, person=newcomer).status == "confirmed"
        late_kempen = people(kempen, 1)[0]
        assert registration_create(event=mission, person=late_kempen).status == "waitlisted"
    for registration in waiting:
        registration.refresh_from_db()
    assert [r.status for r in waiting] == ["confirmed"] * 4
    assert mission.places_taken() == 6


def test_the_member_page_says_how_many_places_are_left_for_them(mission, kempen, antwerpen):
    for person in people(antwerpen, 2):
        registration_create(event=mission, person=person)
    kempen_member = PersonFactory(company=member_of(kempen))
    outsider = PersonFactory(company=member_of(antwerpen))
    from tests.factories import UserFactory

    for person in (kempen_member, outsider):
        person.user = UserFactory(email=person.email)
        person.save(update_fields=["user"])
    url = reverse("events:detail", args=[mission.slug])
    page = client_for(kempen_member.user).get(url)
    assert page.context["places_left"] == 2
    assert page.context["registration_state"] == "open"
    assert "voorbehouden voor de leden van Kempen" in page.content.decode()
    page = client_for(outsider.user).get(url)
    assert page.context["places_left"] == 0
    assert page.context["registration_state"] == "waiting_list"


def test_staff_set_allocations_within_the_capacity_and_for_organisers_only(
    mission, kempen, mechelen, antwerpen
):
    manager = staff_user(StaffRole.Role.EVENT_MANAGER, kempen)
    with pytest.raises(DomainError) as refused:
        allocations.allocation_set(event=mission, chamber=kempen, places=5, actor=manager)
    assert refused.value.code == "allocations_beyond_capacity"
    with pytest.raises(DomainError) as refused:
        allocations.allocation_set(event=mission, chamber=antwerpen, places=1, actor=manager)
    assert refused.value.code == "not_an_organiser"
    with pytest.raises(DomainError) as refused:
        event_capacity_change(event=mission, capacity=3, actor=manager)
    assert refused.value.code == "capacity_below_allocations"
    with pytest.raises(DomainError) as refused:
        event_capacity_change(event=mission, capacity=None, actor=manager)
    assert refused.value.code == "capacity_below_allocations"
    viewer = staff_user(StaffRole.Role.VIEWER, kempen)
    with pytest.raises(DomainError) as refused:
        allocations.allocation_set(event=mission, chamber=kempen, places=1, actor=viewer)
    assert refused.value.code == "not_event_manager"
    allocations.allocation_set(event=mission, chamber=kempen, places=4, actor=manager)
    assert dict(mission.seat_allocations.values_list("chamber__slug", "places")) == {
        "kempen": 4,
        "mechelen": 2,
    }


def test_a_smaller_allocation_gives_the_freed_pool_seats_to_the_waiting_list(
    mission, kempen, antwerpen
):
    manager = staff_user(StaffRole.Role.EVENT_MANAGER, kempen)
    waiting = [registration_create(event=mission, person=p) for p in people(antwerpen, 3)]
    assert waiting[2].status == "waitlisted"
    allocations.allocation_set(event=mission, chamber=kempen, places=1, actor=manager)
    waiting[2].refresh_from_db()
    assert waiting[2].status == "confirmed"
    allocation = mission.seat_allocations.get(chamber=kempen)
    allocations.allocation_remove(allocation=allocation, actor=manager)
    assert not SeatAllocation.objects.filter(pk=allocation.pk).exists()


def test_staff_promote_within_what_is_left_for_the_persons_chamber(mission, kempen, antwerpen):
    manager = staff_user(StaffRole.Role.EVENT_MANAGER, kempen)
    waiting = [registration_create(event=mission, person=p) for p in people(antwerpen, 3)][2]
    with pytest.raises(DomainError) as refused:
        registration_promote(registration=waiting, actor=manager, reason="Sleutelklant")
    assert refused.value.code == "event_full", "the free seats are Kempen's and Mechelen's"


def test_staff_page_shows_allocations_and_their_use_and_sets_them(mission, kempen, mechelen):
    for person in people(kempen, 3):
        registration_create(event=mission, person=person)
    manager = staff_user(StaffRole.Role.EVENT_MANAGER, kempen)
    client = client_for(manager)
    page = client.get(reverse("staff:event_detail", args=[mission.slug]))
    rows = {a.chamber.slug: (a.used, a.places) for a in page.context["allocations"]}
    assert rows == {"kempen": (3, 2), "mechelen": (0, 2)}
    response = client.post(
        reverse("staff:event_allocation", args=[mission.slug]),
        {"chamber": mechelen.pk, "places": "3"},
    )
    assert response.status_code == 302
    assert mission.seat_allocations.get(chamber=mechelen).places == 3
    response = client.post(
        reverse("staff:event_allocation", args=[mission.slug]),
        {"chamber": mechelen.pk, "places": "9"},
    )
    assert response.status_code == 400
    assert "hoogstens" in response.content.decode()
    when = timezone.localtime(mission.starts_at - datetime.timedelta(days=2))
    response = client.post(
        reverse("staff:event_pooling", args=[mission.slug]),
        {"pooling_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    mission.refresh_from_db()
    assert mission.pooling_at == when.replace(second=0, microsecond=0)
    response = client.post(
        reverse("staff:event_pooling", args=[mission.slug]),
        {"pooling_at": timezone.localtime(mission.ends_at).strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 400
    # Audited like every staff write.
    labels = Events.objects.filter(pgh_obj_model="events.SeatAllocation").values_list(
        "pgh_label", flat=True
    )
    assert "update" in labels and "create" in labels


@pytest.mark.django_db(transaction=True)
def test_allocations_and_the_pool_hold_under_concurrent_registrations(settings):
    """30 people of three chambers race for 6 seats (2 reserved for Kempen, 2 for Mechelen, a
    pool of 2): exactly 6 confirmed, each chamber at least its reservation, nobody else beyond
    the pool, the rest waiting in a gapless line; no deadlock, no error."""
    settings.EVENT_LOCK_TIMEOUT_SECONDS = 120
    alliance = AllianceFactory()
    kempen, mechelen, antwerpen = (ChamberFactory() for _ in range(3))
    for chamber in (kempen, mechelen, antwerpen):
        AllianceChamberFactory(alliance=alliance, chamber=chamber)
    event = EventFactory(
        organiser=kempen, capacity=6, pooling_at=timezone.now() + datetime.timedelta(days=5)
    )
    event.co_organisers.add(mechelen)
    SeatAllocation.objects.create(event=event, chamber=kempen, places=2)
    SeatAllocation.objects.create(event=event, chamber=mechelen, places=2)
    racers = people(kempen, 10) + people(mechelen, 10) + people(antwerpen, 10)
    start = threading.Barrier(len(racers))

    def register(person):
        try:
            start.wait()
            return registration_create(event=event, person=person).status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(racers)) as pool:
        statuses = list(pool.map(register, racers))

    assert statuses.count("confirmed") == 6
    assert statuses.count("waitlisted") == 24
    confirmed = Registration.objects.filter(event=event, status="confirmed")
    per_chamber = {
        chamber: confirmed.filter(member_terms_chamber=chamber).count()
        for chamber in (kempen, mechelen, antwerpen)
    }
    assert per_chamber[kempen] >= 2 and per_chamber[mechelen] >= 2
    assert sum(per_chamber.values()) == 6
    assert per_chamber[antwerpen] <= 2
    positions = sorted(
        Registration.objects.filter(event=event, status="waitlisted").values_list(
            "waiting_list_position", flat=True
        )
    )
    assert positions == list(range(1, 25))
