"""50 people ask for 10 places at once: exactly 10 confirmed, 40 waiting, no error."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from events.models import Registration
from events.services import registration_create
from tests.factories import (
    AllianceChamberFactory,
    AllianceFactory,
    ChamberFactory,
    CompanyFactory,
    EventFactory,
    MembershipFactory,
    PersonFactory,
)


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_registrations_for_ten_places():
    alliance = AllianceFactory()
    chamber = ChamberFactory()
    AllianceChamberFactory(alliance=alliance, chamber=chamber)
    event = EventFactory(organiser=chamber, capacity=10, has_waiting_list=True)
    company = CompanyFactory()
    MembershipFactory(company=company, chamber=chamber)
    people = [PersonFactory(company=company) for _ in range(50)]

    start = threading.Barrier(50)
    backend_pids = set()

    def register(person):
        # Each thread has its own connection (Django's are per thread): a real race.
        try:
            start.wait()
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backend_pids.add(cursor.fetchone()[0])
            return registration_create(event=event, person=person).status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(register, people))

    assert len(backend_pids) == 50, "every request ran on its own database connection"
    assert statuses.count("confirmed") == 10
    assert statuses.count("waitlisted") == 40
    stored = Registration.objects.filter(event=event)
    assert stored.filter(status="confirmed").count() == 10
    positions = sorted(
        stored.filter(status="waitlisted").values_list("waiting_list_position", flat=True)
    )
    assert positions == list(range(1, 41))
