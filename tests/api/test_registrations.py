"""A partner's delegation: registered through the portal's own rules, within a staff quota."""

import pytest
from django.core import mail

from chambers import services as chamber_services
from chambers.models import WebhookDelivery
from events import services
from events.models import Event, Registration
from members.models import Person
from tests.api.conftest import problem
from tests.factories import (
    CompanyFactory,
    DelegationQuotaFactory,
    PersonFactory,
    RegistrationFactory,
)
from tests.query_counts import assert_request_query_count

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/innovatieforum/registrations/"


@pytest.fixture
def quota(event, partner):
    return DelegationQuotaFactory(event=event, partner=partner, places=2)


def delegate(company, **changes) -> dict:
    return {
        "first_name": "Sanne",
        "last_name": "Peeters",
        "email": "sanne@voorbeeld.be",
        "enterprise_number": company.enterprise_number_display,
        "preferred_language": "nl",
    } | changes


def test_a_partner_registers_a_delegate_as_a_new_person_of_a_known_company(
    api_client, quota, company, partner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(URL, delegate(company), format="json")
    assert response.status_code == 201, response.content
    registration = Registration.objects.get()
    assert response.json() == {
        "id": registration.pk,
        "event": "innovatieforum",
        "status": "confirmed",
        "first_name": "Sanne",
        "last_name": "Peeters",
        "email": "sanne@voorbeeld.be",
        "company": {
            "name": "Brouwerij Het Anker NV",
            "country": "BE",
            "enterprise_number": company.enterprise_number,
            "registration_number": "",
            "vat_number": "",
        },
        "member_terms": True,
        "price": "45.00",
        "waiting_list_rank": None,
        "created_at": response.json()["created_at"],
        "cancelled_at": None,
    }
    assert registration.partner == partner
    assert registration.person.company == company
    assert [message.to for message in mail.outbox] == [["sanne@voorbeeld.be"]]


def test_an_existing_person_is_matched_on_e_mail(api_client, quota, company, person):
    """Matched when the partner gives the person's own name (case and spaces aside)."""
    response = api_client.post(
        URL,
        delegate(company, email=person.email.upper(), first_name="els ", last_name="JANSSENS"),
        format="json",
    )
    assert response.status_code == 201
    assert Registration.objects.get().person == person
    assert Person.objects.filter(company=company).count() == 1


def test_an_address_of_someone_else_tells_no_name(api_client, quota, company, person):
    """Trying an address with another name neither registers nor returns the stored name."""
    response = api_client.post(
        URL, delegate(company, email=person.email.upper(), first_name="Iemand"), format="json"
    )
    body = problem(response, 409, "person_mismatch")
    assert person.first_name not in response.content.decode()
    assert person.last_name not in response.content.decode()
    assert "andere naam" in body["detail"]
    assert not Registration.objects.exists()


def test_without_a_quota_nothing_is_written(api_client, event, company):
    problem(api_client.post(URL, delegate(company), format="json"), 409, "no_quota")
    assert not Registration.objects.exists()
    assert not Person.objects.filter(email="sanne@voorbeeld.be").exists()


def test_the_quota_is_a_ceiling(api_client, quota, company):
    for number in range(2):
        response = api_client.post(URL, delegate(company, email=f"d{number}@x.be"), format="json")
        assert response.status_code == 201
    body = problem(
        api_client.post(URL, delegate(company, email="d3@x.be"), format="json"),
        409,
        "quota_exhausted",
    )
    assert "2 plaatsen" in body["detail"]
    assert Registration.objects.count() == 2


def test_a_cancelled_delegate_gives_the_quota_place_back(api_client, quota, company):
    first = api_client.post(URL, delegate(company, email="a@x.be"), format="json").json()
    api_client.post(URL, delegate(company, email="b@x.be"), format="json")
    assert api_client.post(f"{URL}{first['id']}/cancel/").json()["status"] == "cancelled"
    assert api_client.post(URL, delegate(company, email="c@x.be"), format="json").status_code == 201


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"enterprise_number": "0403.170.702"}, 400, "invalid_input"),
        ({"enterprise_number": "12"}, 400, "invalid_input"),
        ({"email": "geen-adres"}, 400, "invalid_input"),
        ({"first_name": ""}, 400, "invalid_input"),
        ({"preferred_language": "de"}, 400, "invalid_input"),
        ({"enterprise_number": "0403.170.701"}, 409, "unknown_company"),
        ({"country": "NL", "enterprise_number": "1234567"}, 400, "invalid_input"),
        ({"country": "NL", "enterprise_number": "BE0403170701"}, 400, "invalid_input"),
        ({"country": "XX"}, 400, "invalid_input"),
    ],
)
def test_bad_delegates_are_refused(api_client, quota, company, changes, status, code):
    problem(api_client.post(URL, delegate(company, **changes), format="json"), status, code)
    assert not Registration.objects.exists()


def test_the_portals_rules_apply(api_client, quota, company, person, event):
    services.registration_create(event=event, person=person)
    problem(
        api_client.post(
            URL,
            delegate(
                company,
                email=person.email,
                first_name=person.first_name,
                last_name=person.last_name,
            ),
            format="json",
        ),
        409,
        "already_registered",
    )
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    problem(api_client.post(URL, delegate(company), format="json"), 409, "event_cancelled")


