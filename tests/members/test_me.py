"""The member's own pages under /me/: who sees what, what they may change, and at what cost."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from events.models import Registration
from events.services import waiting_list_rank
from members.models import Company, Person, ServiceRequest
from tests.factories import (
    CompanyFactory,
    CompetenceCentreFactory,
    EventFactory,
    JoinRequestFactory,
    MembershipFactory,
    PersonFactory,
    RegistrationFactory,
    SectorFactory,
    ServiceRequestFactory,
    UserFactory,
)
from tests.query_counts import assert_request_query_count

pytestmark = pytest.mark.django_db

PERSON_PAGES = [
    "/me/company/",
    "/me/company/edit/",
    "/me/service-requests/",
    "/me/interests/",
    "/me/agenda/",
]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth keeps its rate limits in the cache, which outlives a test.
    cache.clear()


def login(person: Person, username: str | None = None) -> Client:
    """A client logged in as a (new) user linked to `person`."""
    user = UserFactory(username=username or f"u{person.pk}", email=person.email)
    person.user = user
    person.save(update_fields=["user"])
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_person(company):
    return PersonFactory(
        company=company, role=Person.Role.ADMIN, first_name="Bart", last_name="Claes"
    )


@pytest.fixture
def admin_client(admin_person):
    return login(admin_person, "bart")


@pytest.fixture
def other_company(kempen):
    other = CompanyFactory(name="Andere Onderneming NV")
    MembershipFactory(company=other, chamber=kempen)
    return other


@pytest.fixture
def other_admin_client(other_company):
    return login(PersonFactory(company=other_company, role=Person.Role.ADMIN), "other")


@pytest.fixture
def lonely_client():
    """Logged in, but without a Person: not confirmed at any company."""
    client = Client()
    client.force_login(UserFactory(username="lonely"))
    return client


def html(response) -> str:
    return response.content.decode()


# --- who gets in ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/me/", *PERSON_PAGES, "/me/tickets/abc/"])
def test_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_a_user_without_a_person_is_asked_to_join(lonely_client):
    response = lonely_client.get("/me/")
    assert response.status_code == 200
    page = html(response)
    assert "Vraag toegang tot je onderneming" in page
    assert 'name="enterprise_number"' in page and 'name="first_name"' in page
    assert 'for="id_enterprise_number"' in page
    assert "Komende activiteiten" not in page


@pytest.mark.parametrize("url", PERSON_PAGES)
def test_a_user_without_a_person_gets_no_company_pages(lonely_client, url):
    response = lonely_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == "/me/"


def test_posts_from_a_user_without_a_person_write_nothing(lonely_client, company):
    lonely_client.post("/me/company/consent/", {"directory_consent": "on"})
    lonely_client.post("/me/company/edit/", {"description": "Overgenomen"})
    company.refresh_from_db()
    assert company.directory_consent is False and company.description == ""


# --- registrations -------------------------------------------------------------------------------


def test_home_lists_coming_waiting_and_past_registrations(member_client, person, event, kempen):
    RegistrationFactory(event=event, person=person)
    full = EventFactory(title="Volzet seminarie", organiser=kempen, capacity=1)
    RegistrationFactory(event=full)
    for position in (1, 2):
        RegistrationFactory(
            event=full, status=Registration.Status.WAITLISTED, waiting_list_position=position
        )
    mine = RegistrationFactory(
        event=full, person=person, status=Registration.Status.WAITLISTED, waiting_list_position=5
    )
    past = EventFactory(
        title="Vorig jaar",
        organiser=kempen,
        starts_at=timezone.now() - datetime.timedelta(days=40),
        ends_at=timezone.now() - datetime.timedelta(days=40) + datetime.timedelta(hours=2),
    )
    RegistrationFactory(
        event=past,
        person=person,
        status=Registration.Status.ATTENDED,
        checked_in_at=past.starts_at,
    )
    cancelled = EventFactory(title="Toch niet", organiser=kempen)
    RegistrationFactory(
        event=cancelled,
        person=person,
        status=Registration.Status.CANCELLED,
        cancelled_at=timezone.now(),
    )

    response = member_client.get("/me/")
    assert response.status_code == 200
    page = html(response)
    assert "Innovatieforum" in page and "Bevestigd" in page
    assert waiting_list_rank(mine) == 3
    assert "Je staat op de wachtlijst (plaats 3)" in page
    assert "Vorig jaar" in page and "Aanwezig" in page
    assert "Toch niet" not in page
    # Cancel goes to the events app, and comes back here.
    assert f'action="/events/{event.slug}/annuleren/"' in page
    assert 'name="next" value="/me/"' in page
    assert "/me/tickets/" in page


def test_cancelling_from_my_portal_comes_back_here(member_client, person, event):
    registration = RegistrationFactory(event=event, person=person)
    page = html(member_client.get("/me/"))
    action = re.search(r'action="(/events/[^"]+/annuleren/)"', page)[1]
    response = member_client.post(action, {"next": "/me/"})
    assert response.status_code == 302 and response["Location"] == "/me/"
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert "Innovatieforum" not in html(member_client.get("/me/"))


def test_the_rank_in_the_list_is_the_services_rank(member_client, person, kempen):
    events = [EventFactory(organiser=kempen, capacity=1) for _ in range(3)]
    mine = []
    for ahead, event in enumerate(events):
        for position in range(1, ahead + 1):
            RegistrationFactory(
                event=event, status=Registration.Status.WAITLISTED, waiting_list_position=position
            )
        mine.append(
            RegistrationFactory(
                event=event,
                person=person,
                status=Registration.Status.WAITLISTED,
                waiting_list_position=10,
            )
        )
    # A gap in the positions (someone left) does not count.
    Registration.objects.filter(event=events[2], waiting_list_position=1).update(
        status=Registration.Status.CANCELLED,
        waiting_list_position=None,
        cancelled_at=timezone.now(),
    )
    page = html(member_client.get("/me/"))
    ranks = [waiting_list_rank(registration) for registration in mine]
    assert ranks == [1, 2, 2]
    for rank in ranks:
        assert f"(plaats {rank})" in page


def _registrations(person, kempen, count):
    for index in range(count):
        event = EventFactory(organiser=kempen, capacity=2)
        if index % 3 == 0:
            RegistrationFactory(event=event)
            RegistrationFactory(event=event)
            RegistrationFactory(
                event=event,
                person=person,
                status=Registration.Status.WAITLISTED,
                waiting_list_position=1,
            )
        elif index % 3 == 1:
            RegistrationFactory(event=event, person=person)
        else:
            event.starts_at = timezone.now() - datetime.timedelta(days=10 + index)
            event.ends_at = event.starts_at + datetime.timedelta(hours=2)
            event.registration_closes_at = None
            event.save()
            RegistrationFactory(event=event, person=person)


def _counted(name, client, url) -> str:
    """The page, its queries checked against the baseline `name`."""
    return html(assert_request_query_count(name, client, url))


def test_the_registrations_list_costs_the_same_for_3_and_12(member_client, person, kempen):
    _registrations(person, kempen, 3)
    page = _counted("me:home as employee", member_client, "/me/")
    assert page.count('class="me-item card"') == 3
    _registrations(person, kempen, 9)
    page = _counted("me:home as employee", member_client, "/me/")
    assert page.count('class="me-item card"') == 12


def test_company_admins_see_how_many_people_ask_to_join(admin_client, company):

    JoinRequestFactory(
        user=UserFactory(username="new"), company=company, first_name="Nieuw", last_name="Lid"
    )
    page = html(admin_client.get("/me/"))
    assert "1 persoon vraagt toegang tot je onderneming." in page


# --- tickets -------------------------------------------------------------------------------------


def test_my_ticket_has_the_facts_and_a_qr_code(member_client, person, event, company):
    registration = RegistrationFactory(event=event, person=person)
    response = member_client.get(f"/me/tickets/{registration.ticket_code}/")
    assert response.status_code == 200
    page = html(response)
    assert "Els Janssens" in page and company.name in page and "Innovatieforum" in page
    assert event.city in page
    assert '<svg role="img" aria-label="QR-code van je ticket"' in page
    assert f'<figcaption class="ticket__code">{registration.ticket_code}</figcaption>' in page
    assert "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    ), "the QR code is drawn inline, not fetched"


def test_a_waiting_ticket_has_no_qr_code(member_client, person, event):
    registration = RegistrationFactory(
        event=event, person=person, status=Registration.Status.WAITLISTED, waiting_list_position=1
    )
    page = html(member_client.get(f"/me/tickets/{registration.ticket_code}/"))
    assert "<svg" not in page and "geeft geen toegang" in page


def test_the_company_admin_may_see_a_colleagues_ticket(admin_client, person, event):
    registration = RegistrationFactory(event=event, person=person)
    assert admin_client.get(f"/me/tickets/{registration.ticket_code}/").status_code == 200


def test_nobody_else_sees_a_ticket(person, event, company, other_admin_client, lonely_client):
    registration = RegistrationFactory(event=event, person=person)
    url = f"/me/tickets/{registration.ticket_code}/"
    colleague = login(PersonFactory(company=company), "colleague")
    assert colleague.get(url).status_code == 404
    assert other_admin_client.get(url).status_code == 404
    assert lonely_client.get(url).status_code == 404


def test_an_unknown_ticket_is_404(member_client):
    assert member_client.get("/me/tickets/does-not-exist/").status_code == 404


# --- my company ----------------------------------------------------------------------------------


def test_an_employee_sees_the_profile_but_cannot_change_it(member_client, company, mechelen):
    response = member_client.get("/me/company/")
    assert response.status_code == 200
    page = html(response)
    assert company.name in page and company.enterprise_number_display in page
    assert "Mechelen" in page  # the home chamber
    assert "Profiel bewerken" not in page and 'id="people"' not in page
    assert member_client.get("/me/company/edit/").status_code == 403
    response = member_client.post("/me/company/consent/", {"directory_consent": "on"})
    assert response.status_code == 403
    company.refresh_from_db()
    assert company.directory_consent is False


def test_the_company_admin_sees_people_requests_and_consent(admin_client, company, person):
    response = admin_client.get("/me/company/")
    assert response.status_code == 200
    page = html(response)
    assert "Profiel bewerken" in page
    assert 'id="people"' in page and person.full_name in page and person.email in page
    assert 'id="requests"' in page and "Er zijn geen openstaande aanvragen." in page
    assert 'name="directory_consent"' in page


def test_the_company_admin_edits_the_profile(admin_client, company):
    sector = SectorFactory(name="Voeding")
    response = admin_client.get("/me/company/edit/")
    assert response.status_code == 200 and 'for="id_description"' in html(response)
    response = admin_client.post(
        "/me/company/edit/",
        {
            "description": "Brouwerij sinds 1471.",
            "website": "https://hetanker.be",
            "street": "Guido Gezellelaan 49",
            "postcode": "2800",
            "municipality": "Mechelen",
            "legal_form": Company.LegalForm.NV,
            "size_class": Company.SizeClass.MEDIUM,
            "sectors": [sector.pk],
            "is_family_business": "on",
            "founded_year": "1872",
            "export_countries": "nl, de",
            "languages": ["nl", "fr"],
        },
    )
    assert response.status_code == 302 and response["Location"] == "/me/company/"
    company.refresh_from_db()
    assert company.description == "Brouwerij sinds 1471."
    assert company.founded_year == 1872 and company.is_family_business
    assert company.export_countries == ["NL", "DE"] and company.languages == ["nl", "fr"]
    assert list(company.sectors.all()) == [sector]


def test_bad_profile_input_is_shown_and_not_saved(admin_client, company):
    response = admin_client.post(
        "/me/company/edit/",
        {
            "postcode": "99",
            "municipality": "Mechelen",
            "legal_form": Company.LegalForm.NV,
            "size_class": Company.SizeClass.SMALL,
            "export_countries": "Nederland",
        },
    )
    assert response.status_code == 200
    page = html(response)
    assert "Een Belgische postcode telt 4 cijfers" in page
    assert "Niet herkend: NEDERLAND" in page and "Beperking" not in page
    company.refresh_from_db()
    assert company.postcode == "2800"


def test_consent_on_records_when_and_off_forgets(admin_client, company):
    admin_client.post("/me/company/consent/", {"directory_consent": "on"})
    company.refresh_from_db()
    assert company.directory_consent and company.directory_consent_at is not None
    first = company.directory_consent_at
    admin_client.post("/me/company/consent/", {"directory_consent": "on"})
    company.refresh_from_db()
    assert company.directory_consent_at == first, "saving again keeps the original date"
    admin_client.post("/me/company/consent/", {})
    company.refresh_from_db()
    assert company.directory_consent is False and company.directory_consent_at is None


def test_the_company_admin_edits_a_colleague(admin_client, person):
    url = f"/me/company/people/{person.pk}/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url, {"job_title": "Brouwmeester", "role": Person.Role.ADMIN, "phone": "015 20 38 80"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.job_title, person.role, person.phone) == (
        "Brouwmeester",
        Person.Role.ADMIN,
        "015 20 38 80",
    )


def test_the_last_admin_cannot_step_down(admin_client, admin_person):
    response = admin_client.post(
        f"/me/company/people/{admin_person.pk}/",
        {"job_title": "", "role": Person.Role.EMPLOYEE, "phone": ""},
    )
    assert response.status_code == 200
    assert "minstens één beheerder" in html(response)
    admin_person.refresh_from_db()
    assert admin_person.role == Person.Role.ADMIN


def test_an_employee_cannot_edit_colleagues(member_client, admin_person):
    response = member_client.post(
        f"/me/company/people/{admin_person.pk}/",
        {"job_title": "Stagiair", "role": Person.Role.EMPLOYEE, "phone": ""},
    )
    assert response.status_code == 403
    admin_person.refresh_from_db()
    assert admin_person.role == Person.Role.ADMIN and admin_person.job_title == ""


def test_another_company_cannot_see_or_change_this_one(other_admin_client, company, person):
    url = f"/me/company/people/{person.pk}/"
    assert other_admin_client.get(url).status_code == 404
    response = other_admin_client.post(
        url, {"job_title": "Overgenomen", "role": Person.Role.ADMIN, "phone": ""}
    )
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.job_title == "" and person.role == Person.Role.EMPLOYEE
    # Their own company page shows their company, never this one.
    page = html(other_admin_client.get("/me/company/"))
    assert "Andere Onderneming NV" in page and company.name not in page
    assert person.email not in page


def test_the_company_page_costs_the_same_for_3_and_12_people(admin_client, company):
    for _ in range(2):
        PersonFactory(company=company)
    page = _counted("me:company as company admin, people", admin_client, "/me/company/")
    assert page.count("/me/company/people/") == 3
    for _ in range(9):
        PersonFactory(company=company)
    page = _counted("me:company as company admin, people", admin_client, "/me/company/")
    assert page.count("/me/company/people/") == 12


# --- service requests and interests --------------------------------------------------------------


def _service_requests(person, centre, count):
    for index in range(count):
        ServiceRequestFactory(
            person=person, centre=centre, message=f"Vraag {index} over innovatiesubsidies"
        )


def test_my_service_requests_with_status(member_client, person, centre):
    _service_requests(person, centre, 1)
    done = ServiceRequest.objects.first()
    done.assign(UserFactory(username="coach"))
    done.start()
    done.complete()
    done.save()
    _service_requests(person, centre, 1)
    # A colleague's question is theirs, not mine.
    ServiceRequestFactory(
        person=PersonFactory(company=person.company), centre=centre, message="Vraag van een collega"
    )
    response = member_client.get("/me/service-requests/")
    assert response.status_code == 200
    page = html(response)
    assert "Integrale innovatie" in page
    assert "badge--success" in page and "Afgehandeld" in page
    assert "badge--muted" in page and "Nieuw" in page
    assert "Vraag van een collega" not in page


def test_the_service_request_list_costs_the_same_for_3_and_12(member_client, person, centre):
    _service_requests(person, centre, 3)
    url = "/me/service-requests/"
    page = _counted("me:service_requests as employee", member_client, url)
    assert page.count('class="me-item card"') == 3
    _service_requests(person, centre, 9)
    page = _counted("me:service_requests as employee", member_client, url)
    assert page.count('class="me-item card"') == 12


def test_my_interests(member_client, person, centre, alliance, mechelen):
    other_centre = CompetenceCentreFactory(
        name="Familiebedrijven", lead_chamber=mechelen, alliance=alliance
    )
    sector = SectorFactory(name="Logistiek")
    response = member_client.get("/me/interests/")
    assert response.status_code == 200
    page = html(response)
    assert "Integrale innovatie" in page and "Familiebedrijven" in page and "Logistiek" in page
    assert 'type="checkbox"' in page and "<legend>Competentiecentra" in page
    response = member_client.post(
        "/me/interests/", {"centres": [centre.pk, other_centre.pk], "sectors": [sector.pk]}
    )
    assert response.status_code == 302
    assert set(person.interest_centres.all()) == {centre, other_centre}
    assert list(person.interest_sectors.all()) == [sector]
    member_client.post("/me/interests/", {"centres": [centre.pk]})
    assert list(person.interest_centres.all()) == [centre]
    assert not person.interest_sectors.exists()


# --- personal calendar feed ----------------------------------------------------------------------


def _feed_url(page: str) -> str:
    match = re.search(r'value="http://127\.0\.0\.1:8000(/me/agenda/[^"]+\.ics)"', page)
    assert match, "the page shows the absolute feed URL"
    return match.group(1)


def test_calendar_feed_renew_and_revoke(member_client, person, event, kempen):
    RegistrationFactory(event=event, person=person)
    gone = EventFactory(title="Afgezegd", organiser=kempen)
    RegistrationFactory(
        event=gone, person=person, status=Registration.Status.CANCELLED, cancelled_at=timezone.now()
    )
    page = html(member_client.get("/me/agenda/"))
    assert "Je hebt nu geen agendalink." in page

    response = member_client.post("/me/agenda/renew/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    page = html(response)
    first = _feed_url(page)
    assert "Nieuwe link maken" in page and "Intrekken" in page
    # Shown this once: only its hash is stored, the page says so afterwards.
    person.refresh_from_db()
    assert first.split("/")[-1].removesuffix(".ics") not in person.calendar_token_hash
    later = html(member_client.get("/me/agenda/"))
    assert "/me/agenda/" + first.split("/")[-1] not in later
    assert "Je agendalink is actief." in later and "Nieuwe link maken" in later

    feed = Client().get(first)  # calendar apps do not log in
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    body = feed.content.decode()
    assert "SUMMARY:Innovatieforum" in body and "Afgezegd" not in body

    second = _feed_url(html(member_client.post("/me/agenda/renew/")))
    assert second != first
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200

    member_client.post("/me/agenda/revoke/")
    assert Client().get(second).status_code == 404
    assert "Je hebt nu geen agendalink." in html(member_client.get("/me/agenda/"))


def test_calendar_feed_costs_the_same_for_3_and_12(member_client, person, kempen):
    url = _feed_url(html(member_client.post("/me/agenda/renew/")))
    anonymous = Client()
    for _ in range(3):
        RegistrationFactory(event=EventFactory(organiser=kempen), person=person)
    body = _counted("me:calendar_feed, a renewed token", anonymous, url)
    assert body.count("BEGIN:VEVENT") == 3
    for _ in range(9):
        RegistrationFactory(event=EventFactory(organiser=kempen), person=person)
    body = _counted("me:calendar_feed, a renewed token", anonymous, url)
    assert body.count("BEGIN:VEVENT") == 12


def test_an_unknown_calendar_token_is_404(client):
    assert client.get("/me/agenda/not-a-token.ics").status_code == 404


def test_calendar_buttons_only_take_post(member_client):
    assert member_client.get("/me/agenda/renew/").status_code == 405
    assert member_client.get("/me/agenda/revoke/").status_code == 405
