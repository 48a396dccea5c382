"""Open doors (issue 12): a non-member registers for an event open to everyone, with or without
an account, for a company the portal may not know yet; the company becomes a prospect of the
organising chamber."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from events.models import Event, Registration
from members.enterprise_numbers import formatted, with_check_digits
from members.models import Company, Person, Prospect
from tests.factories import (
    CompanyFactory,
    EmailAddressFactory,
    EventFactory,
    PersonFactory,
    UserFactory,
)
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

NEW_NUMBER = with_check_digits("08765432")


def form(**changes) -> dict:
    data = {
        "identifier": f"BE{NEW_NUMBER}",
        "company_name": "Nieuwe Zaak BV",
        "company_legal_form": "bv",
        "company_size_class": "small",
        "company_street": "Markt 1",
        "company_postcode": "2440",
        "company_municipality": "Geel",
        "first_name": "Pia",
        "last_name": "Peeters",
        "job_title": "Zaakvoerder",
        "email": "pia@nieuwezaak.be",
        "preferred_language": "nl",
    }
    return data | changes


def register(client, event, data, capture):
    with capture(execute=True):
        return client.post(reverse("events:register_prospect", args=[event.slug]), data)


def counts() -> tuple:
    return (
        Company.objects.count(),
        Person.objects.count(),
        Prospect.objects.count(),
        Registration.objects.count(),
        len(mail.outbox),
    )


def test_a_person_with_no_account_and_an_unknown_company_registers_at_the_non_member_price(
    client, event, django_capture_on_commit_callbacks
):
    """The issue's "done when": no account, an unknown company, the non-member price, a ticket."""
    response = register(client, event, form(), django_capture_on_commit_callbacks)

    company = Company.objects.get(enterprise_number=NEW_NUMBER)
    assert (company.name, company.postcode, company.municipality) == (
        "Nieuwe Zaak BV",
        "2440",
        "Geel",
    )
    assert not company.memberships.exists(), "created as a non-member"
    registration = Registration.objects.get(company=company)
    assert registration.status == Registration.Status.CONFIRMED
    assert not registration.member_terms
    assert registration.price == event.non_member_price != event.member_price
    person = registration.person
    assert (person.full_name, person.email, person.user_id) == (
        "Pia Peeters",
        "pia@nieuwezaak.be",
        None,
    )
    assert person.role == Person.Role.EMPLOYEE, "an admin only when staff make one"
    prospect = Prospect.objects.get(company=company)
    assert (prospect.chamber, prospect.contact, prospect.source_detail) == (
        event.organiser,
        person,
        event.title,
    )
    assert prospect.converted_at is None
    # They see the ticket at once, and receive it.
    assert response.status_code == 302
    assert response.url == reverse("events:ticket", args=[registration.ticket_code])
    ticket = client.get(response.url)
    assert ticket.status_code == 200
    assert registration.ticket_code in ticket.content.decode()
    [message] = mail.outbox
    assert message.to == ["pia@nieuwezaak.be"]
    assert re.search(rf"/events/ticket/{registration.ticket_code}/", message.body)


def test_a_known_non_member_company_is_found_by_its_vat_number(
    client, event, django_capture_on_commit_callbacks
):
    known = CompanyFactory(name="Oude Klant BV")
    before = Company.objects.count()
    register(
        client,
        event,
        form(identifier=f"BE {formatted(known.enterprise_number)}", company_name=""),
        django_capture_on_commit_callbacks,
    )
    assert Company.objects.count() == before, "no second company"
    registration = Registration.objects.get(company=known)
    assert registration.price == event.non_member_price
    assert Prospect.objects.filter(company=known, chamber=event.organiser).exists()


def test_a_second_event_of_the_same_chamber_keeps_one_prospect(
    client, event, django_capture_on_commit_callbacks
):
    register(client, event, form(), django_capture_on_commit_callbacks)
    second = EventFactory(organiser=event.organiser, title="Netwerkavond")
    register(client, second, form(), django_capture_on_commit_callbacks)
    [prospect] = Prospect.objects.filter(company__enterprise_number=NEW_NUMBER)
    assert prospect.source_detail == event.title, "the first visit stays the source"
    assert Registration.objects.filter(company=prospect.company).count() == 2
    assert Person.objects.filter(company=prospect.company).count() == 1, "the same person"


def test_a_logged_in_account_without_a_company_registers_and_becomes_its_admin(
    event, django_capture_on_commit_callbacks
):
    user = UserFactory(first_name="Pia", last_name="Peeters", email="pia@nieuwezaak.be")
    EmailAddressFactory(user=user)
    client = client_for(user)
    page = client.get(reverse("events:register_prospect", args=[event.slug]))
    assert page.status_code == 200
    assert 'value="pia@nieuwezaak.be"' in page.content.decode()
    # The account's own address counts, whatever the form sends.
    register(client, event, form(email="iemand@anders.be"), django_capture_on_commit_callbacks)
    person = Person.objects.get(user=user)
    assert person.email == "pia@nieuwezaak.be"
    assert person.company.enterprise_number == NEW_NUMBER
    assert person.role == Person.Role.ADMIN, "the first confirmed person of a new company"
    assert Registration.objects.get(person=person).price == event.non_member_price


