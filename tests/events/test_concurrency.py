"""Real threads on real connections: capacity, the waiting list's order, the lock's timeout."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.messages import get_messages
from django.db import connection, transaction
from rest_framework.test import APIClient

from events.models import Event, Registration
from events.services import registration_cancel, registration_create
from tests.factories import (
    AllianceChamberFactory,
    AllianceFactory,
    ChamberFactory,
    CompanyFactory,
    DelegationQuotaFactory,
    EventFactory,
    MembershipFactory,
    PartnerFactory,
    PersonFactory,
    UserFactory,
    partner_api_key,
)


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_registrations_for_ten_places(settings):
    # About order, not about busy answers: on a loaded 2-core machine 50 requests in a row can
    # take longer than the production lock timeout.
    settings.EVENT_LOCK_TIMEOUT_SECONDS = 120
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


@pytest.mark.django_db(transaction=True)
def test_fifty_newcomers_racing_a_cancellation_never_overtake_the_waiting_list(settings):
    """Issue 11: 10 places taken, 3 waiting; one person cancels while 50 newcomers register.

    The freed place goes to the first in line; every newcomer waits behind the three.
    """
    settings.EVENT_LOCK_TIMEOUT_SECONDS = 120
    chamber = ChamberFactory()
    event = EventFactory(organiser=chamber, capacity=10, has_waiting_list=True)
    company = CompanyFactory()
    holders = [registration_create(event=event, person=PersonFactory(company=company))]
    holders += [
        registration_create(event=event, person=PersonFactory(company=company)) for _ in range(9)
    ]
    waiting = [
        registration_create(event=event, person=PersonFactory(company=company)) for _ in range(3)
    ]
    assert [r.status for r in waiting] == ["waitlisted"] * 3
    newcomers = [PersonFactory(company=company) for _ in range(50)]

    start = threading.Barrier(51)

    def run(job):
        try:
            start.wait()
            if job == "cancel":
                return registration_cancel(registration=holders[0]).status
            return registration_create(event=event, person=job).status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=51) as pool:
        results = list(pool.map(run, ["cancel", *newcomers]))

    assert results[0] == "cancelled"
    assert results[1:] == ["waitlisted"] * 50, "no newcomer got a place"
    stored = Registration.objects.filter(event=event)
    assert stored.filter(status="confirmed").count() == 10
    first = Registration.objects.get(pk=waiting[0].pk)
    assert first.status == "confirmed", "the first in line got the freed place"
    still_waiting = list(stored.waiting().values_list("person_id", flat=True))
    assert still_waiting[:2] == [waiting[1].person_id, waiting[2].person_id]
    assert sorted(still_waiting[2:]) == sorted(p.pk for p in newcomers)
    positions = list(stored.waiting().values_list("waiting_list_position", flat=True))
    assert positions == sorted(set(positions)) and len(positions) == 52


@pytest.mark.django_db(transaction=True)
def test_a_registration_that_cannot_get_the_lock_answers_busy(settings, client):
    """Issue 11: one connection holds the event's lock; the API answers 409 "busy" and the page
    a friendly message, quickly, and nothing is written."""
    settings.EVENT_LOCK_TIMEOUT_SECONDS = 0.3
    chamber = ChamberFactory()
    event = EventFactory(organiser=chamber, capacity=10, slug="heet")
    company = CompanyFactory()
    partner = PartnerFactory()
    DelegationQuotaFactory(event=event, partner=partner, places=5)
    _, key = partner_api_key(partner)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    person = PersonFactory(company=company)
    user = UserFactory(email=person.email)
    person.user = user
    person.save()
    client.force_login(user)

    locked, release = threading.Event(), threading.Event()

    def hold_the_lock():
        try:
            with transaction.atomic():
                Event.objects.select_for_update().get(pk=event.pk)
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(10)
        started = time.monotonic()
        response = api.post(
            "/api/v1/events/heet/registrations/",
            {
                "first_name": "An",
                "last_name": "Peeters",
                "email": "an@voorbeeld.be",
                "enterprise_number": company.enterprise_number,
            },
            format="json",
        )
        assert response.status_code == 409, response.content
        assert response["Content-Type"].startswith("application/problem+json")
        assert response.json()["code"] == "busy"
        page = client.post("/events/heet/inschrijven/")
        assert page.status_code == 302
        texts = [str(m) for m in get_messages(page.wsgi_request)]
        assert any("Probeer het over enkele seconden opnieuw" in t for t in texts), texts
        assert time.monotonic() - started < 5, "answered, did not queue"
    finally:
        release.set()
        holder.join()
    assert not Registration.objects.filter(event=event).exists()
    assert registration_create(event=event, person=person).status == "confirmed"