def test_a_full_event_puts_the_delegate_on_the_waiting_list(api_client, quota, company, event):
    event.capacity = 1
    event.save()
    RegistrationFactory(event=event)
    body = api_client.post(URL, delegate(company), format="json").json()
    assert (body["status"], body["waiting_list_rank"]) == ("waitlisted", 1)


def test_a_partner_sees_only_its_own_delegation(
    api_client, make_client, quota, company, person, event, other_partner
):
    services.registration_create(event=event, person=person)  # through the portal
    DelegationQuotaFactory(event=event, partner=other_partner, places=2)
    other = make_client("registrations:write", partner=other_partner)
    theirs = other.post(URL, delegate(company, email="fit@x.be"), format="json").json()
    mine = api_client.post(URL, delegate(company), format="json").json()
    listed = api_client.get(URL).json()["results"]
    assert [row["id"] for row in listed] == [mine["id"]]
    problem(api_client.get(f"{URL}{theirs['id']}/"), 404, "not_found")
    problem(api_client.post(f"{URL}{theirs['id']}/cancel/"), 404, "not_found")
    assert api_client.get(f"{URL}{mine['id']}/").json()["email"] == "sanne@voorbeeld.be"


def test_cancelling_twice_is_a_conflict(api_client, quota, company):
    created = api_client.post(URL, delegate(company), format="json").json()
    api_client.post(f"{URL}{created['id']}/cancel/")
    problem(api_client.post(f"{URL}{created['id']}/cancel/"), 409, "not_cancellable")


def test_an_unknown_event_is_a_404(api_client):
    problem(api_client.get("/api/v1/events/onbekend/registrations/"), 404, "not_found")


def test_registration_webhooks_go_to_the_partner_that_made_them(
    api_client, make_client, quota, company, partner, other_partner, event
):
    for owner in (partner, other_partner):
        chamber_services.webhook_endpoint_create(
            partner=owner,
            url=f"https://{owner.slug}.example/hooks",
            event_types=["registration.confirmed", "registration.cancelled"],
        )
    created = api_client.post(URL, delegate(company), format="json").json()
    api_client.post(f"{URL}{created['id']}/cancel/")
    deliveries = WebhookDelivery.objects.order_by("created_at")
    assert [(d.endpoint.partner, d.event_type) for d in deliveries] == [
        (partner, "registration.confirmed"),
        (partner, "registration.cancelled"),
    ]
    assert deliveries[0].payload["id"] == created["id"]
    assert deliveries[1].payload["status"] == "cancelled"


def test_a_registration_webhooks_data_is_what_the_api_answered(api_client, quota, company):
    chamber_services.webhook_endpoint_create(
        partner=quota.partner,
        url="https://liof.example/hooks",
        event_types=["registration.confirmed"],
    )
    created = api_client.post(URL, delegate(company), format="json").json()
    assert WebhookDelivery.objects.get().payload == created
    assert created == api_client.get(f"{URL}{created['id']}/").json()


def test_a_delegate_promoted_from_the_waiting_list_is_announced(
    api_client, quota, company, event, partner
):
    chamber_services.webhook_endpoint_create(
        partner=partner, url="https://liof.example/hooks", event_types=["registration.confirmed"]
    )
    event.capacity = 1
    event.save()
    holder = RegistrationFactory(event=event, person=PersonFactory(company=CompanyFactory()))
    waiting = api_client.post(URL, delegate(company), format="json").json()
    assert waiting["status"] == "waitlisted"
    assert not WebhookDelivery.objects.exists()
    services.registration_cancel(registration=holder)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.payload["id"], delivery.payload["status"]) == (waiting["id"], "confirmed")


def test_list_queries_do_not_grow_with_the_rows(api_client, event, partner, company):
    DelegationQuotaFactory(event=event, partner=partner, places=100)

    def add(count):
        for _ in range(count):
            services.registration_create(
                event=event, person=PersonFactory(company=company), partner=partner
            )

    event.capacity = None
    event.save()
    add(3)
    assert_request_query_count("api:event-registration-list, a delegation", api_client, URL)
    add(12)
    assert_request_query_count("api:event-registration-list, a delegation", api_client, URL)


def test_the_api_cannot_cancel_at_a_cancelled_event_and_nothing_is_sent(
    api_client, quota, company, event, partner, django_capture_on_commit_callbacks
):
    """Issue 11: a cancelled event's waiting list is not promoted through the API either."""
    chamber_services.webhook_endpoint_create(
        partner=partner,
        url="https://liof.example/hooks",
        event_types=["registration.confirmed", "registration.cancelled"],
    )
    event.capacity = 1
    event.save()
    holder = api_client.post(URL, delegate(company), format="json").json()
    waiting = api_client.post(
        URL, delegate(company, email="tom@voorbeeld.be"), format="json"
    ).json()
    assert (holder["status"], waiting["status"]) == ("confirmed", "waitlisted")
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    WebhookDelivery.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(f"{URL}{holder['id']}/cancel/")
    problem(response, 409, "event_cancelled")
    assert list(Registration.objects.order_by("pk").values_list("status", flat=True)) == [
        "confirmed",
        "waitlisted",
    ]
    assert mail.outbox == [] and not WebhookDelivery.objects.exists()