def test_an_account_is_never_linked_to_a_company_that_existed(
    event, django_capture_on_commit_callbacks
):
    known = CompanyFactory(name="Oude Klant BV")
    user = UserFactory(email="pia@oudeklant.be")
    EmailAddressFactory(user=user)
    register(
        client_for(user),
        event,
        form(identifier=known.enterprise_number),
        django_capture_on_commit_callbacks,
    )
    registration = Registration.objects.get(company=known)
    assert registration.person.user_id is None, "a join request decides who acts for it"
    assert not Person.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("identifier", "message"),
    [
        ("0403.170.702", "Het controlegetal van dit ondernemingsnummer klopt niet."),
        ("12345", "Een ondernemingsnummer telt 10 cijfers"),
    ],
)
def test_an_invalid_enterprise_number_is_refused_with_a_clear_message_and_nothing_written(
    client, event, identifier, message, django_capture_on_commit_callbacks
):
    before = counts()
    response = register(
        client, event, form(identifier=identifier), django_capture_on_commit_callbacks
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert counts() == before


def test_a_members_only_event_stays_closed_to_prospects(
    client, kempen, django_capture_on_commit_callbacks
):
    closed = EventFactory(organiser=kempen, audience=Event.Audience.MEMBERS)
    before = counts()
    response = register(client, closed, form(), django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "enkel voor leden" in response.content.decode()
    assert counts() == before
    detail = client.get(reverse("events:detail", args=[closed.slug])).content.decode()
    assert reverse("events:register_prospect", args=[closed.slug]) not in detail


def test_a_member_company_is_sent_to_log_in_not_given_the_non_member_path(
    client, event, company, django_capture_on_commit_callbacks
):
    """Typing a member's number gives no member price and no ticket for it."""
    before = counts()
    response = register(
        client,
        event,
        form(identifier=company.enterprise_number),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    assert "ledenprijs" in response.content.decode()
    assert counts() == before


def test_an_address_with_an_account_logs_in_first(
    client, event, django_capture_on_commit_callbacks
):
    known = CompanyFactory()
    user = UserFactory(email="jan@oudeklant.be")
    PersonFactory(company=known, user=user, email=user.email, first_name="Jan", last_name="Smet")
    before = counts()
    response = register(
        client,
        event,
        form(
            identifier=known.enterprise_number, email=user.email, first_name="Jan", last_name="Smet"
        ),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    assert "Meld je aan om in te schrijven" in response.content.decode()
    assert counts() == before


def test_a_new_company_without_its_details_is_refused_naming_the_field(
    client, event, django_capture_on_commit_callbacks
):
    before = counts()
    response = register(
        client,
        event,
        form(company_municipality="", company_name=""),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    assert counts() == before
    assert response.context["form"].errors.keys() & {"company_name", "company_municipality"}


def test_a_full_event_puts_the_prospect_on_the_waiting_list(
    client, kempen, django_capture_on_commit_callbacks
):
    full = EventFactory(organiser=kempen, capacity=1, has_waiting_list=True)
    register(client, full, form(), django_capture_on_commit_callbacks)
    register(
        client,
        full,
        form(identifier=with_check_digits("08765433"), email="tom@ander.be", first_name="Tom"),
        django_capture_on_commit_callbacks,
    )
    statuses = sorted(full.registrations.values_list("status", flat=True))
    assert statuses == [Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]


def test_registrations_without_an_account_are_limited_per_address(
    client, event, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_RATE_LIMITS = settings.ACCOUNT_RATE_LIMITS | {
        "prospect_registration": "2/h/ip"
    }
    cache.clear()
    for attempt in range(2):
        register(
            client,
            event,
            form(identifier="0403.170.702", email=f"p{attempt}@x.be"),
            django_capture_on_commit_callbacks,
        )
    before = counts()
    response = register(client, event, form(), django_capture_on_commit_callbacks)
    assert response.status_code == 429
    assert "Te veel pogingen" in response.content.decode()
    assert counts() == before
    # Another address is not held back.
    response = client.post(
        reverse("events:register_prospect", args=[event.slug]), form(), REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 302


def test_a_person_of_a_company_is_sent_to_the_members_path(member_client, event):
    response = member_client.get(reverse("events:register_prospect", args=[event.slug]))
    assert response.status_code == 302
    assert response.url == reverse("events:register", args=[event.slug])


def test_the_event_page_offers_the_non_member_path_to_visitors(client, event):
    html = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert reverse("events:register_prospect", args=[event.slug]) in html
